"""Prerequisite edges between topics, each with its basis, confidence and evidence.

Five bases, strongest first:

- ``explicit``: declared under a heading of the roadmap (``Prerequisites: A, B`` or
  ``<!-- requires: A, B -->``) or in a sidecar file of ``TOPIC: A, B`` lines;
- ``citation``: a paper of a topic (listed under it, or named in the description of one
  of its resources) cites a paper of another topic; for a topic with nothing to study, a
  paper Semantic Scholar's search found for it does, with less confidence;
- ``mention``: the resources of a topic (titles, descriptions, abstracts, chapters, tags)
  name an earlier topic that has something to study, outside its own branch;
- ``parent``: a subsection builds on the resources its parent section lists itself,
  unless those resources name one of its subsections (an overview that assumes them);
- ``order``: among the subsections of a section the roadmap says is ordered, a topic
  follows the previous one, asides and catch-alls ("New Trends", "Other") skipped.

A section is ordered when its name says it is a roadmap, its introduction says it is read
in order ("in the order I study it", "step by step", "按顺序"), its subsections are
numbered ("1.", "Step 2", "Week 3", "Part II", "第一阶段"), or it carries an
``<!-- ordered -->`` marker. Only its own subsections are steps: the parts of a step
(GAN, DALL-E and Diffusion under AIGC) are side by side unless the step says otherwise.
Sections that are no subject of study (tips, contents, interview questions, companies,
licences, shelves of a catalogue such as "Libraries" or "Datasets") and topics with
nothing to study are never prerequisites; a topic with nothing to study gets none from
its place either, and breaks the sequence it stands in.

The relation is kept acyclic: each cycle is reported with its evidence and broken at its
weakest edge.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from .aliases import AliasIndex, read_name_lists, resolve_topic
from .papers import is_paper, named_papers
from .sections import (
    covers,
    in_aside,
    is_catch_all,
    lineages,
    ordered_sections,
    studied_topics,
    subjects_of_study,
)

if TYPE_CHECKING:  # only for the types: graph queries need no Markdown parser
    from ..crawler.roadmap import Roadmap

BASES = ("explicit", "citation", "mention", "parent", "order")
EXPLICIT_CONFIDENCE = 1.0
# One citing pair gives 0.6; each further one adds 0.1, up to 0.9.
CITATION_CONFIDENCE, CITATION_STEP, CITATION_MAX = 0.5, 0.1, 0.9
# A paper found for a topic is a guess at what the roadmap would list there: one citing
# pair gives 0.45, each further one 0.05 more, up to 0.55, below any listed paper's.
FOUND_CITATION_CONFIDENCE, FOUND_CITATION_STEP, FOUND_CITATION_MAX = 0.4, 0.05, 0.55
PARENT_CONFIDENCE = 0.4
ORDER_CONFIDENCE = 0.3
# One mentioning resource gives 0.5; each further one adds 0.1, up to 0.8.
MENTION_CONFIDENCE, MENTION_STEP, MENTION_MAX = 0.4, 0.1, 0.8
MENTION_FIELDS = ("title", "description", "abstract", "chapters", "tags")
MAX_EVIDENCE = 3
SENTENCE_END = re.compile(r"[.!?。！？\n]")


@dataclass
class Declaration:
    """``topic`` requires ``requires``, as written by the user; ``where`` says where."""

    topic: str
    requires: list[str]
    where: str


def read_declarations(path) -> list[Declaration]:
    """Read a sidecar file of ``TOPIC: PREREQUISITE, PREREQUISITE`` lines."""
    return [Declaration(name, values, f"{path} line {line}") for name, values, line in read_name_lists(path)]


def roadmap_declarations(roadmap: Roadmap) -> list[Declaration]:
    """The prerequisites declared under the headings of the roadmap."""
    return [
        Declaration(t.id, t.requires, f"{roadmap.source} under '{t.name}' (line {t.line})")
        for t in roadmap.topics
        if t.requires
    ]


def prerequisite_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A read-only view of the topics and the prerequisite edges between them."""
    return nx.subgraph_view(
        G,
        filter_node=lambda n: G.nodes[n]["type"] == "topic",
        filter_edge=lambda u, v, k: k == "prerequisite",
    )


