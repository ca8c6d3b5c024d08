"""The answers of the query commands as plain data: what ``--json`` prints, and what the
tables are drawn from. Each takes the graph and what the user typed (a topic's id, name,
alias or prefix, resolved by ``aliases.resolve_topic``) and adds to the ``queries`` the
names, titles and reasons a reader needs.

An unknown or ambiguous topic raises ``nx.NodeNotFound``; ``path`` between topics that no
chain joins raises ``nx.NetworkXNoPath``.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable

import networkx as nx

from . import queries
from .aliases import TopicNames, resolve_topic
from .derived import derived
from .papers import paper_url
from .suggestions import builds_on, filling, found_in_graph, missing_papers, names_to_search

RESOURCE_SUMMARY = ("title", "kind", "url", "status", "done", "duration", "reading_time")


def name(G: nx.MultiDiGraph, topic: str) -> str:
    return G.nodes[topic]["name"]


def resource_summary(G: nx.MultiDiGraph, resource: str) -> dict:
    data = G.nodes[resource]
    return {"id": resource, **{k: data[k] for k in RESOURCE_SUMMARY if k in data}}


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
        "resources": [resource_summary(G, r) for r in queries.topic_resources(G, topic)],
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


class Reasons:
    """Each prerequisite edge u -> v as the answers show it, made once per graph:
    ``needed_by[u]`` holds the topics v that need u in the graph's order, ``before[u]``
    the reason for each as ``prereqs`` shows it, ``after[u][v]`` as ``unlocks`` shows it.
    Answers share these dicts, as they share the graph's own: they are read, never changed."""

    def __init__(self, G: nx.MultiDiGraph):
        topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
        self.needed_by, self.before = defaultdict(list), defaultdict(list)
        self.after: dict[str, dict[str, dict]] = {t: {} for t in topics}
        for u, v, d in queries.prerequisite_edges(G, topics):
            self.needed_by[u].append(v)
            self.before[u].append({"before": v, **d})
            self.after[u][v] = {"after": u, **d}


def prerequisites(G: nx.MultiDiGraph, text: str) -> dict:
    """What to learn before the topic, in order, each with its resources and why it comes first."""
    topic = resolve_topic(G, text)
    before = queries.prerequisites(G, topic)
    shown, reasons = {*before, topic}, derived(G, Reasons)
    rows = [
        {
            "topic": t,
            "name": name(G, t),
            "resources": queries.topic_resources(G, t),
            "reasons": list(
                itertools.compress(reasons.before[t], map(shown.__contains__, reasons.needed_by[t]))
            ),
        }
        for t in before
    ]
    return {"topic": topic, "name": name(G, topic), "prerequisites": rows}


def plan(
    G: nx.MultiDiGraph, text: str, *, skip_done: bool = False, speed: float = 1.0, passes: int = 1
) -> dict:
    """``queries.plan`` with each step's topic name and a summary of each resource."""
    result = queries.plan(G, resolve_topic(G, text), skip_done=skip_done, speed=speed, passes=passes)
    summaries = derived(G, _resource_summaries)
    for step in result["steps"]:
        step["name"] = name(G, step["topic"])
        step["resources"] = list(map(summaries.__getitem__, step["resources"]))
    return result


def _resource_summaries(G: nx.MultiDiGraph) -> dict[str, dict]:
    """The summary of every resource, made once per graph for plans that list thousands;
    answers share them, read-only like ``Reasons``."""
    return {n: resource_summary(G, n) for n, d in G.nodes(data=True) if d["type"] == "resource"}


def prepare(G: nx.MultiDiGraph) -> None:
    """Compute now, on the frozen graph ``G``, every index the queries keep (``derived``),
    so that a cache of ``G`` (``graph.store``) holds them: loading them takes a tenth of
    the time computing them does."""
    index = derived(G, queries.TopicIndex)
    index.dependants, index.needs_bits, index.prerequisite_bits  # noqa: B018 (cached properties, computed on first use)
    for compute in (
        Reasons,
        _resource_summaries,
        TopicNames,
        queries.TextIndex,
        queries.prerequisite_digraph,
    ):
        derived(G, compute)


def path(G: nx.MultiDiGraph, source: str, target: str) -> dict:
    """The shortest prerequisite chain and, for each of its steps, the edge's evidence."""
    chain = queries.prerequisite_path(G, resolve_topic(G, source), resolve_topic(G, target))
    steps = [{"from": u, "to": v, **G.edges[u, v, "prerequisite"]} for u, v in zip(chain, chain[1:])]
    return {"path": chain, "steps": steps}


def next_topics(G: nx.MultiDiGraph) -> list[dict]:
    """The topics to study next, each with the resources left to study under it."""
    return [
        {
            "topic": t,
            "name": name(G, t),
            "left": [r for r in queries.topic_resources(G, t) if not G.nodes[r]["done"]],
        }
        for t in queries.next_topics(G)
    ]


def unlocks(G: nx.MultiDiGraph, text: str) -> dict:
    """Every topic that needs the topic, each with the prerequisite edges leading to it."""
    topic = resolve_topic(G, text)
    # Each topic's reasons in the order of what it needs, as ``queries.prerequisite_edges``
    # gives them. What needs a topic listed is listed too: every edge leads to a row.
    after, needs = derived(G, queries.TopicIndex).unlocked(topic, derived(G, Reasons).after)
    rows = [{"topic": t, "name": name(G, t), "after": needs[t]} for t in after]
    return {"topic": topic, "name": name(G, topic), "unlocks": rows}


def search(G: nx.MultiDiGraph, text: str) -> list[dict]:
    """The matching nodes, each with its type, label and the field that matched."""
    return [
        {"id": n, "type": G.nodes[n]["type"], "label": queries.label(G, n), "field": f}
        for n, f in queries.search(G, text)
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
