"""The answers of the query commands as plain data: what ``--json`` prints, and what the
tables are drawn from. Each takes the graph and what the user typed (a topic's id, name,
alias or prefix, resolved by ``aliases.resolve_topic``) and adds to the ``queries`` the
names, titles and reasons a reader needs.

An unknown or ambiguous topic raises ``nx.NodeNotFound``; ``path`` between topics that no
chain joins raises ``nx.NetworkXNoPath``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable

import networkx as nx

from . import queries
from .aliases import TopicNames, resolve_topic
from .derived import derived
from .papers import paper_url
from .suggestions import builds_on, filling, found_in_graph, missing_papers, names_to_search


def name(G: nx.MultiDiGraph, topic: str) -> str:
    return derived(G, TopicNames).names[topic]


def parent(G: nx.MultiDiGraph, topic: str) -> str | None:
    """The topic whose section holds ``topic``; None for a top heading."""
    return next((v for _, v, k in G.out_edges(topic, keys=True) if k == "subtopic_of"), None)


def topics(G: nx.MultiDiGraph) -> list[dict]:
    """Every topic in roadmap order, with its heading level, its parent and how many
    resources are listed under it."""
    found = sorted(
        (n for n, d in G.nodes(data=True) if d["type"] == "topic"), key=lambda t: G.nodes[t]["index"]
    )
    return [
        {
            "topic": t,
            "name": name(G, t),
            "level": G.nodes[t]["level"],
            "parent": parent(G, t),
            "resources": len(queries.topic_resources(G, t)),
        }
        for t in found
    ]


def topic(G: nx.MultiDiGraph, text: str) -> dict:
    """One topic: what is listed under it, the topics it needs directly and those that
    need it directly, each with the prerequisite edge's basis and evidence."""
    topic = resolve_topic(G, text)
    return {
        "topic": topic,
        "name": name(G, topic),
        "level": G.nodes[topic]["level"],
        "parent": parent(G, topic),
        "resources": [queries.resource_summary(G, r) for r in queries.topic_resources(G, topic)],
        "prerequisites": [
            {"topic": u, "name": name(G, u), **d}
            for u, _, k, d in G.in_edges(topic, keys=True, data=True)
            if k == "prerequisite"
        ],
        "unlocks": [
            {"topic": v, "name": name(G, v), **d}
            for _, v, k, d in G.out_edges(topic, keys=True, data=True)
            if k == "prerequisite"
        ],
    }


