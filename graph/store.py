"""The graph file `learngraph build` writes, read back for queries.

Parsing 100 MB of JSON into a graph and indexing it for queries take seconds, so the first
read leaves a cache beside the file (``graph.json.cache``), and later reads load that while
the file is the one the cache records (its inode, size and modification time) and the code
that made it is the code running (the modules of this package). The cache keeps the graph's
nodes and edges and each index ``payloads.prepare`` computes as pickles of their own, each
read when first used (``CachedGraph``): a query reads only what its answer needs, most
often a few indexes and not the graph itself. A cache that is stale, damaged or unwritable
costs only its time: the file is read again. The cache is as trusted as the folder it is
in, like the graph beside it.
"""

from __future__ import annotations

import inspect
import mmap
import pickle
import zlib
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
CACHE_VERSION = 3
# Where networkx keeps a graph's nodes and edges: what a cached graph reads on first use.
ADJACENCY = ("_node", "_adj", "_succ", "_pred")


class GraphFileError(ValueError):
    """A graph file that is missing, unreadable or not a learngraph graph; the message is
    one line that names the file."""


def load_graph(path, *, whole: bool = False) -> nx.MultiDiGraph:
    """The graph in the node-link JSON file ``path``, checked and frozen (``nx.freeze``):
    queries keep what they compute from it (``derived``). From the cache, its parts are
    read when first used, or all at once when ``whole`` (a server, whose requests should
    not wait on them).

    Raises ``GraphFileError`` for a missing file, one that cannot be read, and anything
    that is not a graph `learngraph build` wrote.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no graph there; run `learngraph build` first")
    try:
        stat = path.stat()
        key = (CACHE_VERSION, nx.__version__, _code(), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        G = _read_cache(path, key)
        if G is None:
            G = nx.freeze(_read_graph(path))
            with no_collection():
                try:
                    payloads.prepare(G)
                except PrerequisiteCycle as error:
                    raise GraphFileError(f"{path}: not a learngraph graph ({error})") from None
            _write_cache(cache_path(path), key, G)
        elif whole:
            vars(G)["_derived"].read_all()
            G._node  # noqa: B018 (read on first use)
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


class ReadOnFirstUse:
    """One of the dicts networkx keeps a graph's nodes and edges in (``ADJACENCY``), on a
    cached graph: all are unpickled when the first is read. Set as networkx sets them."""

    def __set_name__(self, owner, name: str):
        self.name = name
        self.networkx = inspect.getattr_static(nx.MultiDiGraph, name)

    def __get__(self, G, owner=None):
        if G is None:
            return self
        if self.name not in vars(G):
            node, succ, pred = vars(G)["_derived"].adjacency()
            vars(G).update(_node=node, _adj=succ, _succ=succ, _pred=pred)
        return vars(G)[self.name]

    def __set__(self, G, value) -> None:
        self.networkx.__set__(G, value)


class CachedGraph(nx.MultiDiGraph):
    """A frozen graph from the cache, whose nodes and edges are unpickled when first read,
    from the cache, or from the graph file when that part of the cache is damaged."""

    _node = ReadOnFirstUse()
    _adj = ReadOnFirstUse()
    _succ = ReadOnFirstUse()
    _pred = ReadOnFirstUse()


class CachedParts(dict):
    """A cached graph's indexes (``derived``'s store), each unpickled when a query first
    asks for it (``__missing__``); one missing or damaged is computed again from the graph."""

    def __init__(self, graph: Path, cache: CacheFile):
        super().__init__()
        self.graph, self.cache = graph, cache

    def __missing__(self, compute):
        self[compute] = found = self.cache.read(_name(compute))
        return found

    def adjacency(self) -> tuple[dict, dict, dict]:
        """The graph's nodes, successors and predecessors as networkx keeps them."""
        try:
            return self.cache.read("graph")
        except KeyError:
            G = _read_graph(self.graph)
            return G._node, G._succ, G._pred

    def read_all(self) -> None:
        for compute in payloads.INDEXES:
            with suppress(KeyError):
                self[compute]


class CacheFile:
    """A cache file after its key: a table of its parts (name -> where the part starts
    after the table, its length and its CRC-32), then the parts, each a pickle.

    Parts are read from the file mapped into memory when its key was read, so that a
    cache written anew meanwhile (a build that finished) changes nothing of what this one
    reads. A part is unpickled only when its CRC holds: a damaged part is like a missing
    one (``KeyError``), and the file goes, so that the next read of the graph writes it anew.
    """

    def __init__(self, path: Path, mapped: mmap.mmap, start: int, table: dict[str, tuple[int, int, int]]):
        self.path, self.mapped, self.start, self.table = path, mapped, start, table

    def read(self, name: str):
        offset, length, crc = self.table[name]
        try:
            data = self.mapped[self.start + offset : self.start + offset + length]
            if zlib.crc32(data) != crc:
                raise ValueError("damaged")
            with no_collection():
                return pickle.loads(data)
        except Exception:  # a part missing or damaged, which may raise almost anything
            with suppress(OSError):
                self.path.unlink()
            raise KeyError(name) from None

    @staticmethod
    def write(path: Path, key: tuple, attributes: dict, parts: dict[str, object]) -> None:
        pickled = {name: pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for name, part in parts.items()}
        table, offset = {}, 0
        for name, data in pickled.items():
            table[name] = (offset, len(data), zlib.crc32(data))
            offset += len(data)
        with atomic_write(path, "wb") as file:
            pickle.dump(key, file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump((attributes, table), file, protocol=pickle.HIGHEST_PROTOCOL)
            for data in pickled.values():
                file.write(data)


def _name(compute) -> str:
    return f"{compute.__module__}.{compute.__qualname__}"


def _read_cache(path: Path, key: tuple) -> nx.MultiDiGraph | None:
    """The cached graph, or None when the cache is missing, stale or damaged."""
    cache = cache_path(path)
    try:
        with open(cache, "rb") as file:
            if pickle.load(file) != key:
                return None
            attributes, table = pickle.load(file)
            start, mapped = file.tell(), mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        # A cache cut short, or longer than its parts, is damaged.
        if len(mapped) != start + sum(length for _, length, _ in table.values()):
            return None
    except Exception:  # a missing cache, or a damaged one, which may raise almost anything
        return None
    if not (isinstance(attributes, dict) and "graph" in table):
        return None
    G = CachedGraph()
    G.graph.update(attributes)
    for name in ADJACENCY:  # read when first used
        del vars(G)[name]
    vars(G)["_derived"] = CachedParts(path, CacheFile(cache, mapped, start, table))
    return nx.freeze(G)


def _write_cache(cache: Path, key: tuple, G: nx.MultiDiGraph) -> None:
    """Write the cache, or nothing where the folder is read-only."""
    parts = {_name(compute): part for compute, part in vars(G)["_derived"].items()}
    parts["graph"] = (G._node, G._succ, G._pred)
    with suppress(OSError):
        CacheFile.write(cache, key, G.graph, parts)