def add_prerequisites(
    G: nx.MultiDiGraph,
    roadmap: Roadmap,
    index: AliasIndex,
    owners: dict[str, set[str]],
    covered: list[tuple[str, str]],
    declarations: Iterable[Declaration] = (),
    found: Iterable[dict] = (),
) -> None:
    """Add the prerequisite edges of all five bases to ``G``, then break any cycle.

    ``G`` holds the topics, resources and ``covers`` edges already; ``owners`` is
    ``topic_papers(G)`` and ``covered`` lists ``covers(G)``: a walk over the graph's edges
    is the slow part of each basis. ``found`` are the papers found for topics with nothing to study
    (``id``, ``title``, ``topic``, ``references``).
    Declarations that name no topic go to ``G.graph["unresolved"]``, broken cycles to
    ``G.graph["cycles"]``.
    """
    edges: dict[tuple[str, str], dict] = {}
    studied = studied_topics(G, covered)
    subjects = subjects_of_study(G, studied)
    _declared_edges(G, [*roadmap_declarations(roadmap), *declarations], edges)
    _citation_edges(G, owners, subjects, edges, list(found))
    _mention_edges(G, roadmap, index, covered, subjects, edges)
    _parent_edges(G, roadmap, index, covered, studied, subjects, edges)
    _order_edges(G, roadmap, subjects, edges)
    G.add_edges_from((u, v, "prerequisite", data) for (u, v), data in edges.items())
    G.graph["cycles"] = break_cycles(G)


def _propose(edges: dict, u: str, v: str, basis: str, confidence: float, evidence: str) -> None:
    """Record that u comes before v; one edge per pair keeps its strongest basis."""
    if u == v:
        return
    edge = edges.setdefault(
        (u, v), {"type": "prerequisite", "basis": basis, "confidence": confidence, "evidence": []}
    )
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
            _propose(
                edges,
                required,
                topic,
                "explicit",
                EXPLICIT_CONFIDENCE,
                f"explicit: {declaration.where}: requires {name}",
            )


def topic_papers(G: nx.MultiDiGraph, covered: Iterable[tuple[str, str]] | None = None) -> dict[str, set[str]]:
    """Each paper of the roadmap with the topics it belongs to: listed under them, or
    named (arXiv id, DOI) in the description of a resource listed under them.
    ``covered`` is ``covers(G)`` when the caller has listed it already."""
    owners: dict[str, set[str]] = defaultdict(set)
    for resource, topic in covers(G) if covered is None else covered:
        own = [resource] if is_paper(resource) else []
        for paper in own + named_papers(G.nodes[resource]):
            owners[paper].add(topic)
    return owners


def citation_evidence(paper: dict, reference: dict, found_for: str | None = None) -> str:
    """Why a citation orders two topics: which paper cites which, and for a paper found by
    search, the topic it was found for."""
    found = f", found for {found_for}" if found_for else ""
    return (
        f"citation: {paper.get('title') or paper['id']} ({paper['id']}{found}) cites "
        f"{reference.get('title') or reference['id']} ({reference['id']})"
    )


