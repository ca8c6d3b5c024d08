"""Roadmap + crawl records -> one typed networkx graph.

Nodes have a ``type``: ``topic``, ``resource``, ``item``, ``person`` or ``suggestion`` (a
paper several of the roadmap's papers cite that it lists nowhere, or one Semantic Scholar's
search found for a topic with nothing to study: never a resource). Edges
are keyed by their type, which they also carry as ``type``:

- ``subtopic_of``: topic -> its parent topic;
- ``covers``: resource or item -> the topic it is listed under, with its ``position``;
- ``prerequisite``: topic -> a topic that needs it (see ``prerequisites.py``);
- ``authored_by``: resource -> person (paper author, video channel, repository owner), with its ``role``;
- ``links_to``: resource -> a resource of the graph its fetched text names (arXiv id or URL);
- ``about``: item -> a topic it names;
- ``suggested_for``: suggestion -> the topic it belongs under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from learngraph.crawler.records import present

from .aliases import AliasIndex, read_name_lists, topic_aliases
from .collector import no_collection
from .formats import FORMATS
from .papers import ARXIV_ID, LINKING_FIELDS, paper_url
from .prerequisites import Declaration, add_prerequisites, read_declarations, topic_papers
from .suggestions import filling, missing_papers

if TYPE_CHECKING:  # only for the types: graph queries need no Markdown parser
    from ..crawler.roadmap import Roadmap

# What the roadmap knows better than a crawl, which may be older than the last edit.
ROADMAP_FIELDS = ("done", "link_texts")
# What a resource's fetched text may name another resource by, besides papers' ids.
URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
SCHEME = re.compile(r"^https?://(www\.)?", re.I)
# What `learngraph build` and `run` write: JSON to query, GraphML for other tools.
GRAPH_FORMATS = ("json", "graphml")


@no_collection()
def build_graph(
    roadmap: Roadmap,
    records: Iterable[dict] = (),
    *,
    declarations: Iterable[Declaration] = (),
    aliases: Iterable[Iterable[str]] = (),
    found: Iterable[dict] = (),
) -> nx.MultiDiGraph:
    """The knowledge graph of ``roadmap`` with the crawl ``records`` (resources.jsonl lines).

    A resource of the roadmap without a record is still a node, ``pending``, titled by its
    link text. ``declarations`` are extra explicit prerequisites (``read_declarations``);
    ``aliases`` are extra groups of equivalent topic names; ``found`` the papers the crawl
    found for topics with nothing to study (found-papers.json, ``read_found_papers``).

    Examples
    --------
    >>> from learngraph.crawler.roadmap import parse_roadmap
    >>> G = build_graph(parse_roadmap("# Roadmap\\n## A\\n[a](https://a.org)\\n## B\\n[b](https://b.org)\\n"))
    >>> G.has_edge("roadmap/a", "roadmap/b", "prerequisite")
    True
    """
    aliases = [tuple(group) for group in aliases]
    G = nx.MultiDiGraph(title=roadmap.title, source=roadmap.source)
    _add_topics(G, roadmap, aliases)
    # Listed once for all that follows: each walk over the graph's edges takes a while at scale.
    covered = _add_resources(G, roadmap, {r["id"]: r for r in records})
    _add_people(G)
    _add_links(G)
    index = AliasIndex(
        {n: [d["name"], *d.get("aliases", ())] for n, d in G.nodes(data=True) if d["type"] == "topic"}
    )
    _add_items(G, roadmap, index)
    found_papers = filling(G, found, covered)
    owners = topic_papers(G, covered)  # finding the papers each topic names takes a second at scale
    add_prerequisites(G, roadmap, index, owners, covered, declarations, found_papers)
    _add_suggestions(G, found_papers, owners)
    return G


def _add_suggestions(G: nx.MultiDiGraph, found: list[dict], owners: dict[str, set[str]]) -> None:
    """The papers the roadmap is missing, as nodes of their own beside its resources: those
    its papers cite (``cited_by``), and those found for its empty topics (``found_for``)."""
    for paper in missing_papers(G, found=found, owners=owners):
        G.add_node(
            paper["id"], type="suggestion", title=paper["title"], url=paper["url"], cited_by=paper["cited_by"]
        )
        if paper["topic"]:
            G.add_edge(paper["id"], paper["topic"], "suggested_for", type="suggested_for")
    for paper in found:
        if paper["id"] not in G:  # a paper the roadmap lists elsewhere stays what it is there
            data = {
                "type": "suggestion",
                "title": paper.get("title") or paper["id"],
                "url": paper_url(paper["id"]),
                "year": paper.get("year"),
                "citation_count": paper.get("citation_count"),
                "references": paper.get("references"),
            }
            G.add_node(paper["id"], **present(data), found_for=[])
        if G.nodes[paper["id"]]["type"] == "suggestion":
            G.nodes[paper["id"]]["found_for"].append(paper["topic"])
            G.add_edge(paper["id"], paper["topic"], "suggested_for", type="suggested_for")


def _add_topics(G: nx.MultiDiGraph, roadmap: Roadmap, aliases: list[tuple[str, ...]]) -> None:
    for index, topic in enumerate(roadmap.topics):
        data = {
            "type": "topic",
            "name": topic.name,
            "level": topic.level,
            "order": topic.order,
            "line": topic.line,
            "index": index,
            "description": topic.description or None,
            "aliases": topic_aliases(topic.name, aliases) or None,
        }
        G.add_node(topic.id, **present(data))
        if topic.parent:
            G.add_edge(topic.id, topic.parent, "subtopic_of", type="subtopic_of")


def _add_resources(G: nx.MultiDiGraph, roadmap: Roadmap, records: dict[str, dict]) -> list[tuple[str, str]]:
    """Add the resources and their covers edges; return what ``covers(G)`` now lists."""
    # Added at once: node by node, networkx's checks take a second at scale.
    nodes, edges = [], {}
    positions: dict[str, int] = {}
    for resource in roadmap.resources:
        record = records.get(resource.id, {})
        data = {
            "type": "resource",
            "url": resource.url,
            "kind": resource.kind,
            "source": resource.source,
            "status": "pending",
            "title": resource.title,
            **resource.attrs,
            **{k: v for k, v in record.items() if k not in ("id", "topics")},
            "done": resource.done,
            "link_texts": list(dict.fromkeys(m.text for m in resource.mentions if m.text)),
        }
        nodes.append((resource.id, present(data)))
        for mention in resource.mentions:
            if mention.topic and (resource.id, mention.topic) not in edges:
                position = positions[mention.topic] = positions.get(mention.topic, -1) + 1
                edges[resource.id, mention.topic] = {
                    "type": "covers",
                    "position": position,
                    "line": mention.line,
                }
    G.add_nodes_from(nodes)
    G.add_edges_from((u, v, "covers", data) for (u, v), data in edges.items())
    return list(edges)


def _add_people(G: nx.MultiDiGraph) -> None:
    resources = [(n, d) for n, d in G.nodes(data=True) if d["type"] == "resource"]
    for resource, data in resources:
        people = [(name, "author") for name in data.get("authors", ())]
        if data.get("channel"):
            people.append((data["channel"], "channel"))
        if data.get("full_name"):
            people.append((data["full_name"].split("/")[0], "owner"))
        for name, role in people:
            person = f"person:{name}"
            G.add_node(person, type="person", name=name)
            G.add_edge(resource, person, "authored_by", type="authored_by", role=role)


def _add_links(G: nx.MultiDiGraph) -> None:
    """links_to edges where a resource's fetched text names another resource."""
    handles = {}
    for node, data in G.nodes(data=True):
        if data["type"] == "resource":
            for url in (data["url"], data.get("final_url"), data.get("canonical_url")):
                if url:
                    handles[_url_handle(url)] = node
            if node.startswith("arxiv:"):
                handles[node] = node
    links: dict[tuple[str, str], str] = {}  # added at once, as in _add_resources
    for node, data in G.nodes(data=True):
        if data["type"] != "resource":
            continue
        for field in LINKING_FIELDS:
            if not (text := data.get(field)):  # most resources have one of them
                continue
            named = [f"arxiv:{m}" for m in ARXIV_ID.findall(text)]
            named += [_url_handle(m.rstrip(".,;:!?")) for m in URL.findall(text)]
            for handle in named:
                target = handles.get(handle)
                if target and target != node:
                    links.setdefault((node, target), field)
    G.add_edges_from(
        (u, v, "links_to", {"type": "links_to", "field": field}) for (u, v), field in links.items()
    )


