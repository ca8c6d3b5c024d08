"""Questions a learner asks of the graph: what before X, in what order, how long, what next.

Functions take the graph first and topic ids after (``aliases.resolve_topic`` turns what a
user types into an id); a node that is not a topic raises ``nx.NodeNotFound``.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import networkx as nx

from learngraph.crawler.records import Status, is_dead

from .derived import derived
from .sections import studied_topics

T = TypeVar("T")

# The roadmap's own study method: watch three times, at 1x, then 1.25x, then 1.5x.
METHOD_SPEEDS = (1.0, 1.25, 1.5)
# A paper read with care: about six minutes a page.
SECONDS_PER_PAGE = 360
PAGES = re.compile(r"\b(\d{1,4})\s*pages\b", re.I)
# Turns the digits of a number written in binary into bytes that are true for its ones.
BINARY = bytes.maketrans(b"01", b"\0\1")
# What answers show of a resource, and plans sum.
RESOURCE_SUMMARY = ("title", "kind", "url", "status", "done", "duration", "reading_time")
SEARCH_FIELDS = ("name", "title", "aliases", "link_texts", "description", "abstract", "tags")


def label(G: nx.MultiDiGraph, node) -> str:
    """What a person reads a node as: a topic's or person's name, a title, an item's text."""
    data = G.nodes[node]
    return data.get("name") or data.get("title") or data.get("text") or str(node)


def _check_topic(topics, topic: str) -> None:
    """Raise ``nx.NodeNotFound`` unless ``topic`` is one of ``topics`` (a topic index's
    ``index``, or the prerequisite graph)."""
    if topic not in topics:
        raise nx.NodeNotFound(f"no topic {topic!r} in the graph")


def _checked_index(G: nx.MultiDiGraph, *topics: str) -> TopicIndex:
    index = _topic_index(G)
    for topic in topics:
        _check_topic(index.index, topic)
    return index


class PrerequisiteCycle(ValueError):
    """Topics that each need another among them: no learning order holds them."""


