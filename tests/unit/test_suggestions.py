"""Papers the roadmap is missing, from what its papers cite; ``learngraph suggest``."""

from __future__ import annotations

import doctest
import json
import socket
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from learngraph.cli import main
from learngraph.crawler import paper_search
from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph import papers, queries, suggestions
from learngraph.graph.build import build_graph
from learngraph.graph.formats import jsonld, node_link, write_json
from learngraph.graph.suggestions import missing_papers

INSTRUCT_GPT, GPT3 = "arxiv:2203.02155", "arxiv:2005.14165"
CITING = ["arxiv:2302.13971", "arxiv:2303.13648", "arxiv:2303.04048"]


def test_papers_cited_by_several_of_the_roadmaps_papers_and_listed_nowhere(embedded_graph):
    found = {s["id"]: s for s in missing_papers(embedded_graph)}
    assert set(found) == {INSTRUCT_GPT, GPT3}
    # The InstructGPT video's description links the paper: it belongs under that video's topic.
    assert found[INSTRUCT_GPT]["topic"] == "roadmap/gpt和大模型rlhf训练"
    assert found[INSTRUCT_GPT]["url"] == "https://arxiv.org/abs/2203.02155"
    assert found[INSTRUCT_GPT]["cited_by"] == CITING
    # Nothing links GPT-3: it goes where the papers that cite it most are listed.
    assert found[GPT3]["topic"] == "roadmap/openai接口整活"


def test_a_paper_cited_once_is_suggested_only_when_asked_for_less(embedded_graph):
    assert "arxiv:1706.03762" not in {s["id"] for s in missing_papers(embedded_graph)}
    [attention] = [s for s in missing_papers(embedded_graph, min_citing=1) if s["id"] == "arxiv:1706.03762"]
    assert (attention["title"], attention["topic"]) == ("Attention Is All You Need", "roadmap/transformer")


def test_suggestions_for_one_topic_and_more_cited_first():
    roadmap = parse_roadmap(
        "# Notes\n## A\n[p1](https://arxiv.org/abs/2301.00001)\n[p2](https://arxiv.org/abs/2301.00002)\n"
        "## B\n[p3](https://arxiv.org/abs/2301.00003)\n"
    )
    refs = {
        "arxiv:2301.00001": ["arxiv:9", "arxiv:8"],
        "arxiv:2301.00002": ["arxiv:9", "arxiv:8", "arxiv:2301.00003"],
        "arxiv:2301.00003": ["arxiv:9"],
    }
    records = [
        {"id": p, "status": "ok", "references": [{"id": r} for r in cited]} for p, cited in refs.items()
    ]
    G = build_graph(roadmap, records)
    assert [(s["id"], s["topic"]) for s in missing_papers(G)] == [
        ("arxiv:9", "notes/a"),
        ("arxiv:8", "notes/a"),
    ]
    assert missing_papers(G, "notes/b") == []
    assert G.number_of_nodes() == build_graph(roadmap, records).number_of_nodes()  # nothing added


