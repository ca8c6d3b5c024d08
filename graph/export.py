"""The graph in the formats other tools read; one ``write_x`` / ``read_x`` pair per format.

Every file is written atomically: to a temporary file beside it, then renamed, so a reader
never sees half a graph. GraphML, GEXF and the Neo4j CSVs hold scalars only: lists and
dicts are JSON-encoded there and decoded again on reading.

Whatever the graph holds, every file is valid: control characters, lone surrogates and
noncharacters (which XML refuses and UTF-8 cannot encode) are left out of every id, name
and value written (``learngraph.crawler.text``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import networkx as nx

from learngraph.crawler.files import atomic_write
from learngraph.crawler.text import UNWANTED, printable


def label(G: nx.MultiDiGraph, node) -> str:
    """What a person reads a node as: a topic's or person's name, a title, an item's text."""
    data = G.nodes[node]
    return data.get("name") or data.get("title") or data.get("text") or str(node)


def _printable(value):
    """``value`` with every string in it, dict keys too, made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(element) for element in value]
    if isinstance(value, dict):
        return {_printable(key): _printable(element) for key, element in value.items()}
    return value


# How json.dumps spells the control characters it escapes. A match may be a false alarm (an
# escaped backslash before a "b"), which costs only the slower, value by value cleaning.
ESCAPED_CONTROL = re.compile(r"\\(?:u00[01][0-9a-fA-F]|[bf])")


def _write_json_text(data, path, indent: int | None = None) -> None:
    """``data`` as UTF-8 JSON without unwanted characters: cleaned value by value only when
    the JSON text shows one, as a graph built from normalised records never does."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if UNWANTED.search(text) or ESCAPED_CONTROL.search(text):
        text = json.dumps(_printable(data), ensure_ascii=False, indent=indent)
    with atomic_write(path) as file:
        file.write(text)


# Node-link JSON: the primary format, fast and lossless.
def write_json(G: nx.MultiDiGraph, path) -> None:
    _write_json_text(nx.node_link_data(G, edges="edges"), path)


def read_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as file:
        return nx.node_link_graph(json.load(file), edges="edges")


# GraphML, GEXF and Neo4j hold scalars: a list or dict is JSON text under its name + "_json".
JSON_SUFFIX = "_json"


def _scalars(data: dict) -> dict:
    return {k + JSON_SUFFIX if isinstance(v, (list, dict)) else k:
            json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            for k, v in _printable(data).items() if v is not None}


def _unscalars(data: dict, drop: tuple[str, ...] = ()) -> dict:
    return {k.removesuffix(JSON_SUFFIX): json.loads(v) if k.endswith(JSON_SUFFIX) else v
            for k, v in data.items() if k not in drop}


def _scalar_copy(G: nx.MultiDiGraph, edge_type: str = "type") -> nx.MultiDiGraph:
    """A copy with scalar attributes, unique edge keys, and the edge type under ``edge_type``."""
    H = nx.MultiDiGraph(**_scalars(G.graph))
    H.add_nodes_from((_printable(n), _scalars(d)) for n, d in G.nodes(data=True))
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        data = _scalars(d)
        data[edge_type] = data.pop("type")
        H.add_edge(_printable(u), _printable(v), f"e{i}", **data)
    return H


