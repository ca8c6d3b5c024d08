"""The report's data and page: numbers equal the queries', crawled text never becomes markup."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from learngraph.crawler.roadmap import parse_roadmap, read_roadmap
from learngraph.graph import queries
from learngraph.graph.build import build_graph
from learngraph.graph.report import ASSETS, read_changes, render_report, report_data, script_json
from report_case import HOSTILE, hostile_records


@pytest.fixture(scope="module")
def report():
    records, victim = hostile_records()
    G = build_graph(read_roadmap(None), records)
    return G, victim, report_data(G, generated_at="2026-01-01 00:00 UTC")


def embedded_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_every_topic_has_the_plan_the_plan_query_gives(report):
    G, _, data = report
    topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
    assert [t["id"] for t in data["topics"]] == sorted(topics, key=lambda t: G.nodes[t]["index"])
    for topic in topics:
        expected, shown = queries.plan(G, topic), data["plans"][topic]
        assert [(s["topic"], s["resources"]) for s in shown["steps"]] == [
            (s["topic"], s["resources"]) for s in expected["steps"]
        ]
        for key in ("study_time", "video_time", "reading_time", "resources", "papers", "unknown_length"):
            assert shown[key] == expected[key], (topic, key)
        assert sum(s["time"] for s in shown["steps"]) == expected["video_time"] + expected["reading_time"]
    assert data["plans"]["roadmap/llama"]["study_time"] > 0


def test_gaps_and_plots_agree_with_the_graph(report):
    G, _, data = report
    assert data["gaps"] == queries.gaps(G)
    assert data["gaps"]["dead_links"], "the saved crawl has a dead link"
    statuses = [d["status"] for _, d in G.nodes(data=True) if d["type"] == "resource"]
    assert dict(data["plots"]["statuses"]) == {s: statuses.count(s) for s in set(statuses)}
    assert sum(n for _, n in data["plots"]["kinds"]) == len(data["resources"]) == len(statuses)
    own = {t["name"]: t["time"] for t in data["topics"]}
    assert dict(data["plots"]["study_time"]) == {n: s for n, s in own.items() if s}


def test_the_papers_the_roadmap_is_missing_are_listed_apart_from_its_resources(report):
    G, _, data = report
    suggested = {s["id"]: s for s in data["suggestions"]}
    assert (
        set(suggested)
        == {n for n, d in G.nodes(data=True) if d["type"] == "suggestion"}
        == {"arxiv:2203.02155", "arxiv:2005.14165"}
    )
    assert suggested["arxiv:2203.02155"] == {
        "id": "arxiv:2203.02155",
        "title": "Training language models to follow instructions with human feedback",
        "url": "https://arxiv.org/abs/2203.02155",
        "topic": "roadmap/gpt和大模型rlhf训练",
        "cited_by": 3,
    }
    assert not set(suggested) & set(data["resources"])


def test_a_hostile_title_stays_data_and_never_markup(report):
    _, victim, data = report
    page = render_report(data)
    assert HOSTILE not in page
    assert page.count("<script") == page.count("</script") == 3, "each script element closes once"
    assert embedded_data(page)["resources"][victim]["title"] == HOSTILE
    script = (ASSETS / "report.js").read_text(encoding="utf-8")
    assert not [
        sink for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write") if sink in script
    ], "the page's script never parses text as HTML"


def test_the_policy_allows_exactly_the_inline_code_of_the_page_by_hash(report):
    page = BeautifulSoup(render_report(report[2]), "html.parser")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"].split(
            ";"
        )
    )

    def hashes(elements) -> set[str]:
        return {
            f"'sha256-{base64.b64encode(hashlib.sha256(e.string.encode()).digest()).decode()}'"
            for e in elements
        }

    scripts = [s for s in page.find_all("script") if s.get("type") != "application/json"]
    assert len(scripts) == 2 and len(page.find_all("style")) == 2
    assert set(policy["script-src"].split()) == hashes(scripts)
    assert set(policy["style-src"].split()) == hashes(page.find_all("style"))
    assert {policy[d] for d in ("default-src", "base-uri", "form-action", "object-src")} == {"'none'"}
    # The one connection allowed: to the page's own server, the API of `learngraph serve`.
    assert policy["connect-src"] == "'self'"
    assert "unsafe" not in str(policy)


def test_script_json_escapes_what_could_end_a_script_element():
    text = script_json({"t": "</script><!-- & -->"})
    assert not set("<>&") & set(text)
    assert json.loads(text) == {"t": "</script><!-- & -->"}


def test_only_web_links_become_links():
    G = build_graph(parse_roadmap("# R\n## A\n- [a](https://a.org/x)\n"))
    assert report_data(G)["resources"]["https://a.org/x"]["url"] == "https://a.org/x"
    G.nodes["https://a.org/x"]["url"] = "javascript:alert(1)"
    assert report_data(G)["resources"]["https://a.org/x"]["url"] is None


def write_run(runs: Path, name: str, content) -> None:
    (runs / name).mkdir(parents=True)
    text = content if isinstance(content, str) else json.dumps(content)
    (runs / name / "changes.json").write_text(text, encoding="utf-8")


def test_the_latest_run_gives_the_changes(tmp_path):
    runs = tmp_path / "runs"
    assert read_changes(runs) == []
    write_run(runs, "20260101T000000Z", {"previous": None, "changes": [{"kind": "added", "id": "a"}]})
    assert read_changes(runs) == [], "a first run has nothing to compare with"
    died = {"kind": "died", "id": "x", "url": "https://x.org", "before": "ok", "after": "gone", "extra": 1}
    write_run(runs, "20260102T000000Z", {"previous": "20260101T000000Z", "changes": [died]})
    assert read_changes(runs) == [
        {"kind": "died", "id": "x", "before": "ok", "after": "gone", "url": "https://x.org"}
    ]


def test_changes_as_a_bare_list_and_unreadable_files(tmp_path):
    write_run(tmp_path / "a", "1", [{"kind": "retitled", "id": "y", "url": "javascript:x", "title": "T"}, 3])
    assert read_changes(tmp_path / "a") == [{"kind": "retitled", "id": "y", "title": "T", "url": None}]
    write_run(tmp_path / "b", "1", "{not json")
    assert read_changes(tmp_path / "b") == []


def test_a_paper_found_for_an_empty_topic_is_listed_as_found_not_as_cited():
    roadmap = parse_roadmap("# Notes\n## Attention\n[paper](https://arxiv.org/abs/1706.03762)\n## LoRA\n")
    found = [
        {"topic": "notes/lora", "names": ["LoRA"], "papers": [{"id": "arxiv:2106.09685", "title": "LoRA"}]}
    ]
    [suggestion] = report_data(build_graph(roadmap, found=found))["suggestions"]
    assert suggestion == {
        "id": "arxiv:2106.09685",
        "title": "LoRA",
        "url": "https://arxiv.org/abs/2106.09685",
        "topic": "notes/lora",
        "found": True,
    }
