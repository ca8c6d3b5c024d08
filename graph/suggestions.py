"""What the roadmap is missing: papers several of its papers cite that it lists nowhere,
and the topics it names without anything to study.

Suggestions are answers to a question, never resources: nothing here changes the graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from .papers import paper_url
from .prerequisites import citation_evidence, topic_papers
from .sections import is_aside, lineages, studied_topics

SUGGEST_MIN_CITING = 2


def missing_papers(
    G: nx.MultiDiGraph,
    topic: str | None = None,
    *,
    min_citing: int = SUGGEST_MIN_CITING,
    found: Iterable[dict] = (),
    owners: dict[str, set[str]] | None = None,
) -> list[dict]:
    """Papers cited by at least ``min_citing`` papers of the roadmap but not listed in it,
    most cited by the roadmap first, each placed under the topic it belongs to.

    A paper belongs under the topic whose resources already link to it (the Transformer
    video's description links "Attention Is All You Need"), otherwise under the topic
    whose papers cite it most. With ``topic``, only the papers placed under it.
    ``found`` are the papers found for topics with nothing to study (``id``, ``topic``,
    ``references``): they stand for those topics' papers, so they cite too. ``owners`` is
    ``topic_papers(G)`` when the caller has it already; it is left as it is.

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
    owners = dict(topic_papers(G) if owners is None else owners)
    citing_papers = {n: G.nodes[n].get("references", ()) for n in listed}
    for paper in found:
        owners[paper["id"]] = owners.get(paper["id"], set()) | {paper["topic"]}
        citing_papers.setdefault(paper["id"], paper.get("references", ()))
    cited_by: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    for citing, references in citing_papers.items():
        for reference in references:
            paper = reference["id"]
            if paper not in citing_papers and citing not in cited_by[paper]:
                cited_by[paper].append(citing)
                titles.setdefault(paper, reference.get("title") or paper)
    found = []
    for paper, citing in cited_by.items():
        if len(citing) < min_citing:
            continue
        place = _placement(G, owners.get(paper, set()), [t for c in citing for t in owners.get(c, ())])
        if topic is None or place == topic:
            found.append(
                {
                    "id": paper,
                    "title": titles[paper],
                    "url": paper_url(paper),
                    "topic": place,
                    "cited_by": citing,
                }
            )
    return sorted(found, key=lambda s: (-len(s["cited_by"]), s["title"]))


def _placement(G: nx.MultiDiGraph, linking: set[str], citing_topics: list[str]) -> str | None:
    """The first topic that links to the paper, else the one whose papers cite it most."""
    if linking:
        return min(linking, key=lambda t: G.nodes[t]["index"])
    counts = Counter(citing_topics)
    return min(counts, key=lambda t: (-counts[t], G.nodes[t]["index"])) if counts else None


def topics_to_fill(G: nx.MultiDiGraph, covered: Iterable[tuple[str, str]] | None = None) -> list[str]:
    """Subjects the roadmap names but gives nothing to study (the embedded roadmap's LoRA):
    no resource, no subsection, neither an aside nor the document's title.
    ``covered`` is ``covers(G)`` when the caller has listed it already."""
    studied = studied_topics(G, covered)
    # From the headings above each topic: a walk over every edge of the graph is slower.
    parents = {a for topic, line in lineages(G).items() for a in line if a != topic}
    topics = [(n, d) for n, d in G.nodes(data=True) if d["type"] == "topic"]
    return [
        n
        for n, d in sorted(topics, key=lambda t: t[1]["index"])
        if n not in studied
        and n not in parents
        and not (d["index"] == 0 and d["level"] == 1)
        and not is_aside(G, n)
    ]


def names_to_search(G: nx.MultiDiGraph, topic: str | None = None) -> dict[str, list[str]]:
    """Each topic with nothing to study (only ``topic``, if given) with the names to search
    papers by: its name and its first alias ("LoRA", "Low-Rank Adaptation")."""
    return {
        t: [G.nodes[t]["name"], *G.nodes[t].get("aliases", ())[:1]]
        for t in topics_to_fill(G)
        if topic in (None, t)
    }


def filling(
    G: nx.MultiDiGraph, found: Iterable[dict], covered: Iterable[tuple[str, str]] | None = None
) -> list[dict]:
    """The papers a search found (``paper_search.search_topics``' answers) for the topics
    that still have nothing to study, each with its ``topic``: a found paper stands in for
    the papers the roadmap would list there. ``covered`` is ``covers(G)`` when the caller
    has listed it already."""
    empty = set(topics_to_fill(G, covered))
    return [
        {**paper, "topic": entry["topic"]}
        for entry in found
        if entry["topic"] in empty
        for paper in entry["papers"]
    ]


def found_in_graph(G: nx.MultiDiGraph, topic: str | None = None) -> list[dict]:
    """The papers the crawl found for the topics with nothing to study (only ``topic``, if
    given), as ``build`` kept them, in ``paper_search.search_topics``' shape."""
    found: dict[str, list[dict]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        for empty in data.get("found_for", ()) if data["type"] == "suggestion" else ():
            if topic in (None, empty):
                fields = ("title", "year", "citation_count", "references")
                found[empty].append({"id": node, **{k: data[k] for k in fields if k in data}})
    return [{"topic": t, "papers": found[t]} for t in sorted(found, key=lambda t: G.nodes[t]["index"])]


def builds_on(G: nx.MultiDiGraph, paper: dict) -> list[dict]:
    """The topics of the roadmap a paper found for an empty topic builds on: those whose
    papers it cites, each with the citations as evidence, earliest topic first.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", type="topic", name="Transformer", index=0)
    >>> G.add_node("v", type="resource", description="https://arxiv.org/abs/1706.03762")
    >>> _ = G.add_edge("v", "t", "covers")
    >>> lora = {"id": "arxiv:2106.09685", "title": "LoRA",
    ...         "references": [{"id": "arxiv:1706.03762", "title": "Attention Is All You Need"}]}
    >>> builds_on(G, lora)
    [{'topic': 't', 'evidence': ['citation: LoRA (arxiv:2106.09685) cites Attention Is All You Need (arxiv:1706.03762)']}]
    """
    owners = topic_papers(G)
    evidence: dict[str, list[str]] = defaultdict(list)
    for reference in paper.get("references", ()):
        for topic in owners.get(reference["id"], ()):
            evidence[topic].append(citation_evidence(paper, reference))
    return [
        {"topic": t, "evidence": evidence[t]} for t in sorted(evidence, key=lambda t: G.nodes[t]["index"])
    ]
