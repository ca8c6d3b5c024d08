"""schema.org JSON-LD, for search engines and RDF tools: resources are LearningResources
that teach topics (DefinedTerms).

The context is written out rather than named by URL, so that a JSON-LD processor needs no
network (schema.org's context URL does not even answer RDF tools' content negotiation)
and every term is an IRI: schema.org's, and learngraph's own for what schema.org has no
property for (a topic's prerequisites and parent).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import networkx as nx

from learngraph.crawler.text import printable

from .printable import write_json_text

SCHEMA = "https://schema.org/"
VOCABULARY = "urn:learngraph:vocab:"
CONTEXT = {
    "@vocab": SCHEMA,
    "learngraph": VOCABULARY,
    # schema.org's own context makes a url an IRI, not a string.
    "url": {"@type": "@id"},
    "prerequisite": {"@id": "learngraph:prerequisite"},
    "subtopicOf": {"@id": "learngraph:subtopicOf"},
}
# What a URL may hold but an IRI may not (RFC 3987), and RDF tools refuse.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
SCHEMA_TYPES = {
    "video": "VideoObject",
    "playlist": "VideoObject",
    "channel": "CreativeWorkSeries",
    "paper": "ScholarlyArticle",
    "repo": "SoftwareSourceCode",
    "slides": "PresentationDigitalDocument",
    "article": "Article",
    "docs": "TechArticle",
    "page": "WebPage",
}
SCHEMA_FIELDS = {
    "description": "description",
    "abstract": "abstract",
    "published": "datePublished",
    "updated": "dateModified",
    "language": "inLanguage",
    "tags": "keywords",
}


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration: 3723 -> "PT1H2M3S"."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{v}{unit}" for v, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v]
    return "PT" + ("".join(parts) or "0S")


def url_iri(url: str) -> str:
    """``url`` as an IRI: the same address, with what an IRI refuses percent-encoded.

    >>> url_iri("https://example.org/a|b c")
    'https://example.org/a%7Cb%20c'
    """
    return NOT_IN_IRI.sub(lambda m: quote(m.group()), printable(url))


def _iri(kind: str, node: str) -> str:
    return f"urn:learngraph:{kind}:{quote(printable(node), safe='/:')}"


def jsonld_data(G: nx.MultiDiGraph) -> dict:
    """The graph as a schema.org JSON-LD document."""

    def related(node, key, direction="out"):
        edges = G.out_edges(node, keys=True) if direction == "out" else G.in_edges(node, keys=True)
        return [v if direction == "out" else u for u, v, k in edges if k == key]

    term_set = _iri("roadmap", G.graph.get("source", "roadmap"))
    nodes = [{"@id": term_set, "@type": "DefinedTermSet", "name": G.graph.get("title", "")}]
    for node, data in G.nodes(data=True):
        if data["type"] == "topic":
            entry = {
                "@id": _iri("topic", node),
                "@type": "DefinedTerm",
                "name": data["name"],
                "termCode": node,
                "inDefinedTermSet": {"@id": term_set},
                "alternateName": data.get("aliases", []),
                "prerequisite": [{"@id": _iri("topic", t)} for t in related(node, "prerequisite", "in")],
                "subtopicOf": [{"@id": _iri("topic", t)} for t in related(node, "subtopic_of")],
            }
            nodes.append({k: v for k, v in entry.items() if v != []})
        elif data["type"] == "person":
            nodes.append({"@id": _iri("person", data["name"]), "@type": "Person", "name": data["name"]})
        elif data["type"] == "suggestion":
            nodes.append(
                {
                    "@id": url_iri(data["url"]),
                    "@type": "ScholarlyArticle",
                    "identifier": node,
                    "name": data["title"],
                    "url": url_iri(data["url"]),
                    "creativeWorkStatus": "suggested",
                    "about": [{"@id": _iri("topic", t)} for t in related(node, "suggested_for")],
                }
            )
        elif data["type"] == "item":
            nodes.append(
                {
                    "@id": _iri("item", node),
                    "@type": "Question" if data["kind"] == "question" else "Comment",
                    "text": data["text"],
                    "about": [
                        {"@id": _iri("topic", t)} for t in related(node, "covers") + related(node, "about")
                    ],
                }
            )
        else:
            nodes.append(_resource_jsonld(G, node, data, related))
    return {"@context": CONTEXT, "@graph": nodes}


def _resource_jsonld(G, node, data, related) -> dict:
    topics = related(node, "covers")
    required = dict.fromkeys(p for t in topics for p in related(t, "prerequisite", "in"))
    entry = {
        "@id": url_iri(data["url"]),
        "@type": [SCHEMA_TYPES.get(data["kind"], "CreativeWork"), "LearningResource"],
        "identifier": node,
        "name": data.get("title", ""),
        "url": url_iri(data["url"]),
        "teaches": [{"@id": _iri("topic", t)} for t in topics],
        "competencyRequired": [{"@id": _iri("topic", t)} for t in required],
        "author": [{"@id": _iri("person", G.nodes[p]["name"])} for p in related(node, "authored_by")],
        "creativeWorkStatus": data["status"],
    }
    entry.update({name: data[field] for field, name in SCHEMA_FIELDS.items() if field in data})
    if "duration" in data:
        entry["duration"] = iso_duration(data["duration"])
    length = data.get("duration", data.get("reading_time"))
    if length is not None:
        entry["timeRequired"] = iso_duration(length)
    return {k: v for k, v in entry.items() if v != []}


def write_jsonld(G: nx.MultiDiGraph, path) -> None:
    write_json_text(jsonld_data(G), path, indent=True)


def read_jsonld(path) -> dict:
    """The JSON-LD document as data: schema.org has no way back to the typed graph."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)
