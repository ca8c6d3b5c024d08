"""Reading the graph `learngraph build` wrote, for every reader of it: the commands and
the HTTP API. A file that is missing, unreadable or not a learngraph graph raises
``GraphFileError`` with a one-line message the reader can show as it is."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .formats import read_json

NODE_TYPES = ("topic", "resource", "item", "person", "suggestion")


class GraphFileError(ValueError):
    """graph.json cannot be used; the message says why, in one line."""


def load_graph(path) -> nx.MultiDiGraph:
    """The graph `learngraph build` wrote to ``path``; any other file, JSON or not, is one line."""
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no graph there; run `learngraph build` first")
    try:
        G = read_json(path)
    except OSError as error:
        raise GraphFileError(f"{path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # what odd JSON raises
        raise GraphFileError(f"{path}: not a learngraph graph ({type(error).__name__}: {error})") from None
    if not (
        isinstance(G.graph, dict)
        and "title" in G.graph
        and all(data.get("type") in NODE_TYPES for _, data in G.nodes(data=True))
    ):
        raise GraphFileError(f"{path}: not a learngraph graph (written by something else)")
    return G
