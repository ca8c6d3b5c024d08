"""Node-link JSON: the primary format, fast and lossless; what the query commands read."""

from __future__ import annotations

import json

import networkx as nx

from .printable import write_json_text


def write_json(G: nx.MultiDiGraph, path) -> None:
    write_json_text(nx.node_link_data(G, edges="edges"), path)


def read_json(path) -> nx.MultiDiGraph:
    """The graph ``write_json`` wrote, built directly: twice as fast as ``nx.node_link_graph``."""
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    G = nx.MultiDiGraph()
    G.graph.update(data["graph"])
    G.add_nodes_from((node.pop("id"), node) for node in data["nodes"])
    G.add_edges_from(
        (edge.pop("source"), edge.pop("target"), edge.pop("key"), edge) for edge in data["edges"]
    )
    return G