class TopicIndex:
    """Each topic's neighbours, read from the graph once: its prerequisites, the topics that
    need it, its subsections, its resources in roadmap order and those left to study.

    It holds names only, no node's or edge's data, so that a cached graph (``store``)
    reads it without the graph: what answers show of an edge is in ``reasons_before``,
    ``reasons_after`` and ``prerequisite_digraph``, of a resource in ``Resources``.

    Queries on a frozen graph share one (``derived``); on any other graph each query reads
    its own, so no answer ever comes from a graph that has changed since.
    """

    def __init__(self, G: nx.MultiDiGraph):
        self.topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
        self.index = {t: G.nodes[t]["index"] for t in self.topics}
        self.needs: dict[str, list[str]] = {t: [] for t in self.topics}
        # Each topic's dependants in the graph's order: ``reasons_*`` list their edges alike.
        self.needed_by: dict[str, list[str]] = {t: [] for t in self.topics}
        self.subsections: dict[str, list[str]] = {t: [] for t in self.topics}
        listed: dict[str, list[tuple[int, str]]] = {t: [] for t in self.topics}
        for u, v, k, d in G.edges(keys=True, data=True):
            if k == "prerequisite" and u in self.needs and v in self.needs:
                self.needs[v].append(u)
                self.needed_by[u].append(v)
            elif k == "subtopic_of":
                self.subsections[v].append(u)
            elif k == "covers" and G.nodes[u]["type"] == "resource":
                listed[v].append((d["position"], u))
        self.resources = {t: [u for _, u in sorted(found)] for t, found in listed.items()}
        self.left = {t: [r for r in found if not G.nodes[r]["done"]] for t, found in self.resources.items()}
        # The topics that list a resource another topic lists too: a plan with several of
        # them shows such a resource once, under the first.
        under = Counter(r for found in self.resources.values() for r in found)
        self.sharing = {t for t, found in self.resources.items() if any(under[r] > 1 for r in found)}

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each topic's place in the learning order of all topics."""
        waiting = Counter(itertools.chain.from_iterable(self.needed_by.values()))
        first = [t for t in self.topics if t not in waiting]
        # The rows gathered are the topics themselves, which nothing reads.
        order, _ = self._in_learning_order(first, waiting, self.needed_by)
        if len(order) < len(self.topics):
            # `learngraph build` breaks every cycle; a graph edited since may hold one.
            stuck = min(set(self.topics).difference(order), key=self.index.__getitem__)
            raise PrerequisiteCycle(f"its prerequisites form a cycle, which {stuck!r} waits on")
        return {t: i for i, t in enumerate(order)}

    @cached_property
    def bit(self) -> dict[str, int]:
        """Each topic as one bit of a number, so that a set of topics is a number: a union
        or an intersection of thousands of topics is then one operation."""
        return {t: 1 << i for i, t in enumerate(self.topics)}

    @cached_property
    def needs_bits(self) -> dict[str, int]:
        """Each topic's direct prerequisites as bits (``bit``)."""
        return {t: sum(map(self.bit.__getitem__, needs)) for t, needs in self.needs.items()}

    @cached_property
    def dependants(self) -> dict[str, int]:
        """Each topic's dependants, direct or not, as bits (``bit``): made once, so that
        ``unlocked`` walks no edge to find them."""
        return self._closure(reversed(self.rank), self.needed_by)

    @cached_property
    def prerequisite_bits(self) -> dict[str, int]:
        """Each topic's prerequisites, direct or not, as bits (``bit``): made once, so that
        ``with_prerequisites`` walks no edge to find them."""
        return self._closure(self.rank, self.needs)

    def _closure(self, order: Iterable[str], neighbours: dict[str, Iterable[str]]) -> dict[str, int]:
        """Each topic's ``neighbours``, theirs and so on, as bits, from topics in an
        ``order`` where each comes after its neighbours."""
        found: dict[str, int] = {}
        for topic in order:
            bits = 0
            for other in neighbours[topic]:
                bits |= self.bit[other] | found[other]
            found[topic] = bits
        return found

    def members(self, bits: int) -> list[str]:
        """The topics in ``bits`` (``bit``), in the graph's order."""
        return list(itertools.compress(self.topics, self.mask(bits)))

    def mask(self, bits: int) -> bytes:
        """``bits`` (``bit``) as one byte a topic in the graph's order, 1 for those in it."""
        return bin(bits)[:1:-1].encode().translate(BINARY).ljust(len(self.topics), b"\0")

    @cached_property
    def dependants_in(self) -> dict[str, operator.itemgetter]:
        """For each topic, what a ``mask`` says of each topic that needs it, in the order
        of ``needed_by``, read in one call: ``compress(rows, dependants_in[t](mask))``
        keeps the rows of the edges to topics in the mask without a lookup for each. Two
        places more make the call answer a tuple whatever the count; compress stops at
        the last row."""
        place = {t: i for i, t in enumerate(self.topics)}
        return {
            t: operator.itemgetter(*map(place.__getitem__, after), 0, 0)
            for t, after in self.needed_by.items()
        }

    def unlocked(self, topic: str, rows: dict[str, list[T]]) -> tuple[list[str], dict[str, list[T]]]:
        """Every topic that needs ``topic``, directly or through others, in learning order;
        and for each the rows of the edges u -> v leading to it from ``topic`` and those
        topics, in the order of u (``rows[u]`` holds a row for each edge from u, in the
        order of ``needed_by[u]``).

        That order is the learning order of these topics alone: a topic that needs one
        outside them waits for it no more, so it is not the order of all topics (``rank``).
        """
        bits = self.dependants[topic]
        among = bits | self.bit[topic]
        # What each still waits for: its prerequisites among these, counted on their bits.
        waiting = {t: (self.needs_bits[t] & among).bit_count() for t in self.members(bits)}
        order, gathered = self._in_learning_order([topic], waiting, rows)
        return order[1:], gathered

    def _in_learning_order(
        self, first: list[str], waiting: dict[str, int], rows: dict[str, list[T]]
    ) -> tuple[list[str], dict[str, list[T]]]:
        """Topics sorted so that each comes after its prerequisites, otherwise in roadmap
        order, from those ready ``first`` and those ``waiting`` for so many of them; and the
        ``rows`` of the edges (as ``unlocked`` takes them) gathered by the topic each leads
        to, in that order.

        One walk of the edges does both: each is passed once, when the topic it leaves is placed.
        """
        ready = [(self.index[t], t) for t in first]
        heapq.heapify(ready)
        order, gathered = [], {t: [] for t in waiting}
        while ready:
            _, topic = heapq.heappop(ready)
            order.append(topic)
            for after, row in zip(self.needed_by[topic], rows[topic]):
                gathered[after].append(row)
                if left := waiting[after] - 1:
                    waiting[after] = left
                else:
                    heapq.heappush(ready, (self.index[after], after))
        return order, gathered

    def with_prerequisites(self, topics) -> list[str]:
        """The topics and every topic they need, directly or through others, in learning order.

        Such a set holds every prerequisite of its members, so its learning order is the
        order of all topics (``rank``) restricted to it: a sort, not a walk of its edges.
        """
        bits = 0
        for topic in topics:
            bits |= self.bit[topic] | self.prerequisite_bits[topic]
        return sorted(self.members(bits), key=self.rank.__getitem__)


def _topic_index(G: nx.MultiDiGraph) -> TopicIndex:
    return derived(G, TopicIndex)


