"""GEXF, for Gephi. It keeps an edge's "type" for its direction and a node's "label" for
its caption, and has no place for graph attributes (the cycles and unresolved names stay
in JSON and GraphML)."""

from __future__ import annotations

import networkx as nx

from learngraph.crawler.files import atomic_write
from learngraph.crawler.text import printable

from ..queries import label
from .printable import printable_data
from .scalars import restored, scalar_copy


def write_gexf(G: nx.MultiDiGraph, path) -> None:
    H = scalar_copy(G, edge_type="relation")
    for node in G:
        H.nodes[printable_data(node)]["label"] = printable(label(G, node))
    with atomic_write(path, "wb") as file:
        nx.write_gexf(H, file)


def read_gexf(path) -> nx.MultiDiGraph:
    H = nx.read_gexf(path, node_type=str)
    return restored(
        H, edge_type="relation", drop=("label", "id", "key", "mode", "node_default", "edge_default")
    )
