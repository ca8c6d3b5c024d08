"""Topic names that begin other topic names ("Libraries" and "Libraries and Tooling"),
found at the very end of a text: real awesome lists are full of them."""

from __future__ import annotations

from pathlib import Path

from learngraph.crawler.roadmap import parse_roadmap, read_roadmap
from learngraph.graph.aliases import AliasIndex
from learngraph.graph.build import build_graph

ROADMAPS = Path(__file__).parents[1] / "fixtures" / "roadmaps"


def test_a_short_name_at_the_end_of_a_text_is_found_once():
    index = AliasIndex({"long": ["Word Embeddings"], "short": ["Word"]})
    assert [(t, s, e) for t, s, e in index.find("learn a word")] == [("short", 8, 12)]
    assert [t for t, _, _ in index.find("word embeddings")] == ["long", "short"]


def test_a_roadmap_whose_headings_begin_other_headings_builds():
    roadmap = parse_roadmap(
        "# Roadmap\n## Word\n[w](https://a.org/w)\n## Word Embeddings\n[Learn one word](https://a.org/e)\n"
    )
    G = build_graph(roadmap)
    assert G.has_edge("roadmap/word", "roadmap/word-embeddings", "prerequisite")


def test_awesome_nlp_builds_into_a_graph():
    G = build_graph(read_roadmap(ROADMAPS / "awesome-nlp.md"))
    assert sum(d["type"] == "topic" for _, d in G.nodes(data=True)) > 50