def _reachable(neighbours: dict[str, Iterable[str]], topics) -> set[str]:
    """The topics and every topic ``neighbours`` leads to from them, directly or not."""
    found, stack = set(topics), list(topics)
    while stack:
        new = set(neighbours[stack.pop()]).difference(found)
        found |= new
        stack.extend(new)
    return found


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
    # The topic comes after everything it needs.
    return _checked_index(G, topic).with_prerequisites([topic])[:-1]


def unlocks(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """Every topic that needs ``topic``, directly or through others, in learning order."""
    index = _checked_index(G, topic)
    # The rows gathered are the topics themselves, which nothing reads.
    return index.unlocked(topic, index.needed_by)[0]


def prerequisite_edges(G: nx.MultiDiGraph, topics) -> list[tuple[str, str, dict]]:
    """The prerequisite edges between ``topics``: why each comes before another, in the
    order of ``topics`` (a subgraph would give them in the order of a set, which changes
    from one run to the next)."""
    among, needed_by = set(topics), _topic_index(G).needed_by
    return [(u, v, G.succ[u][v]["prerequisite"]) for u in topics for v in needed_by.get(u, ()) if v in among]


def prerequisite_path(G: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The shortest chain of prerequisites leading from ``source`` to ``target``.

    Raises ``nx.NetworkXNoPath`` when ``target`` does not build on ``source``.
    """
    P = derived(G, prerequisite_digraph)
    _check_topic(P, source)
    _check_topic(P, target)
    return nx.bidirectional_shortest_path(P, source, target)


def prerequisite_digraph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The prerequisite graph as a plain graph of its own, each edge with its data: quicker
    to search than a view, and what ``path`` answers with."""
    index = _topic_index(G)
    P = nx.DiGraph()
    P.add_nodes_from(index.topics)
    P.add_edges_from(prerequisite_edges(G, index.topics))
    return P


def topic_resources(G: nx.MultiDiGraph, topic: str) -> list[str]:
    """The resources listed under ``topic``, in roadmap order."""
    return list(_checked_index(G, topic).resources[topic])


def is_finished(G: nx.MultiDiGraph, topic: str) -> bool:
    """True when nothing listed under ``topic`` is left to study (all resources done)."""
    return not _checked_index(G, topic).left[topic]


def next_topics(G: nx.MultiDiGraph) -> list[str]:
    """Topics with something left to study whose prerequisites are all finished."""
    index = _topic_index(G)
    cleared: dict[str, bool] = {}
    for topic in index.rank:
        cleared[topic] = all(cleared[p] and not index.left[p] for p in index.needs[topic])
    return sorted((t for t in index.topics if cleared[t] and index.left[t]), key=index.index.__getitem__)


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
    G: nx.MultiDiGraph,
    topic: str,
    *,
    skip_done: bool = False,
    speed: float = 1.0,
    passes: int = 1,
    summaries: bool = False,
) -> dict:
    """A study plan for ``topic`` and its subsections: steps in learning order, each with its
    resources (their summaries, ``resource_summary``, when ``summaries``), and the time.

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
    index = _checked_index(G, topic)
    if not 1 <= passes <= len(METHOD_SPEEDS):
        raise ValueError(f"passes must be 1 to {len(METHOD_SPEEDS)}, got {passes}")
    if speed <= 0:
        raise ValueError(f"speed must be positive, got {speed}")
    resources = derived(G, Resources)
    steps, parts, seen = [], [], set()
    for step in index.with_prerequisites(_reachable(index.subsections, [topic])):
        listed = index.resources[step]
        if step in index.sharing:
            part = StudyPart.of(resources, [r for r in listed if r not in seen], skip_done)
            seen.update(listed)
        else:  # as most topics: its part is the same in every plan
            part = resources.parts[step, skip_done]
        steps.append({"topic": step, "resources": list(part.summaries if summaries else part.resources)})
        parts.append(part)
    estimated = {}
    for part in parts:
        estimated.update(part.estimated)
    speeds = [speed * s for s in METHOD_SPEEDS[:passes]]
    video_time = sum(part.video_time for part in parts)
    reading_time = sum(part.reading_time for part in parts)
    watch_time = video_time * sum(1 / s for s in speeds)
    return {
        "topic": topic,
        "steps": steps,
        "resources": sum(len(part.resources) for part in parts),
        "video_time": video_time,
        "speeds": speeds,
        "watch_time": watch_time,
        "reading_time": reading_time,
        "study_time": watch_time + reading_time,
        "papers": sum(part.papers for part in parts),
        "estimated": estimated,
        "estimated_reading_time": sum(e["seconds"] for e in estimated.values()),
        "unknown_length": list(itertools.chain.from_iterable(part.unknown_length for part in parts)),
        "skipped_done": list(itertools.chain.from_iterable(part.done for part in parts)),
    }


def resource_summary(G: nx.MultiDiGraph, resource: str) -> dict:
    data = G.nodes[resource]
    return {"id": resource, **{k: data[k] for k in RESOURCE_SUMMARY if k in data}}


class Resources:
    """What plans read of each resource, kept apart from the graph (as ``TopicIndex`` is):
    its summary (``resource_summary``), which holds what plans sum; the reading estimate of
    a paper or PDF of known length; and each topic's part of a plan with and without the
    resources done, computed once.

    Plans share the summaries, as they share the graph's own data: they are read, never changed."""

    def __init__(self, G: nx.MultiDiGraph):
        resources = [n for n, d in G.nodes(data=True) if d["type"] == "resource"]
        self.summaries = {r: resource_summary(G, r) for r in resources}
        self.estimates = {r: e for r in resources if (e := reading_estimate(G.nodes[r]))}
        self.parts = {
            (topic, skip_done): StudyPart.of(self, listed, skip_done)
            for topic, listed in _topic_index(G).resources.items()
            for skip_done in (False, True)
        }


@dataclass(frozen=True)
class StudyPart:
    """What a step's resources add to a plan: those to study (and their summaries), those
    left out as done, their video and reading time, papers, reading estimates and resources
    of unknown length."""

    resources: list[str]
    summaries: list[dict]
    done: list[str]
    video_time: float
    reading_time: float
    papers: int
    estimated: dict[str, dict]
    unknown_length: list[str]

    @classmethod
    def of(cls, known: Resources, listed: list[str], skip_done: bool) -> StudyPart:
        data = known.summaries
        resources = [r for r in listed if not (skip_done and data[r]["done"])]
        unmeasured = [r for r in resources if "duration" not in data[r] and "reading_time" not in data[r]]
        estimated = {r: known.estimates[r] for r in unmeasured if r in known.estimates}
        return cls(
            resources=resources,
            summaries=[data[r] for r in resources],
            done=[r for r in listed if skip_done and data[r]["done"]],
            video_time=sum(data[r].get("duration", 0) for r in resources),
            reading_time=sum(data[r].get("reading_time", 0) for r in resources),
            papers=sum(data[r]["kind"] == "paper" for r in resources),
            estimated=estimated,
            unknown_length=[r for r in unmeasured if r not in estimated],
        )


class TextIndex:
    """The searchable texts of the topics, then of the resources, case-folded into one
    string, where ``str.find`` finds the few nodes that match without a loop over all; and
    each node's type and label, so that a search reads nothing else.

    Text j is ``text[starts[j]:starts[j + 1] - 1]``, followed by a NUL, a text of the field
    ``fields[j]`` of the node ``owner[j]``; a node's texts end at ``ends`` of its place in
    ``nodes``."""

    def __init__(self, G: nx.MultiDiGraph):
        self.nodes = [n for kind in ("topic", "resource") for n, d in G.nodes(data=True) if d["type"] == kind]
        self.types = [G.nodes[n]["type"] for n in self.nodes]
        self.labels = [label(G, n) for n in self.nodes]
        texts, self.fields, self.owner, counts = [], [], [], []
        for place, node in enumerate(self.nodes):
            found = [(f, v.casefold()) for f in SEARCH_FIELDS for v in _texts(G.nodes[node], f)]
            self.fields += [f for f, _ in found]
            texts += [v + "\0" for _, v in found]
            self.owner += [place] * len(found)
            counts.append(len(found))
        self.text = "".join(texts)
        self.starts = list(itertools.accumulate(map(len, texts), initial=0))
        self.ends = [self.starts[j] for j in itertools.accumulate(counts)]

    def matches(self, text: str) -> Iterator[tuple[int, str]]:
        """Each node (its place in ``nodes``) with a text that contains ``text`` in any
        case, in order, and the field of the first such text."""
        wanted = text.casefold()
        at = self.text.find(wanted)
        while 0 <= at < len(self.text):
            j = bisect.bisect_right(self.starts, at) - 1
            if at + len(wanted) < self.starts[j + 1]:
                yield self.owner[j], self.fields[j]
                at = self.text.find(wanted, self.ends[self.owner[j]])
            else:  # across the end of a text
                at = self.text.find(wanted, at + 1)


def _texts(data: dict, field: str) -> list[str]:
    value = data.get(field)
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def search(G: nx.MultiDiGraph, text: str) -> list[tuple[str, str]]:
    """Topics, then resources, whose names, titles or abstracts contain ``text`` (any case).

    Returns (node, the first field that matched).
    """
    index = derived(G, TextIndex)
    return [(index.nodes[place], field) for place, field in index.matches(text)]


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
