"""The inferred prerequisites measured against a practitioner's judged pairs.

The floors are the figures of ``benchmarks/prereqs.py`` when they were set: a change to
the inference may raise them, never lower them.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph.build import build_graph
from learngraph.graph.judged import Judged, agreement, measure, read_judged

ROOT = Path(__file__).parents[2]
JUDGED = sorted((ROOT / "tests" / "fixtures" / "prereqs").glob("*.judged.json"))

# roadmap -> basis -> (precision, recall) floors; None where the basis inferred nothing.
FLOORS = {
    "nlp-roadmap": {
        "all": (0.88, 0.61),
        "citation": (1.0, 0.3),
        "mention": (1.0, 0.07),
        "parent": (1.0, 0.07),
        "order": (0.66, 0.15),
    },
    "llm-course": {"all": (0.68, 0.87), "order": (0.68, 0.87)},
    "awesome-nlp": {"all": (1.0, 0.75), "mention": (1.0, 0.75)},
    "ml-youtube-courses": {"all": (None, 0.0)},
}


def test_every_roadmap_in_the_shared_set_and_the_embedded_one_is_judged():
    assert {p.name.removesuffix(".judged.json") for p in JUDGED} == set(FLOORS)


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_judged_pairs_name_topics_of_their_roadmap_and_give_reasons(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["accept"] and data["reject"]
    assert all(pair["reason"].strip() for pair in data["accept"] + data["reject"])
    measure(path, ROOT)  # raises NodeNotFound for a judged topic the roadmap lacks


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_agreement_never_falls_below_its_floor(path):
    scores = measure(path, ROOT)
    for basis, (precision, recall) in FLOORS[path.name.removesuffix(".judged.json")].items():
        if precision is None:
            assert scores[basis]["precision"] is None
        else:
            assert scores[basis]["precision"] >= precision, basis
        assert scores[basis]["recall"] >= recall, basis


def test_agreement_counts_wrong_pairs_and_finds_accepted_ones_through_chains():
    G = build_graph(
        parse_roadmap(
            "# Roadmap\n## A\n[a](https://a.org)\n## B\n[b](https://b.org)\n## C\n[c](https://c.org)\n"
        )
    )
    judged = Judged("-", None, accept=[("A", "C"), ("C", "A")], reject=[("B", "C")])
    scores = agreement(G, judged)["order"]
    assert (scores["pairs"], scores["judged_wrong"], scores["precision"]) == (2, 1, 0.5)
    assert (scores["accepted_found"], scores["recall"]) == (1, 0.5)
    assert agreement(G, judged)["mention"]["precision"] is None


def test_a_judged_topic_the_roadmap_lacks_is_named(tmp_path):
    G = build_graph(parse_roadmap("# Roadmap\n## A\n"))
    with pytest.raises(nx.NodeNotFound, match="Quantum"):
        agreement(G, Judged("-", None, accept=[("A", "Quantum")], reject=[]))


def test_a_pair_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "x.judged.json"
    path.write_text(json.dumps({"roadmap": "x.md", "accept": [{"before": "A", "after": "B"}]}))
    with pytest.raises(ValueError, match="accept #1 needs"):
        read_judged(path)
