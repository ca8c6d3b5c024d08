"""What the roadmap is missing: papers several of its papers cite that it lists nowhere,
and the topics it names without anything to study.

Suggestions are answers to a question, never resources: nothing here changes the graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from .papers import paper_url
from .prerequisites import is_aside, studied_topics, topic_papers

SUGGEST_MIN_CITING = 2


def missing_papers(G: nx.MultiDiGraph, topic: str | None = None, *,
                   min_citing: int = SUGGEST_MIN_CITING) -> list[dict]:
    """Papers cited by at least ``min_citing`` papers of the roadmap but not listed in it,
    most cited by the roadmap first, each placed under the topic it belongs to.

    A paper belongs under the topic whose resources already link to it (the Transformer
    video's description links "Attention Is All You Need"), otherwise under the topic
    whose papers cite it most. With ``topic``, only the papers placed under it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", type="topic", name="T", index=0)
    >>> for n in ("arxiv:1", "arxiv:2"):
    ...     G.add_node(n, type="resource", title=n, references=[{"id": "arxiv:9", "title": "Nine"}])
    ...     _ = G.add_edge(n, "t", "covers")
    >>> [(s["title"], s["topic"], s["cited_by"]) for s in missing_papers(G)]
    [('Nine', 't', ['arxiv:1', 'arxiv:2'])]
    """
    listed = [n for n, d in G.nodes(data=True) if d["type"] == "resource"]  # in roadmap order
    owners = topic_papers(G)
    cited_by: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    for resource in listed:
        for reference in G.nodes[resource].get("references", ()):
            paper = reference["id"]
            if paper not in listed and resource not in cited_by[paper]:
                cited_by[paper].append(resource)
                titles.setdefault(paper, reference.get("title") or paper)
    found = []
    for paper, citing in cited_by.items():
        if len(citing) < min_citing:
            continue
        place = _placement(G, owners.get(paper, set()), [t for c in citing for t in owners.get(c, ())])
        if topic is None or place == topic:
            found.append({"id": paper, "title": titles[paper], "url": paper_url(paper),
                          "topic": place, "cited_by": citing})
    return sorted(found, key=lambda s: (-len(s["cited_by"]), s["title"]))


def _placement(G: nx.MultiDiGraph, linking: set[str], citing_topics: list[str]) -> str | None:
    """The first topic that links to the paper, else the one whose papers cite it most."""
    if linking:
        return min(linking, key=lambda t: G.nodes[t]["index"])
    counts = Counter(citing_topics)
    return min(counts, key=lambda t: (-counts[t], G.nodes[t]["index"])) if counts else None


def topics_to_fill(G: nx.MultiDiGraph) -> list[str]:
    """Subjects the roadmap names but gives nothing to study (the embedded roadmap's LoRA):
    no resource, no subsection, neither an aside nor the document's title."""
    studied = studied_topics(G)
    parents = {v for _, v, k in G.edges(keys=True) if k == "subtopic_of"}
    topics = [(n, d) for n, d in G.nodes(data=True) if d["type"] == "topic"]
    return [n for n, d in sorted(topics, key=lambda t: t[1]["index"])
            if n not in studied and n not in parents and not (d["index"] == 0 and d["level"] == 1)
            and not is_aside(G, n)]


def best_found(papers: list[dict], count: int = 3) -> list[dict]:
    """The most cited of the papers a search found, keeping its order of relevance among equals."""
    return sorted(papers, key=lambda p: -p.get("citation_count", 0))[:count]
