"""Semantic Scholar answers whose values have the wrong type (an id map that is a string,
a count that is text, references that are no list): the papers are read as far as they
make sense, and a crawl's search for empty topics still ends with its file written."""

from __future__ import annotations

import json

from learngraph.crawler.paper_search import read_found_papers
from learngraph.crawler.sources import semantic_scholar
from learngraph_process import run_learngraph, site_settings

ODD_PAPERS = [
    {"paperId": "a1", "externalIds": "ARXIV:2106.09685", "title": ["not", "text"], "citationCount": "many"},
    {"paperId": 7, "externalIds": {"ArXiv": 2106}, "year": "2021", "references": "none"},
    {
        "paperId": "b2",
        "externalIds": {"ArXiv": "2106.09685", "DOI": ["x"]},
        "title": "LoRA",
        "citationCount": 8000,
        "references": [
            "arxiv:1706.03762",
            {"externalIds": None, "paperId": None},
            {"externalIds": {"ArXiv": "1706.03762"}, "title": 5},
        ],
    },
    "a paper",
    None,
]


def test_a_search_answer_of_odd_types_keeps_only_what_makes_sense():
    papers = semantic_scholar.parse_search(json.dumps({"data": ODD_PAPERS}).encode())
    assert papers == [
        {"id": "s2:a1"},
        {
            "id": "arxiv:2106.09685",
            "title": "LoRA",
            "citation_count": 8000,
            "references": [{"id": "arxiv:1706.03762"}],
        },
    ]


def test_a_batch_answer_of_odd_types_keeps_only_what_makes_sense():
    found = semantic_scholar.parse_batch(
        json.dumps(ODD_PAPERS[:3]).encode(), ["arxiv:1", "arxiv:2", "arxiv:3"]
    )
    assert found == {
        "arxiv:1": {},
        "arxiv:2": {},
        "arxiv:3": {"references": [{"id": "arxiv:1706.03762"}], "citation_count": 8000},
    }


def test_a_crawl_whose_search_answers_odd_types_still_writes_what_it_found(site, tmp_path):
    site.s2_answers = {"LoRA Low Rank Adaptation": {"total": "two", "data": ODD_PAPERS}}
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        f"# Notes\n## Attention\n[post]({site.base}/posts/attention)\n## LoRA\n", encoding="utf-8"
    )
    s2 = {"SEMANTIC_SCHOLAR_API_URL": f"{site.base}/s2/graph/v1", "SEMANTIC_SCHOLAR_DELAY": "0"}
    result = run_learngraph(
        "crawl", roadmap, "--out", tmp_path / "out", *site_settings(site, **s2), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    [lora] = read_found_papers(tmp_path / "out")
    assert lora["topic"] == "notes/lora"
    assert [paper["id"] for paper in lora["papers"]] == ["arxiv:2106.09685", "s2:a1"]
