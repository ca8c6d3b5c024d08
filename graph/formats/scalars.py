"""GraphML, GEXF and the Neo4j CSVs hold scalars only: a list or dict is JSON text there,
under its name + ``_json``, and decoded again on reading."""

from __future__ import annotations

import json

import networkx as nx

from .printable import printable_data

JSON_SUFFIX = "_json"


def scalars(data: dict) -> dict:
    return {
        k + JSON_SUFFIX if isinstance(v, (list, dict)) else k: json.dumps(v, ensure_ascii=False)
        if isinstance(v, (list, dict))
        else v
        for k, v in printable_data(data).items()
        if v is not None
    }


def unscalars(data: dict, drop: tuple[str, ...] = ()) -> dict:
    return {
        k.removesuffix(JSON_SUFFIX): json.loads(v) if k.endswith(JSON_SUFFIX) else v
        for k, v in data.items()
        if k not in drop
    }


def scalar_copy(G: nx.MultiDiGraph, edge_type: str = "type") -> nx.MultiDiGraph:
    """A copy with scalar attributes, unique edge keys, and the edge type under ``edge_type``."""
    H = nx.MultiDiGraph(**scalars(G.graph))
    H.add_nodes_from((printable_data(n), scalars(d)) for n, d in G.nodes(data=True))
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        data = scalars(d)
        data[edge_type] = data.pop("type")
        H.add_edge(printable_data(u), printable_data(v), f"e{i}", **data)
    return H


def restored(H: nx.MultiDiGraph, edge_type: str = "type", drop: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The inverse of ``scalar_copy``, leaving out what a reader adds (``drop``)."""
    G = nx.MultiDiGraph(**unscalars(H.graph, drop))
    G.add_nodes_from((n, unscalars(d, drop)) for n, d in H.nodes(data=True))
    for u, v, d in H.edges(data=True):
        data = unscalars(d, drop)
        data["type"] = data.pop(edge_type)
        G.add_edge(u, v, data["type"], **data)
    return G
