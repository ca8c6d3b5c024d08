"""The graph file `learngraph build` writes, read back for queries.

Parsing 100 MB of JSON into a graph and indexing it for queries take seconds, so the first
read leaves a cache beside the file (``graph.json.cache``, a pickle of the graph with the
indexes ``payloads.prepare`` computes), and later reads load that while the file is the one
the cache records (its inode, size and modification time) and the code that made it is the
code running (the modules of this package). A cache that is stale, damaged or unwritable
costs only its time: the file is read again. The cache is as trusted as the folder it is
in, like the graph beside it.
"""

from __future__ import annotations

import pickle
from contextlib import suppress
from pathlib import Path

import networkx as nx

from learngraph.crawler.files import atomic_write

from . import payloads
from .collector import no_collection
from .formats.node_link import read_json
from .queries import PrerequisiteCycle

NODE_TYPES = ("topic", "resource", "item", "person", "suggestion")
# Raised when what a cache holds changes shape, so that older caches are read no more.
CACHE_VERSION = 2


class GraphFileError(ValueError):
    """A graph file that is missing, unreadable or not a learngraph graph; the message is
    one line that names the file."""


def load_graph(path) -> nx.MultiDiGraph:
    """The graph in the node-link JSON file ``path``, checked and frozen (``nx.freeze``):
    queries keep what they compute from it (``derived``).

    Raises ``GraphFileError`` for a missing file, one that cannot be read, and anything
    that is not a graph `learngraph build` wrote.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no graph there; run `learngraph build` first")
    try:
        stat = path.stat()
        key = (CACHE_VERSION, nx.__version__, _code(), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        G = _read_cache(cache_path(path), key)
        if G is None:
            G = nx.freeze(_read_graph(path))
            with no_collection():
                try:
                    payloads.prepare(G)
                except PrerequisiteCycle as error:
                    raise GraphFileError(f"{path}: not a learngraph graph ({error})") from None
            _write_cache(cache_path(path), key, G)
    except OSError as error:
        raise GraphFileError(f"{path}: {error.strerror}") from None
    return G


def _code() -> tuple:
    """The modules whose objects the cache holds, as their files are now: a cache made by
    other code may hold indexes of another shape."""
    return tuple(
        (file.name, found.st_size, found.st_mtime_ns)
        for file in sorted(Path(__file__).parent.glob("*.py"))
        for found in [file.stat()]
    )


def cache_path(path: Path) -> Path:
    return path.with_name(path.name + ".cache")


def _read_graph(path: Path) -> nx.MultiDiGraph:
    try:
        with no_collection():
            G = read_json(path)
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # what odd JSON raises
        raise GraphFileError(f"{path}: not a learngraph graph ({type(error).__name__}: {error})") from None
    if not (
        isinstance(G.graph, dict)
        and "title" in G.graph
        and all(data.get("type") in NODE_TYPES for _, data in G.nodes(data=True))
    ):
        raise GraphFileError(f"{path}: not a learngraph graph (written by something else)")
    return G


def _read_cache(cache: Path, key: tuple) -> nx.MultiDiGraph | None:
    """The cached graph, or None when the cache is missing, stale or damaged."""
    try:
        with open(cache, "rb") as file, no_collection():
            if pickle.load(file) != key:
                return None
            G = pickle.load(file)
    except Exception:  # a missing cache, or a damaged one, which may raise almost anything
        return None
    return G if isinstance(G, nx.MultiDiGraph) and nx.is_frozen(G) else None


def _write_cache(cache: Path, key: tuple, G: nx.MultiDiGraph) -> None:
    """Write the cache, or nothing where the folder is read-only."""
    with suppress(OSError), atomic_write(cache, "wb") as file:
        pickle.dump(key, file, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(G, file, protocol=pickle.HIGHEST_PROTOCOL)
