"""Roadmaps holding learngraph's annotation markers by hand, where annotate never writes
them (in code, unclosed, across lines, around links), and graphs whose facts are not what
a crawl writes: the parser reads only real annotations as annotations, and annotate never
removes what it did not write nor writes what a stranger put in the graph."""

from __future__ import annotations

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.roadmap.annotations import without_annotations
from learngraph.graph.annotate import annotated_roadmap
from learngraph.graph.build import build_graph

OPEN, CLOSE = "<!-- learngraph -->", "<!-- /learngraph -->"


def links(text: str) -> list[str]:
    return [m.url for r in parse_roadmap(text).resources for m in r.mentions]


def test_markers_in_code_are_text_and_stay():
    text = (
        f"- [a](https://a.org/x) `{OPEN} (★ 1k){CLOSE}`\n\n"
        f"```markdown\n[b](https://b.org/y){OPEN} (★ 2k){CLOSE}\n{OPEN}⏱ 1h to study{CLOSE}\n```\n"
    )
    assert without_annotations(text) == text
    roadmap = parse_roadmap(text)
    G = build_graph(roadmap, [{"id": roadmap.resources[0].id, "status": "ok", "stars": 5}])
    result = annotated_roadmap(text, G)
    assert result == text.replace("(https://a.org/x)", f"(https://a.org/x){OPEN} (★ 5){CLOSE}", 1)
    assert annotated_roadmap(result, G) == result


def test_an_unclosed_marker_hides_nothing():
    text = f"- [a](https://a.org/x) {OPEN} then [b](https://b.org/y) and www.c.org\n"
    assert links(text) == ["https://a.org/x", "https://b.org/y", "http://www.c.org"]
    assert without_annotations(text) == text


def test_markers_around_a_link_do_not_hide_it():
    # Only text stands between the markers annotate writes; a link there is the roadmap's.
    text = f"- see {OPEN}[a](https://a.org/x){CLOSE} and {OPEN}<https://b.org/y>{CLOSE}\n"
    assert links(text) == ["https://a.org/x", "https://b.org/y"]
    assert without_annotations(text) == text


def test_markers_on_two_lines_are_no_annotation():
    text = f"# Basics\n# Advanced\nPrerequisites: Basics {OPEN} (or Intro)\nor Primer{CLOSE}, Practice\n"
    assert without_annotations(text) == text
    assert parse_roadmap(text).topics[1].requires == ["Basics (or Intro) or Primer", "Practice"]


def test_a_real_annotation_in_a_prerequisites_line_is_skipped():
    plain = "# Basics\n# Advanced\nPrerequisites: [Basics](https://a.org/basics)\n"
    text = plain.replace("(https://a.org/basics)", f"(https://a.org/basics){OPEN} (📖 5m · 📄 2020){CLOSE}")
    assert parse_roadmap(text).topics == parse_roadmap(plain).topics
    assert parse_roadmap(text).topics[1].requires == ["Basics"]


def test_facts_of_the_wrong_type_in_the_graph_are_never_written():
    text = "- [a](https://a.org/x)\n"
    roadmap = parse_roadmap(text)
    G = build_graph(
        roadmap,
        [
            {
                "id": roadmap.resources[0].id,
                "status": "<!-- /learngraph -->",
                "stars": "9 -->\n# Injected",
                "duration": "1h",
                "published": "-->",
                "http_status": "<b>",
            }
        ],
    )
    assert G.nodes[roadmap.resources[0].id]["stars"] == "9 -->\n# Injected"
    assert annotated_roadmap(text, G) == text
