"""Prerequisite edges between topics, each with its basis, confidence and evidence.

Three bases, strongest first:

- ``explicit``: declared under a heading of the roadmap (``Prerequisites: A, B`` or
  ``<!-- requires: A, B -->``) or in a sidecar file of ``TOPIC: A, B`` lines;
- ``mention``: the resources of a topic (titles, descriptions, abstracts, chapters, tags)
  name an earlier topic that has something to study, outside its own branch;
- ``order``: in a section that is a roadmap, a topic follows its previous sibling, and a
  first subsection follows its parent.

The relation is kept acyclic: each cycle is reported with its evidence and broken at its
weakest edge.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .aliases import AliasIndex, read_name_lists, resolve_topic

EXPLICIT_CONFIDENCE = 1.0
ORDER_CONFIDENCE = 0.3
# One mentioning resource gives 0.5; each further one adds 0.1, up to 0.8.
MENTION_CONFIDENCE, MENTION_STEP, MENTION_MAX = 0.4, 0.1, 0.8
MENTION_FIELDS = ("title", "description", "abstract", "chapters", "tags")
MAX_EVIDENCE = 3
ROADMAP_SECTION = re.compile(r"roadmap|路线|学习路径|learning path|curriculum|syllabus", re.I)
SENTENCE_END = re.compile(r"[.!?。！？\n]")


@dataclass
class Declaration:
    """``topic`` requires ``requires``, as written by the user; ``where`` says where."""

    topic: str
    requires: list[str]
    where: str


def read_declarations(path) -> list[Declaration]:
    """Read a sidecar file of ``TOPIC: PREREQUISITE, PREREQUISITE`` lines."""
    return [Declaration(name, values, f"{path} line {line}")
            for name, values, line in read_name_lists(path)]


def roadmap_declarations(roadmap) -> list[Declaration]:
    """The prerequisites declared under the headings of the roadmap."""
    return [Declaration(t.id, t.requires, f"{roadmap.source} under '{t.name}' (line {t.line})")
            for t in roadmap.topics if t.requires]


def prerequisite_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A read-only view of the topics and the prerequisite edges between them."""
    return nx.subgraph_view(G, filter_node=lambda n: G.nodes[n]["type"] == "topic",
                            filter_edge=lambda u, v, k: k == "prerequisite")


def add_prerequisites(G: nx.MultiDiGraph, roadmap, index: AliasIndex,
                      declarations: Iterable[Declaration] = ()) -> None:
    """Add the prerequisite edges of all three bases to ``G``, then break any cycle.

    ``G`` holds the topics, resources and ``covers`` edges already. Declarations that name
    no topic go to ``G.graph["unresolved"]``, broken cycles to ``G.graph["cycles"]``.
    """
    edges: dict[tuple[str, str], dict] = {}
    _declared_edges(G, [*roadmap_declarations(roadmap), *declarations], edges)
    _mention_edges(G, index, edges)
    _order_edges(roadmap, edges)
    G.add_edges_from((u, v, "prerequisite", data) for (u, v), data in edges.items())
    G.graph["cycles"] = break_cycles(G)


def _propose(edges: dict, u: str, v: str, basis: str, confidence: float, evidence: str) -> None:
    """Record that u comes before v; one edge per pair keeps its strongest basis."""
    if u == v:
        return
    edge = edges.setdefault((u, v), {"type": "prerequisite", "basis": basis,
                                     "confidence": confidence, "evidence": []})
    if confidence > edge["confidence"]:
        edge.update(basis=basis, confidence=confidence)
    if evidence not in edge["evidence"]:
        edge["evidence"].append(evidence)


def _declared_edges(G: nx.MultiDiGraph, declarations: list[Declaration], edges: dict) -> None:
    unresolved = G.graph.setdefault("unresolved", [])
    for declaration in declarations:
        try:
            topic = resolve_topic(G, declaration.topic)
        except nx.NodeNotFound as error:
            unresolved.append(f"{declaration.where}: {error}")
            continue
        for name in declaration.requires:
            try:
                required = resolve_topic(G, name)
            except nx.NodeNotFound as error:
                unresolved.append(f"{declaration.where}: {error}")
                continue
            _propose(edges, required, topic, "explicit", EXPLICIT_CONFIDENCE,
                     f"explicit: {declaration.where}: requires {name}")