def reasons_before(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Each prerequisite edge u -> v as ``prereqs`` shows it, ``{"before": v, ...its data}``,
    listed under u in the order of ``TopicIndex.needed_by[u]``: made once per graph, and
    shared by the answers, which read them and never change them."""
    return _edge_rows(G, lambda u, v, d: {"before": v, **d})


def reasons_after(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Each prerequisite edge u -> v as ``unlocks`` shows it, ``{"after": u, ...its data}``,
    listed as ``reasons_before`` lists them."""
    return _edge_rows(G, lambda u, v, d: {"after": u, **d})


def _edge_rows(G: nx.MultiDiGraph, row: Callable[[str, str, dict], dict]) -> dict[str, list[dict]]:
    topics = derived(G, queries.TopicIndex).topics
    rows: dict[str, list[dict]] = {t: [] for t in topics}
    for u, v, d in queries.prerequisite_edges(G, topics):
        rows[u].append(row(u, v, d))
    return rows


def prerequisites(G: nx.MultiDiGraph, text: str) -> dict:
    """What to learn before the topic, in order, each with its resources and why it comes first."""
    topic = resolve_topic(G, text)
    before = queries.prerequisites(G, topic)
    index, reasons = derived(G, queries.TopicIndex), derived(G, reasons_before)
    # The reasons shown are those of the edges to the topic and its prerequisites.
    shown, names = index.mask(index.bit[topic] | index.prerequisite_bits[topic]), derived(G, TopicNames).names
    rows = [
        {
            "topic": t,
            "name": names[t],
            "resources": list(index.resources[t]),
            "reasons": list(itertools.compress(reasons[t], index.dependants_in[t](shown))),
        }
        for t in before
    ]
    return {"topic": topic, "name": name(G, topic), "prerequisites": rows}


def plan(
    G: nx.MultiDiGraph, text: str, *, skip_done: bool = False, speed: float = 1.0, passes: int = 1
) -> dict:
    """``queries.plan`` with each step's topic name and a summary of each resource."""
    topic = resolve_topic(G, text)
    result = queries.plan(G, topic, skip_done=skip_done, speed=speed, passes=passes, summaries=True)
    names = derived(G, TopicNames).names
    for step in result["steps"]:
        step["name"] = names[step["topic"]]
    return result


def prepare(G: nx.MultiDiGraph) -> None:
    """Compute now, on the frozen graph ``G``, every index the queries keep (``INDEXES``),
    so that a cache of ``G`` (``graph.store``) holds them: loading them takes a tenth of
    the time computing them does."""
    for compute in INDEXES:
        derived(G, compute)
    index = derived(G, queries.TopicIndex)
    index.dependants, index.needs_bits, index.prerequisite_bits, index.dependants_in  # noqa: B018 (cached properties, computed on first use)


def path(G: nx.MultiDiGraph, source: str, target: str) -> dict:
    """The shortest prerequisite chain and, for each of its steps, the edge's evidence."""
    chain = queries.prerequisite_path(G, resolve_topic(G, source), resolve_topic(G, target))
    edges = derived(G, queries.prerequisite_digraph).edges
    steps = [{"from": u, "to": v, **edges[u, v]} for u, v in zip(chain, chain[1:])]
    return {"path": chain, "steps": steps}


def next_topics(G: nx.MultiDiGraph) -> list[dict]:
    """The topics to study next, each with the resources left to study under it."""
    left = derived(G, queries.TopicIndex).left
    return [{"topic": t, "name": name(G, t), "left": list(left[t])} for t in queries.next_topics(G)]


def unlocks(G: nx.MultiDiGraph, text: str) -> dict:
    """Every topic that needs the topic, each with the prerequisite edges leading to it."""
    topic = resolve_topic(G, text)
    # Each topic's reasons in the order the topics they come after are listed. What needs a
    # topic listed is listed too: every edge leads to a row.
    after, needs = derived(G, queries.TopicIndex).unlocked(topic, derived(G, reasons_after))
    names = derived(G, TopicNames).names
    rows = [{"topic": t, "name": names[t], "after": needs[t]} for t in after]
    return {"topic": topic, "name": name(G, topic), "unlocks": rows}


def search(G: nx.MultiDiGraph, text: str) -> list[dict]:
    """The matching nodes, each with its type, label and the field that matched."""
    index = derived(G, queries.TextIndex)
    return [
        {"id": index.nodes[i], "type": index.types[i], "label": index.labels[i], "field": field}
        for i, field in index.matches(text)
    ]


def suggestions(
    G: nx.MultiDiGraph,
    text: str | None,
    *,
    min_citing: int,
    search: Callable[[list[str]], list[dict]] | None = None,
    delay: float = 0.0,
) -> dict:
    """Papers the roadmap's papers cite and it lacks (``suggestions``), under the topic
    ``text`` names or anywhere; and the most cited papers a ``search`` of papers by names
    finds for each topic with nothing to study, one search every ``delay`` seconds, or
    without one, those the crawl found. A topic the search cannot answer says why."""
    # The sources behind the search are imported by the command that searches, not by queries.
    from ..crawler.paper_search import search_topics

    topic = resolve_topic(G, text) if text else None
    if search:
        found = search_topics(names_to_search(G, topic), search, delay=delay)
    else:
        found = found_in_graph(G, topic)
    return {
        "missing_papers": missing_papers(G, topic, min_citing=min_citing, found=filling(G, found)),
        "empty_topics": [
            {
                "topic": entry["topic"],
                "name": name(G, entry["topic"]),
                "papers": [
                    {**paper, "url": paper_url(paper["id"]), "builds_on": builds_on(G, paper)}
                    for paper in entry["papers"]
                ],
                **({"error": entry["error"]} if "error" in entry else {}),
            }
            for entry in found
        ],
    }


def build_summary(G: nx.MultiDiGraph) -> dict:
    """What a built graph holds, and what was unclear in building it: node types, edges,
    prerequisites by basis, names that matched no topic, cycles broken."""
    return {
        "nodes": Counter(data["type"] for _, data in G.nodes(data=True)),
        "edges": G.number_of_edges(),
        "prerequisites": Counter(
            d["basis"] for _, _, k, d in G.edges(keys=True, data=True) if k == "prerequisite"
        ),
        "unresolved": G.graph["unresolved"],
        "cycles": G.graph["cycles"],
    }


# Every index the queries keep (``derived``), which ``prepare`` computes.
INDEXES = (
    queries.TopicIndex,
    reasons_before,
    reasons_after,
    queries.Resources,
    TopicNames,
    queries.TextIndex,
    queries.prerequisite_digraph,
)
