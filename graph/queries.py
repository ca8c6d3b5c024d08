"""Questions a learner asks of the graph: what before X, in what order, how long, what next.

Functions take the graph first and topic ids after (``aliases.resolve_topic`` turns what a
user types into an id); a node that is not a topic raises ``nx.NodeNotFound``.
"""

from __future__ import annotations

import re

import networkx as nx

from learngraph.crawler.records import Status, is_dead

from .prerequisites import prerequisite_graph
from .sections import studied_topics

# The roadmap's own study method: watch three times, at 1x, then 1.25x, then 1.5x.
METHOD_SPEEDS = (1.0, 1.25, 1.5)
# A paper read with care: about six minutes a page.
SECONDS_PER_PAGE = 360
PAGES = re.compile(r"\b(\d{1,4})\s*pages\b", re.I)
SEARCH_FIELDS = ("name", "title", "aliases", "link_texts", "description", "abstract", "tags")


def label(G: nx.MultiDiGraph, node) -> str:
    """What a person reads a node as: a topic's or person's name, a title, an item's text."""
    data = G.nodes[node]
    return data.get("name") or data.get("title") or data.get("text") or str(node)


def _check_topic(G: nx.MultiDiGraph, topic: str) -> None:
    if topic not in G or G.nodes[topic]["type"] != "topic":
        raise nx.NodeNotFound(f"no topic {topic!r} in the graph")


def _in_learning_order(G: nx.MultiDiGraph, topics: set[str]) -> list[str]:
    """Topics sorted so that each comes after its prerequisites, otherwise in roadmap order."""
    P = nx.DiGraph()
    P.add_nodes_from(topics)
    P.add_edges_from(
        (u, v) for u in topics for _, v, k in G.out_edges(u, keys=True) if k == "prerequisite" and v in topics
    )
    return list(nx.lexicographical_topological_sort(P, key=lambda t: G.nodes[t]["index"]))


def _with_prerequisites(G: nx.MultiDiGraph, topics) -> set[str]:
    """The topics and every topic they need, directly or through others."""
    needed, stack = set(topics), list(topics)
    while stack:
        for u, _, k in G.in_edges(stack.pop(), keys=True):
            if k == "prerequisite" and u not in needed:
                needed.add(u)
                stack.append(u)
    return needed