def _mention_edges(G: nx.MultiDiGraph, index: AliasIndex, edges: dict) -> None:
    topics = {n: d for n, d in G.nodes(data=True) if d["type"] == "topic"}
    lineage = _lineages(G)
    studied = studied_topics(G)
    mentions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for resource, data in G.nodes(data=True):
        if data["type"] != "resource":
            continue
        covered = [v for _, v, k in G.out_edges(resource, keys=True) if k == "covers"]
        for named, evidence in _named_topics(resource, data, index):
            if named not in studied:
                continue
            for topic in covered:
                before = topics[named]["index"] < topics[topic]["index"]
                related = named in lineage[topic] or topic in lineage[named]
                if before and not related and evidence not in mentions[named, topic]:
                    mentions[named, topic].append(evidence)
    for (u, v), found in mentions.items():
        confidence = min(MENTION_MAX, MENTION_CONFIDENCE + MENTION_STEP * len(found))
        for evidence in found[:MAX_EVIDENCE]:
            _propose(edges, u, v, "mention", round(confidence, 2), evidence)


def _lineages(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each topic with the headings above it."""
    parent = {u: v for u, v, k in G.edges(keys=True) if k == "subtopic_of"}
    lineages = {}
    for topic, data in G.nodes(data=True):
        if data["type"] == "topic":
            line = lineages[topic] = {topic}
            while topic in parent:
                topic = parent[topic]
                line.add(topic)
    return lineages


def studied_topics(G: nx.MultiDiGraph) -> set[str]:
    """Topics with something to study: a resource listed under them or a subsection."""
    lineage = _lineages(G)
    return {a for u, v, k in G.edges(keys=True)
            if k == "covers" and G.nodes[u]["type"] == "resource" for a in lineage[v]}


def _named_topics(resource: str, data: dict, index: AliasIndex):
    """(topic, evidence) for each topic the fetched text of a resource names, once each."""
    seen = set()
    for field in MENTION_FIELDS:
        value = data.get(field)
        if field == "chapters" and value:
            value = "\n".join(chapter.get("title", "") for chapter in value)
        elif field == "tags" and value:
            value = ", ".join(value)
        if not value:
            continue
        for topic, start, end in index.find(value):
            if topic not in seen:
                seen.add(topic)
                yield topic, f'mention: {resource} {field}: "{_sentence(value, start, end)}"'


def _sentence(text: str, start: int, end: int, width: int = 160) -> str:
    """The sentence around text[start:end], cut to ``width`` characters around the match."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = SENTENCE_END.search(text, end)
    right = stop.end() if stop else len(text)
    left = max(left, start - width // 2)
    right = min(right, end + width // 2)
    return " ".join(text[left:right].split())


def _order_edges(roadmap, edges: dict) -> None:
    by_id = {t.id: t for t in roadmap.topics}
    sections = [t for t in roadmap.topics if ROADMAP_SECTION.search(t.name)]
    for section in sections:
        stack = list(section.children)
        while stack:
            topic = by_id[stack.pop()]
            stack += topic.children
            parent = by_id[topic.parent]
            if topic.order > 0:
                before = by_id[parent.children[topic.order - 1]]
                evidence = f"order: '{before.name}' comes before '{topic.name}' under '{parent.name}'"
            elif parent is not section:
                before = parent
                evidence = f"order: '{topic.name}' is the first subsection of '{parent.name}'"
            else:
                continue
            _propose(edges, before.id, topic.id, "order", ORDER_CONFIDENCE,
                     f"{evidence} (line {topic.line})")


def break_cycles(G: nx.MultiDiGraph) -> list[dict]:
    """Remove the weakest edge of each prerequisite cycle; return what was found and removed.

    The weakest edge has the lowest confidence; among equals, the one pointing furthest
    back in the roadmap goes.
    """
    P = prerequisite_graph(G)
    reports = []
    while True:
        try:
            cycle = nx.find_cycle(P)
        except nx.NetworkXNoCycle:
            return reports
        steps = [(u, v, G.edges[u, v, "prerequisite"]) for u, v, *_ in cycle]
        u, v, _ = min(steps, key=lambda s: (s[2]["confidence"],
                                            G.nodes[s[1]]["index"] - G.nodes[s[0]]["index"]))
        reports.append({
            "cycle": [{"from": a, "to": b, "basis": d["basis"], "confidence": d["confidence"],
                       "evidence": d["evidence"]} for a, b, d in steps],
            "removed": {"from": u, "to": v},
        })
        G.remove_edge(u, v, "prerequisite")