def test_suggest_command_prints_each_paper_with_its_citing_papers_and_topic(embedded_graph, tmp_path):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    result = CliRunner().invoke(main, ["suggest", "--graph", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "Training language models to follow instructions with human feedback — cited by 3 of your papers "
        "(LLaMA, ChatGPT or Grammarly, Is ChatGPT a Good NLG Evaluator) — belongs under GPT和大模型RLHF训练"
    ) in " ".join(result.output.split())
    as_json = json.loads(CliRunner().invoke(main, ["suggest", "gpt", "--json", "--graph", str(path)]).output)
    assert [s["id"] for s in as_json["missing_papers"]] == [INSTRUCT_GPT]
    assert as_json["empty_topics"] == []  # SEMANTIC_SCHOLAR_API_URL is empty in the tests


def test_suggest_on_an_unknown_topic_is_one_line_and_exit_2(embedded_graph, tmp_path):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    result = CliRunner().invoke(main, ["suggest", "Quantum", "--graph", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("learngraph: error: no topic 'Quantum'")


def test_the_topics_with_nothing_to_study_are_the_ones_to_fill(embedded_graph):
    assert suggestions.topics_to_fill(embedded_graph) == [
        "roadmap/lora",
        "roadmap/aigc/diffusion",
        "roadmap/prompt",
    ]


@pytest.fixture
def graph_file(embedded_graph, tmp_path):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    return str(path)


def search(site, graph_file, *args):
    s2 = [f"SEMANTIC_SCHOLAR_API_URL={site.base}/s2/graph/v1", "SEMANTIC_SCHOLAR_DELAY=0"]
    result = CliRunner().invoke(
        main, ["suggest", *args, "--graph", graph_file, *(arg for pair in s2 for arg in ("-s", pair))]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_an_empty_topic_is_filled_from_semantic_scholars_search_most_cited_first(site, graph_file):
    found = json.loads(search(site, graph_file, "LoRA", "--json"))["empty_topics"]
    assert site.s2_searches == ["LoRA Low Rank Adaptation"]
    [lora] = found
    assert lora["topic"] == "roadmap/lora"
    assert [(p["title"], p["url"]) for p in lora["papers"]] == [
        ("LoRA: Low-Rank Adaptation of Large Language Models", "https://arxiv.org/abs/2106.09685"),
        ("LoRA Learns Less and Forgets Less", "https://arxiv.org/abs/2405.09673"),
    ]


def test_every_empty_topic_is_searched_and_a_429_waited_out(site, graph_file):
    site.s2_busy = 1
    text = " ".join(search(site, graph_file).split())
    assert len(site.s2_searches) == 3
    assert (
        "LoRA has nothing to study; Semantic Scholar finds: LoRA: Low-Rank Adaptation of Large Language "
        "Models (2021, 8000 citations) https://arxiv.org/abs/2106.09685"
    ) in text
    assert "Diffusion has nothing to study; Semantic Scholar finds:" in text


def test_an_unreachable_search_is_said_in_one_line_and_the_rest_still_shown(graph_file):
    result = CliRunner().invoke(
        main,
        [
            "suggest",
            "LoRA",
            "--graph",
            graph_file,
            "-s",
            "SEMANTIC_SCHOLAR_API_URL=http://127.0.0.1:9/graph/v1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "LoRA has nothing to study" in result.output and "(no answer:" in result.output


@pytest.mark.parametrize("module", [suggestions, papers])
def test_docstring_examples_run(module):
    assert doctest.testmod(module, raise_on_error=True).attempted > 0


def test_missing_papers_are_suggestion_nodes_of_the_graph_never_its_resources(embedded_graph, tmp_path):
    gpt = "roadmap/gpt和大模型rlhf训练"
    node = embedded_graph.nodes[INSTRUCT_GPT]
    assert (node["type"], node["url"], node["cited_by"]) == (
        "suggestion",
        "https://arxiv.org/abs/2203.02155",
        CITING,
    )
    assert embedded_graph.has_edge(INSTRUCT_GPT, gpt, "suggested_for")
    assert INSTRUCT_GPT not in queries.topic_resources(embedded_graph, gpt)
    assert INSTRUCT_GPT not in [
        r for step in queries.plan(embedded_graph, gpt)["steps"] for r in step["resources"]
    ]
    document = jsonld.jsonld_data(embedded_graph)
    [entry] = [e for e in document["@graph"] if e.get("identifier") == INSTRUCT_GPT]
    assert (entry["@type"], entry["creativeWorkStatus"]) == ("ScholarlyArticle", "suggested")
    assert entry["about"] == [{"@id": "urn:learngraph:topic:" + quote(gpt, safe="/:")}]
    write_json(embedded_graph, tmp_path / "graph.json")
    assert node_link.read_json(tmp_path / "graph.json").nodes[INSTRUCT_GPT]["type"] == "suggestion"


def test_a_search_service_whose_name_does_not_resolve_is_said_as_a_crawl_says_it(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(OSError, match="^the host name does not resolve$"):
        paper_search.fetch("http://semantic-scholar.test/graph/v1/paper/search?query=lora", "")
