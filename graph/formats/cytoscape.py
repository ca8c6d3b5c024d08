"""Cytoscape.js: elements with string ids and a display label."""

from __future__ import annotations

import json

import networkx as nx

from ..queries import label
from .printable import write_json_text


def cytoscape_data(G: nx.MultiDiGraph) -> dict:
    return {
        "data": G.graph,
        "elements": {
            "nodes": [{"data": {**d, "id": n, "label": label(G, n)}} for n, d in G.nodes(data=True)],
            "edges": [
                {"data": {**d, "id": f"{u}->{v}:{k}", "source": u, "target": v}}
                for u, v, k, d in G.edges(keys=True, data=True)
            ],
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
    write_json_text(cytoscape_data(G), path)


def read_cytoscape(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as file:
        return cytoscape_graph(json.load(file))