def _citation_edges(
    G: nx.MultiDiGraph, owners: dict[str, set[str]], subjects: set[str], edges: dict, found: list[dict]
) -> None:
    """A topic whose paper cites a paper of another topic (``owners``: ``topic_papers``)
    comes after that topic; so does a topic with nothing to study whose found paper does."""
    listed = [({"id": p, **(G.nodes[p] if p in G else {})}, topics, None) for p, topics in owners.items()]
    searched = [(paper, {paper["topic"]}, G.nodes[paper["topic"]]["name"]) for paper in found]
    for papers, (start, step, most) in (
        (listed, (CITATION_CONFIDENCE, CITATION_STEP, CITATION_MAX)),
        (searched, (FOUND_CITATION_CONFIDENCE, FOUND_CITATION_STEP, FOUND_CITATION_MAX)),
    ):
        citing: dict[tuple[str, str], list[str]] = defaultdict(list)
        for paper, topics, found_for in papers:
            for reference in paper.get("references", ()):
                evidence = citation_evidence(paper, reference, found_for)
                for before in owners.get(reference["id"], ()):
                    for after in topics:
                        if before in subjects and before != after and evidence not in citing[before, after]:
                            citing[before, after].append(evidence)
        for (u, v), evidence in citing.items():
            confidence = round(min(most, start + step * len(evidence)), 2)
            for line in evidence[:MAX_EVIDENCE]:
                _propose(edges, u, v, "citation", confidence, line)


def _mention_edges(
    G: nx.MultiDiGraph,
    roadmap: Roadmap,
    index: AliasIndex,
    covered: list[tuple[str, str]],
    subjects: set[str],
    edges: dict,
) -> None:
    """A topic whose resources name an earlier topic outside its own branch comes after it.

    The parts of an unordered section of the list (GAN, DALL-E, Diffusion under AIGC) are
    alternatives: a resource of one that names another compares them, or retells history.
    """
    topics = {n: d for n, d in G.nodes(data=True) if d["type"] == "topic"}
    lineage = lineages(G)
    parent = {t.id: t.parent for t in roadmap.topics}
    ordered = ordered_sections(roadmap)
    # Where each resource names the topic: quoted only for the evidence kept.
    mentions: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    listed_under: dict[str, list[str]] = defaultdict(list)
    for resource, topic in covered:
        listed_under[resource].append(topic)
    for resource, own_topics in listed_under.items():
        for named, *place in _named_topics(G.nodes[resource], index):
            if named not in subjects:
                continue
            for topic in own_topics:
                before = topics[named]["index"] < topics[topic]["index"]
                related = named in lineage[topic] or topic in lineage[named]
                shared = parent.get(topic)
                side_by_side = (
                    shared == parent.get(named) and parent.get(shared) is not None and shared not in ordered
                )
                if before and not related and not side_by_side:
                    mentions[named, topic].append((resource, *place))
    for (u, v), places in mentions.items():
        confidence = min(MENTION_MAX, MENTION_CONFIDENCE + MENTION_STEP * len(places))
        for resource, field, text, start, end in places[:MAX_EVIDENCE]:
            evidence = f'mention: {resource} {field}: "{_sentence(text, start, end)}"'
            _propose(edges, u, v, "mention", round(confidence, 2), evidence)


def _named_topics(data: dict, index: AliasIndex):
    """(topic, field, text, start, end) for each topic the fetched text of a resource
    names, at its first place."""
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
                yield topic, field, value, start, end


