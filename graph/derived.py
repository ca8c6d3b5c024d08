"""What queries compute once from a graph and reuse: indexes of its topics, prerequisites
and texts, kept on a frozen graph (``nx.freeze``, as ``store.load_graph`` returns it),
which nothing changes, so that a process holding the graph answers each query without
walking it all again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import networkx as nx

T = TypeVar("T")


def derived(G: nx.MultiDiGraph, compute: Callable[[nx.MultiDiGraph], T]) -> T:
    """``compute(G)``, computed once per frozen graph; afresh on a graph that may change.

    Examples
    --------
    >>> G = nx.freeze(nx.MultiDiGraph([(1, 2)]))
    >>> derived(G, lambda G: object()) is derived(G, lambda G: object())
    False
    >>> nodes = lambda G: list(G)
    >>> derived(G, nodes) is derived(G, nodes)
    True
    """
    # A view is frozen too, but the graph it shows may change.
    if not nx.is_frozen(G) or hasattr(G, "_graph"):
        return compute(G)
    cache = vars(G).setdefault("_derived", {})
    try:  # a graph read from its cache reads what it kept on first use (``store``)
        return cache[compute]
    except KeyError:
        cache[compute] = found = compute(G)
        return found