def prerequisites(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """Every topic to learn before ``topic``, in a valid learning order.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"type": "topic", "index": 0}), ("b", {"type": "topic", "index": 1})])
    >>> _ = G.add_edge("a", "b", "prerequisite")
    >>> prerequisites(G, "b")
    ['a']
    """
    _check_topic(G, topic)
    return _in_learning_order(G, _with_prerequisites(G, [topic]) - {topic})


def unlocks(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """Every topic that needs ``topic``, directly or through others, in learning order."""
    _check_topic(G, topic)
    return _in_learning_order(G, nx.descendants(prerequisite_graph(G), topic))


def prerequisite_edges(G: nx.MultiDiGraph, topics) -> list[tuple[str, str, dict]]:
    """The prerequisite edges between ``topics``: why each comes before another, in the
    order of ``topics`` (a subgraph would give them in the order of a set, which changes
    from one run to the next)."""
    among = set(topics)
    return [
        (u, v, d)
        for u in topics
        for _, v, k, d in G.out_edges(u, keys=True, data=True)
        if k == "prerequisite" and v in among
    ]


def prerequisite_path(G: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The shortest chain of prerequisites leading from ``source`` to ``target``.

    Raises ``nx.NetworkXNoPath`` when ``target`` does not build on ``source``.
    """
    _check_topic(G, source)
    _check_topic(G, target)
    return nx.shortest_path(prerequisite_graph(G), source, target)


def topic_resources(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """The resources listed under ``topic``, in roadmap order."""
    _check_topic(G, topic)
    listed = [
        (d["position"], u)
        for u, _, k, d in G.in_edges(topic, keys=True, data=True)
        if k == "covers" and G.nodes[u]["type"] == "resource"
    ]
    return [u for _, u in sorted(listed)]


def is_finished(G: nx.MultiDiGraph, topic: str) -> bool:
    """True when nothing listed under ``topic`` is left to study (all resources done)."""
    return all(G.nodes[r]["done"] for r in topic_resources(G, topic))


def next_topics(G: nx.MultiDiGraph) -> list[str]:
    """Topics with something left to study whose prerequisites are all finished."""
    P = prerequisite_graph(G)
    cleared: dict[str, bool] = {}
    for topic in nx.topological_sort(P):
        cleared[topic] = all(cleared[p] and is_finished(G, p) for p in P.predecessors(topic))
    ready = [t for t in P if cleared[t] and topic_resources(G, t) and not is_finished(G, t)]
    return sorted(ready, key=lambda t: G.nodes[t]["index"])


def _subtree(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """The topic and every subsection beneath it (they reach it by subtopic_of edges)."""
    tree = nx.subgraph_view(G, filter_edge=lambda u, v, k: k == "subtopic_of")
    return [topic, *nx.ancestors(tree, topic)]


def reading_estimate(data: dict) -> dict | None:
    """An estimated reading time of a paper or PDF whose length is known (its arXiv
    comment's "N pages", else the page count of its PDF), with what it rests on; None for
    anything else, so that no length is ever guessed silently.

    Examples
    --------
    >>> reading_estimate({"kind": "paper", "comment": "12 pages, 3 figures"})
    {'seconds': 4320, 'basis': 'arXiv comment: 12 pages'}
    >>> reading_estimate({"kind": "document", "page_count": 3})
    {'seconds': 1080, 'basis': 'PDF: 3 pages'}
    """
    match = PAGES.search(data.get("comment") or "") if data.get("kind") == "paper" else None
    if match:
        return {
            "seconds": int(match.group(1)) * SECONDS_PER_PAGE,
            "basis": f"arXiv comment: {match.group(0)}",
        }
    if data.get("page_count"):
        pages = data["page_count"]
        return {"seconds": pages * SECONDS_PER_PAGE, "basis": f"PDF: {pages} page{'s' if pages > 1 else ''}"}
    return None


def plan(
    G: nx.MultiDiGraph, topic: str, *, skip_done: bool = False, speed: float = 1.0, passes: int = 1
) -> dict:
    """A study plan for ``topic`` and its subsections: steps in learning order and the time.

    Video time is watched ``passes`` times at the roadmap's speeds (1x, 1.25x, 1.5x) scaled
    by ``speed``; reading time counts once. Resources with neither a duration nor a reading
    time (papers, repositories, dead links, not yet crawled) are listed in
    ``unknown_length`` and left out of the sums.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", type="topic", index=0)
    >>> G.add_node("v", type="resource", kind="video", done=False, duration=600)
    >>> _ = G.add_edge("v", "t", "covers", position=0)
    >>> round(plan(G, "t", passes=3)["study_time"])
    1480
    """
    _check_topic(G, topic)
    if not 1 <= passes <= len(METHOD_SPEEDS):
        raise ValueError(f"passes must be 1 to {len(METHOD_SPEEDS)}, got {passes}")
    if speed <= 0:
        raise ValueError(f"speed must be positive, got {speed}")
    steps, done, seen = [], [], set()
    for step in _in_learning_order(G, _with_prerequisites(G, _subtree(G, topic))):
        resources = [r for r in topic_resources(G, step) if r not in seen]
        seen.update(resources)
        if skip_done:
            done += [r for r in resources if G.nodes[r]["done"]]
            resources = [r for r in resources if not G.nodes[r]["done"]]
        steps.append({"topic": step, "resources": resources})
    planned = [G.nodes[r] for step in steps for r in step["resources"]]
    unmeasured = [
        r
        for step in steps
        for r in step["resources"]
        if "duration" not in G.nodes[r] and "reading_time" not in G.nodes[r]
    ]
    estimated = {r: e for r in unmeasured if (e := reading_estimate(G.nodes[r]))}
    speeds = [speed * s for s in METHOD_SPEEDS[:passes]]
    video_time = sum(r.get("duration", 0) for r in planned)
    reading_time = sum(r.get("reading_time", 0) for r in planned)
    watch_time = video_time * sum(1 / s for s in speeds)
    return {
        "topic": topic,
        "steps": steps,
        "resources": len(planned),
        "video_time": video_time,
        "speeds": speeds,
        "watch_time": watch_time,
        "reading_time": reading_time,
        "study_time": watch_time + reading_time,
        "papers": sum(r["kind"] == "paper" for r in planned),
        "estimated": estimated,
        "estimated_reading_time": sum(e["seconds"] for e in estimated.values()),
        "unknown_length": [r for r in unmeasured if r not in estimated],
        "skipped_done": done,
    }


def search(G: nx.MultiDiGraph, text: str) -> list[tuple[str, str]]:
    """Topics, then resources, whose names, titles or abstracts contain ``text`` (any case).

    Returns (node, the first field that matched).
    """
    wanted = text.casefold()
    hits = {"topic": [], "resource": []}
    for node, data in G.nodes(data=True):
        if data["type"] not in hits:
            continue
        for field in SEARCH_FIELDS:
            value = data.get(field)
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and wanted in v.casefold() for v in values):
                hits[data["type"]].append((node, field))
                break
    return hits["topic"] + hits["resource"]


def gaps(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """What the roadmap or the crawl lacks: topics with no resource anywhere beneath them,
    dead links, resources whose metadata failed or is partial, and resources not crawled."""
    studied = studied_topics(G)
    resources = [(n, d["status"]) for n, d in G.nodes(data=True) if d["type"] == "resource"]
    return {
        "topics_without_resources": [
            n for n, d in G.nodes(data=True) if d["type"] == "topic" and n not in studied
        ],
        "dead_links": [n for n, status in resources if is_dead(status)],
        "failed_metadata": [
            n for n, status in resources if status not in (Status.OK, Status.PENDING) and not is_dead(status)
        ],
        "not_crawled": [n for n, status in resources if status == Status.PENDING],
    }
