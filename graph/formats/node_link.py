"""Node-link JSON: the primary format, fast and lossless; what the query commands read."""

from __future__ import annotations

import json

import networkx as nx

from .printable import write_json_text


def write_json(G: nx.MultiDiGraph, path) -> None:
    write_json_text(nx.node_link_data(G, edges="edges"), path)


def read_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as file:
        return nx.node_link_graph(json.load(file), edges="edges")