def _url_handle(url: str) -> str:
    """A URL without scheme, www. and trailing slash, so spellings of one page compare equal."""
    return SCHEME.sub("", url.strip()).rstrip("/").lower()


def _add_items(G: nx.MultiDiGraph, roadmap: Roadmap, index: AliasIndex) -> None:
    positions: dict[str | None, int] = {}
    for item in roadmap.items:
        G.add_node(item.id, type="item", kind=item.kind, text=item.text, line=item.line)
        if item.topic:
            position = positions[item.topic] = positions.get(item.topic, -1) + 1
            G.add_edge(item.id, item.topic, "covers", type="covers", position=position, line=item.line)
        for topic, _, _ in index.find(item.text):
            if topic != item.topic and not G.has_edge(item.id, topic, "about"):
                G.add_edge(item.id, topic, "about", type="about")


@no_collection()  # the graph and what writing it makes: millions of objects that all live on
def build_and_write(
    roadmap: Roadmap,
    records: Iterable[dict],
    out_dir,
    *,
    prereqs_file=None,
    aliases_file=None,
    found: Iterable[dict] = (),
) -> tuple[nx.MultiDiGraph, list[Path]]:
    """Build the graph, with the prerequisites and topic names of the sidecar files
    ``prereqs_file`` and ``aliases_file`` if given and the papers ``found`` for empty
    topics, and write ``graph.json`` and ``graph.graphml`` into ``out_dir``.

    Returns the graph and the paths written; ``learngraph build`` and ``run`` share it.
    A sidecar file that cannot be read raises OSError, or ValueError naming its bad line.
    """
    declarations = read_declarations(prereqs_file) if prereqs_file else []
    aliases = [[n, *values] for n, values, _ in read_name_lists(aliases_file)] if aliases_file else []
    G = build_graph(roadmap, records, declarations=declarations, aliases=aliases, found=found)
    paths = []
    for name in GRAPH_FORMATS:
        path = Path(out_dir) / FORMATS[name].filename
        FORMATS[name].write(G, path)
        paths.append(path)
    return G, paths