def _restored(H: nx.MultiDiGraph, edge_type: str = "type", drop: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The inverse of ``_scalar_copy``, leaving out what a reader adds (``drop``)."""
    G = nx.MultiDiGraph(**_unscalars(H.graph, drop))
    G.add_nodes_from((n, _unscalars(d, drop)) for n, d in H.nodes(data=True))
    for u, v, d in H.edges(data=True):
        data = _unscalars(d, drop)
        data["type"] = data.pop(edge_type)
        G.add_edge(u, v, data["type"], **data)
    return G


def write_graphml(G: nx.MultiDiGraph, path) -> None:
    with atomic_write(path, "wb") as file:
        nx.write_graphml(_scalar_copy(G), file, infer_numeric_types=True)


def read_graphml(path) -> nx.MultiDiGraph:
    H = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    return _restored(H, drop=("node_default", "edge_default"))


# GEXF keeps an edge's "type" for its direction and a node's "label" for its caption;
# it has no place for graph attributes (the cycles and unresolved names stay in JSON and GraphML).
def write_gexf(G: nx.MultiDiGraph, path) -> None:
    H = _scalar_copy(G, edge_type="relation")
    for node, data in G.nodes(data=True):
        H.nodes[_printable(node)]["label"] = printable(label(G, node))
    with atomic_write(path, "wb") as file:
        nx.write_gexf(H, file)


def read_gexf(path) -> nx.MultiDiGraph:
    H = nx.read_gexf(path, node_type=str)
    return _restored(H, edge_type="relation", drop=("label", "id", "key", "mode", "node_default", "edge_default"))


# Cytoscape.js: elements with string ids and a display label.
def cytoscape_data(G: nx.MultiDiGraph) -> dict:
    return {
        "data": G.graph,
        "elements": {
            "nodes": [{"data": {**d, "id": n, "label": label(G, n)}} for n, d in G.nodes(data=True)],
            "edges": [{"data": {**d, "id": f"{u}->{v}:{k}", "source": u, "target": v}}
                      for u, v, k, d in G.edges(keys=True, data=True)],
        },
    }


def cytoscape_graph(data: dict) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(**data["data"])
    for element in data["elements"]["nodes"]:
        attrs = {k: v for k, v in element["data"].items() if k not in ("id", "label")}
        G.add_node(element["data"]["id"], **attrs)
    for element in data["elements"]["edges"]:
        attrs = {k: v for k, v in element["data"].items() if k not in ("id", "source", "target")}
        G.add_edge(element["data"]["source"], element["data"]["target"], attrs["type"], **attrs)
    return G


def write_cytoscape(G: nx.MultiDiGraph, path) -> None:
    _write_json_text(cytoscape_data(G), path)


def read_cytoscape(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as file:
        return cytoscape_graph(json.load(file))


# schema.org JSON-LD: resources are LearningResources that teach topics (DefinedTerms).
SCHEMA_TYPES = {
    "video": "VideoObject", "playlist": "VideoObject", "channel": "CreativeWorkSeries",
    "paper": "ScholarlyArticle", "repo": "SoftwareSourceCode", "slides": "PresentationDigitalDocument",
    "article": "Article", "docs": "TechArticle", "page": "WebPage",
}
SCHEMA_FIELDS = {
    "description": "description", "abstract": "abstract", "published": "datePublished",
    "updated": "dateModified", "language": "inLanguage", "tags": "keywords",
}


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration: 3723 -> "PT1H2M3S"."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{v}{unit}" for v, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v]
    return "PT" + ("".join(parts) or "0S")


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
            nodes.append({"@id": _iri("topic", node), "@type": "DefinedTerm", "name": data["name"],
                          "termCode": node, "inDefinedTermSet": {"@id": term_set},
                          **({"alternateName": data["aliases"]} if "aliases" in data else {})})
        elif data["type"] == "person":
            nodes.append({"@id": _iri("person", data["name"]), "@type": "Person", "name": data["name"]})
        elif data["type"] == "item":
            nodes.append({"@id": _iri("item", node),
                          "@type": "Question" if data["kind"] == "question" else "Comment",
                          "text": data["text"],
                          "about": [{"@id": _iri("topic", t)} for t in related(node, "covers") + related(node, "about")]})
        else:
            nodes.append(_resource_jsonld(G, node, data, related))
    return {"@context": "https://schema.org", "@graph": nodes}


def _resource_jsonld(G, node, data, related) -> dict:
    topics = related(node, "covers")
    required = dict.fromkeys(p for t in topics for p in related(t, "prerequisite", "in"))
    entry = {
        "@id": data["url"], "@type": [SCHEMA_TYPES.get(data["kind"], "CreativeWork"), "LearningResource"],
        "identifier": node, "name": data.get("title", ""), "url": data["url"],
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
    _write_json_text(jsonld_data(G), path, indent=1)


def read_jsonld(path) -> dict:
    """The JSON-LD document as data: schema.org has no way back to the typed graph."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


# Neo4j: CSV files with typed headers for `neo4j-admin database import full`.
NEO4J_LABELS = {"topic": "Topic", "resource": "Resource", "item": "Item", "person": "Person"}
NEO4J_NODE_FILES = {"topic": "topics.csv", "resource": "resources.csv", "item": "items.csv",
                    "person": "people.csv"}
NEO4J_RELATIONSHIPS = "relationships.csv"
NEO4J_TYPES = {bool: "boolean", int: "long", float: "double"}
NEO4J_PARSERS = {"boolean": lambda s: s == "true", "long": int, "double": float, "string": str}


def _neo4j_columns(rows: list[dict]) -> dict[str, str]:
    """Property name -> Neo4j type; int mixed with float is double, anything else mixed a string."""
    columns: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, set()).add(NEO4J_TYPES.get(type(value), "string"))
    return {k: types.pop() if len(types) == 1 else "double" if types == {"long", "double"} else "string"
            for k, types in columns.items()}


