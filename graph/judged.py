"""Prerequisite pairs a practitioner judged, and how far a graph agrees with them.

A judged file is JSON: the roadmap it judges (and optionally a crawl of it: its
resources.jsonl, with the papers found for empty topics beside it), relative to the
project's root, and two lists of ``{"before": TOPIC, "after": TOPIC, "reason": ...}``:
``accept`` (``before`` should be learnt first) and ``reject`` (it should not be named a
prerequisite). Topics are ids, names or aliases, as ``prereqs`` takes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..crawler.paper_search import read_found_papers
from ..crawler.records import read_records
from ..crawler.roadmap import read_roadmap
from .aliases import resolve_topic
from .build import build_graph
from .prerequisites import BASES


@dataclass(frozen=True)
class Judged:
    roadmap: str
    resources: str | None
    accept: list[tuple[str, str]]
    reject: list[tuple[str, str]]


def read_judged(path) -> Judged:
    """Read a judged file; raises ValueError naming what is malformed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pairs = {}
    for verdict in ("accept", "reject"):
        pairs[verdict] = []
        for n, pair in enumerate(data.get(verdict, []), 1):
            if not (pair.get("before") and pair.get("after") and pair.get("reason")):
                raise ValueError(f"{path}: {verdict} #{n} needs 'before', 'after' and a 'reason'")
            pairs[verdict].append((pair["before"], pair["after"]))
    return Judged(data["roadmap"], data.get("resources"), pairs["accept"], pairs["reject"])


def agreement(G: nx.MultiDiGraph, judged: Judged) -> dict[str, dict]:
    """Precision and recall of the prerequisite edges of ``G``, per basis and over all.

    Precision: the share of inferred pairs not judged wrong. Recall: the share of accepted
    pairs the edges lead along, directly or through a chain. A basis that inferred nothing
    has no precision (None). Raises ``nx.NodeNotFound`` for a judged topic not in ``G``.
    """
    accept = [(resolve_topic(G, u), resolve_topic(G, v)) for u, v in judged.accept]
    reject = {(resolve_topic(G, u), resolve_topic(G, v)) for u, v in judged.reject}
    edges = [(u, v, d["basis"]) for u, v, k, d in G.edges(keys=True, data=True) if k == "prerequisite"]
    scores = {}
    for basis in (*BASES, "all"):
        P = nx.DiGraph((u, v) for u, v, b in edges if basis in ("all", b))
        inferred = set(P.edges)
        wrong = inferred & reject
        found = [(u, v) for u, v in accept if u in P and v in P and nx.has_path(P, u, v)]
        scores[basis] = {
            "pairs": len(inferred),
            "judged_wrong": len(wrong),
            "accepted_found": len(found),
            "accepted": len(accept),
            "precision": (len(inferred) - len(wrong)) / len(inferred) if inferred else None,
            "recall": len(found) / len(accept) if accept else None,
        }
    return scores


def measure(path, root) -> dict[str, dict]:
    """The agreement of the graph built from a judged file's roadmap (and crawl), with
    the files it names read relative to ``root``."""
    judged = read_judged(path)
    crawl = Path(root) / judged.resources if judged.resources else None
    records = read_records(crawl) if crawl else []
    found = read_found_papers(crawl.parent) if crawl else []
    return agreement(build_graph(read_roadmap(Path(root) / judged.roadmap), records, found=found), judged)