def _sentence(text: str, start: int, end: int, width: int = 160) -> str:
    """The sentence around text[start:end], cut to ``width`` characters around the match."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = SENTENCE_END.search(text, end)
    right = stop.end() if stop else len(text)
    left = max(left, start - width // 2)
    right = min(right, end + width // 2)
    return " ".join(text[left:right].split())


def _parent_edges(
    G: nx.MultiDiGraph,
    roadmap: Roadmap,
    index: AliasIndex,
    covered: list[tuple[str, str]],
    studied: set[str],
    subjects: set[str],
    edges: dict,
) -> None:
    lineage = lineages(G)
    own = Counter(topic for _, topic in covered)
    by_id = {t.id: t for t in roadmap.topics}
    overviews = _overviews(G, roadmap, index, covered)
    # The links under the document's title introduce the whole list, not its first part.
    title = roadmap.topics[0].id if roadmap.topics and roadmap.topics[0].level == 1 else None
    for topic in roadmap.topics:
        parent = by_id.get(topic.parent)
        if (
            parent
            and parent.id != title
            and own[parent.id]
            and parent.id in subjects
            and parent.id not in overviews
            and topic.id in studied
            and not in_aside(G, lineage[topic.id])
        ):
            _propose(
                edges,
                parent.id,
                topic.id,
                "parent",
                PARENT_CONFIDENCE,
                f"parent: '{topic.name}' is a subsection of '{parent.name}', which lists "
                f"{own[parent.id]} resource{'s' if own[parent.id] > 1 else ''} of its own "
                f"(line {topic.line})",
            )


def _overviews(
    G: nx.MultiDiGraph, roadmap: Roadmap, index: AliasIndex, covered: list[tuple[str, str]]
) -> set[str]:
    """Sections whose own resources name one of their subsections: they survey what follows
    (AIGC's one link is on Stable Diffusion's training costs), so they come after, not before."""
    children = {t.id: set(t.children) for t in roadmap.topics if t.children}
    return {
        topic
        for resource, topic in covered
        if topic in children
        and any(named in children[topic] for named, *_ in _named_topics(G.nodes[resource], index))
    }


def _order_edges(G: nx.MultiDiGraph, roadmap: Roadmap, subjects: set[str], edges: dict) -> None:
    """Each subsection of an ordered section follows the previous one, asides and catch-alls
    ("New Trends", "Other") skipped; an empty step breaks the sequence: nothing says what
    comes before or after it."""
    by_id = {t.id: t for t in roadmap.topics}
    lineage = lineages(G)
    ordered = ordered_sections(roadmap)
    for section in (t for t in roadmap.topics if t.id in ordered):
        steps = [
            by_id[c]
            for c in section.children
            if not in_aside(G, lineage[c]) and not is_catch_all(by_id[c].name)
        ]
        for before, topic in zip(steps, steps[1:]):
            if before.id in subjects and topic.id in subjects:
                _propose(
                    edges,
                    before.id,
                    topic.id,
                    "order",
                    ORDER_CONFIDENCE,
                    f"order: '{before.name}' comes before '{topic.name}' under "
                    f"'{section.name}' (line {topic.line})",
                )


def break_cycles(G: nx.MultiDiGraph) -> list[dict]:
    """Remove the weakest edge of each prerequisite cycle; return what was found and removed.

    The weakest edge has the lowest confidence; among equals, the one pointing furthest
    back in the roadmap goes. Cycles are sought only inside the strongly connected
    components of more than one topic, the only places they can be: one walk of the
    whole graph, then walks of the knots alone.
    """
    # A plain copy of the prerequisite graph, in the same order: searched far faster than a view.
    P = nx.DiGraph()
    P.add_nodes_from(n for n, d in G.nodes(data=True) if d["type"] == "topic")
    P.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "prerequisite")
    reports = []
    knots = _knots(P)
    while knots:
        knot = P.subgraph(knots.pop())
        cycle = nx.find_cycle(knot)
        steps = [(u, v, G.edges[u, v, "prerequisite"]) for u, v, *_ in cycle]
        u, v, _ = min(
            steps, key=lambda s: (s[2]["confidence"], G.nodes[s[1]]["index"] - G.nodes[s[0]]["index"])
        )
        reports.append(
            {
                "cycle": [
                    {
                        "from": a,
                        "to": b,
                        "basis": d["basis"],
                        "confidence": d["confidence"],
                        "evidence": d["evidence"],
                    }
                    for a, b, d in steps
                ],
                "removed": {"from": u, "to": v},
            }
        )
        G.remove_edge(u, v, "prerequisite")
        P.remove_edge(u, v)
        knots += _knots(knot)
    return reports


def _knots(P: nx.DiGraph) -> list[set[str]]:
    """The strongly connected components of more than one topic, the first in roadmap
    order last, to be taken first."""
    position = {n: i for i, n in enumerate(P)}
    knots = [c for c in nx.strongly_connected_components(P) if len(c) > 1]
    return sorted(knots, key=lambda c: min(map(position.__getitem__, c)), reverse=True)