def _neo4j_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path, fixed: dict[str, str], rows: list[tuple[list, dict]]) -> None:
    """Rows of fixed leading cells (headers ``fixed``) and properties, with typed headers."""
    rows = [(_printable(lead), _scalars(props)) for lead, props in rows]
    columns = _neo4j_columns([props for _, props in rows])
    names = sorted(columns)
    with atomic_write(path) as file:
        writer = csv.writer(file)
        writer.writerow([*fixed, *(f"{n}:{columns[n]}" for n in names)])
        for lead, props in rows:
            writer.writerow([*lead, *("" if props.get(n) is None else _neo4j_cell(props[n]) for n in names)])


def write_neo4j(G: nx.MultiDiGraph, directory) -> None:
    """Node files per type and one relationship file, for
    ``neo4j-admin database import full --nodes=topics.csv ... --relationships=relationships.csv``."""
    directory = Path(directory)
    for node_type, filename in NEO4J_NODE_FILES.items():
        rows = [([n, NEO4J_LABELS[node_type]], {k: v for k, v in d.items() if k != "type"})
                for n, d in G.nodes(data=True) if d["type"] == node_type]
        _write_csv(directory / filename, ["id:ID", ":LABEL"], rows)
    rows = [([u, v, k.upper()], {a: b for a, b in d.items() if a != "type"})
            for u, v, k, d in G.edges(keys=True, data=True)]
    _write_csv(directory / NEO4J_RELATIONSHIPS, [":START_ID", ":END_ID", ":TYPE"], rows)


def _read_csv(path) -> list[tuple[list[str], dict]]:
    """(the cells of untyped and ID columns, the properties) per row."""
    with open(path, encoding="utf-8", newline="") as file:
        header, *lines = list(csv.reader(file))
    columns = [column.partition(":")[::2] for column in header]
    fixed = [i for i, (name, kind) in enumerate(columns) if not name or kind == "ID"]
    typed = [(i, name, kind) for i, (name, kind) in enumerate(columns) if name and kind != "ID"]
    return [([line[i] for i in fixed],
             _unscalars({name: NEO4J_PARSERS[kind](line[i]) for i, name, kind in typed if line[i] != ""}))
            for line in lines]


def read_neo4j(directory) -> nx.MultiDiGraph:
    directory = Path(directory)
    G = nx.MultiDiGraph()
    for node_type, filename in NEO4J_NODE_FILES.items():
        for (node, _), props in _read_csv(directory / filename):
            G.add_node(node, type=node_type, **props)
    for (u, v, relation), props in _read_csv(directory / NEO4J_RELATIONSHIPS):
        G.add_edge(u, v, relation.lower(), type=relation.lower(), **props)
    return G


@dataclass(frozen=True)
class Format:
    write: Callable[[nx.MultiDiGraph, Path], None]
    read: Callable[[Path], object]
    filename: str


FORMATS = {
    "json": Format(write_json, read_json, "graph.json"),
    "graphml": Format(write_graphml, read_graphml, "graph.graphml"),
    "jsonld": Format(write_jsonld, read_jsonld, "graph.jsonld"),
    "gexf": Format(write_gexf, read_gexf, "graph.gexf"),
    "cytoscape": Format(write_cytoscape, read_cytoscape, "graph.cyjs"),
    "neo4j": Format(write_neo4j, read_neo4j, "neo4j"),
}
