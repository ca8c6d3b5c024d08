"""A found-papers.json that is not what a crawl writes (damaged, hand-edited, another
program's): `build` says so in one line and exits 2; a crawl searches again and replaces it."""

from __future__ import annotations

import pytest

from learngraph.crawler.paper_search import read_found_papers
from learngraph_process import assert_one_line_error, run_learngraph, site_settings

ROADMAP = "# Notes\n## Attention\n[post]({base}/posts/attention)\n## LoRA\n"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"topic": "notes/lora"}',
        '["notes/lora"]',
        '[{"topic": "notes/lora", "papers": "none"}]',
        '[{"topic": "notes/lora", "papers": [{"title": "no id"}]}]',
        '[{"topic": "notes/lora", "papers": [{"id": "arxiv:1", "references": [17]}]}]',
        '[{"topic": ["notes/lora"], "papers": []}]',
    ],
)
def test_build_names_the_damaged_file_in_one_line(tmp_path, content):
    (tmp_path / "roadmap.md").write_text(ROADMAP.format(base="https://example.org"), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "resources.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "out" / "found-papers.json").write_text(content, encoding="utf-8")
    result = run_learngraph("build", "roadmap.md", "--out", "out", cwd=tmp_path)
    assert_one_line_error(result, "found-papers.json")


def test_a_crawl_replaces_a_damaged_file_with_a_new_search(site, tmp_path):
    (tmp_path / "roadmap.md").write_text(ROADMAP.format(base=site.base), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "found-papers.json").write_text("{not json", encoding="utf-8")
    s2 = {"SEMANTIC_SCHOLAR_API_URL": f"{site.base}/s2/graph/v1", "SEMANTIC_SCHOLAR_DELAY": "0"}
    result = run_learngraph("run", "roadmap.md", "--out", "out", *site_settings(site, **s2), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [lora] = read_found_papers(tmp_path / "out")
    assert lora["papers"][0]["id"] == "arxiv:2106.09685"
