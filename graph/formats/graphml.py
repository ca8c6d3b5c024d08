"""GraphML, for yEd and most graph tools; lists and dicts as JSON text (``scalars``)."""

from __future__ import annotations

import networkx as nx

from learngraph.crawler.files import atomic_write

from .scalars import restored, scalar_copy


def write_graphml(G: nx.MultiDiGraph, path) -> None:
    with atomic_write(path, "wb") as file:
        nx.write_graphml(scalar_copy(G), file, infer_numeric_types=True)


def read_graphml(path) -> nx.MultiDiGraph:
    H = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    return restored(H, drop=("node_default", "edge_default"))
