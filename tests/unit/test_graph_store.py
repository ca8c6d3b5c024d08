"""graph.store.load_graph: the graph file read back checked and frozen, and its cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import networkx as nx
import pytest

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph import payloads, queries, store
from learngraph.graph.aliases import TopicNames
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_json


def roadmap_graph(heading: str) -> nx.MultiDiGraph:
    return build_graph(
        parse_roadmap(f"# Roadmap\n## {heading}\n[a](https://a.org)\n## B\n[b](https://b.org)\n")
    )


def test_loads_the_graph_written_frozen_and_leaves_a_cache(tmp_path, embedded_graph):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    G = store.load_graph(path)
    assert nx.utils.graphs_equal(G, embedded_graph) and G.graph == embedded_graph.graph
    assert nx.is_frozen(G)
    assert store.cache_path(path).is_file()


def test_a_second_load_reads_the_cache_not_the_json(tmp_path, embedded_graph, monkeypatch):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    store.load_graph(path)

    def unread(path):
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(store, "read_json", unread)
    assert nx.utils.graphs_equal(store.load_graph(path), embedded_graph)


def test_a_load_from_the_cache_answers_without_indexing_the_graph_again(
    tmp_path, embedded_graph, monkeypatch
):
    path = tmp_path / "graph.json"
    write_json(embedded_graph, path)
    first = store.load_graph(path)
    answers = [payloads.plan(first, "llama", passes=3), payloads.unlocks(first, "Transformer")]

    def unindexed(G):
        raise AssertionError("indexed again")

    for compute in (queries.TopicIndex, payloads.reasons_before, payloads.reasons_after, queries.TextIndex):
        monkeypatch.setattr(compute, "__init__", unindexed)
    # What the topic index computes on first use was computed before the cache was written.
    for computed in ("rank", "bit", "needs_bits", "dependants", "prerequisite_bits", "dependants_in"):
        monkeypatch.setattr(vars(queries.TopicIndex)[computed], "func", unindexed)
    G = store.load_graph(path)
    assert [payloads.plan(G, "llama", passes=3), payloads.unlocks(G, "Transformer")] == answers
    assert payloads.search(G, "attention") == payloads.search(first, "attention")


def test_a_cache_left_by_other_code_is_read_past(tmp_path, monkeypatch):
    """Its indexes may be of another shape: the graph is read and indexed again."""
    path = tmp_path / "graph.json"
    write_json(roadmap_graph("A"), path)
    store.load_graph(path)
    monkeypatch.setattr(store, "_code", lambda: ("another version",))
    read = []
    monkeypatch.setattr(store, "read_json", lambda path: read.append(path) or roadmap_graph("A"))
    assert "roadmap/a" in store.load_graph(path) and read == [path]


def test_a_changed_graph_file_is_read_again_even_of_the_same_size_and_time(tmp_path):
    path = tmp_path / "graph.json"
    write_json(roadmap_graph("A"), path)
    assert "roadmap/a" in store.load_graph(path)
    stat = path.stat()
    write_json(roadmap_graph("C"), path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    G = store.load_graph(path)
    assert "roadmap/c" in G and "roadmap/a" not in G


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80\x05]\x94."],
    ids=["empty", "text", "a key that is no key", "truncated"],
)
def test_a_damaged_cache_is_read_past_and_written_anew(tmp_path, damage):
    path = tmp_path / "graph.json"
    expected = roadmap_graph("A")
    write_json(expected, path)
    store.cache_path(path).write_bytes(damage)
    assert nx.utils.graphs_equal(store.load_graph(path), expected)
    assert store.cache_path(path).read_bytes() != damage
    assert nx.utils.graphs_equal(store.load_graph(path), expected)


def test_a_cache_of_the_wrong_kind_is_read_past(tmp_path):
    path = tmp_path / "graph.json"
    write_json(roadmap_graph("A"), path)
    store.load_graph(path)
    cache = store.cache_path(path)
    with open(cache, "rb") as file:
        key = pickle.load(file)
    cache.write_bytes(pickle.dumps(key) + pickle.dumps(["no", "graph"]))
    assert "roadmap/a" in store.load_graph(path)


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "no graph there; run `learngraph build` first"),
        ("{", "not a learngraph graph (JSONDecodeError"),
        ("[]", "not a learngraph graph (TypeError"),
        ('{"graph": {}, "nodes": [], "edges": []}', "not a learngraph graph (written by something else)"),
        (
            '{"graph": {"title": "T"}, "nodes": [{"id": "x", "type": "planet"}], "edges": []}',
            "not a learngraph graph (written by something else)",
        ),
    ],
)
def test_what_is_no_graph_is_one_line_naming_the_file(tmp_path, text, message):
    path = tmp_path / "graph.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(store.GraphFileError) as error:
        store.load_graph(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert "\n" not in str(error.value)
    assert not store.cache_path(path).exists()


def cached(tmp_path, G) -> Path:
    """graph.json of ``G`` with its cache written."""
    path = tmp_path / "graph.json"
    write_json(G, path)
    store.load_graph(path)
    return path


def parts_start(cache: Path) -> tuple[int, dict]:
    """Where the parts begin in ``cache``, and its table of them."""
    with open(cache, "rb") as file:
        pickle.load(file)
        _, table = pickle.load(file)
        return file.tell(), table


ANSWERS = {
    "prereqs": (
        lambda G: payloads.prerequisites(G, "LoRA"),
        {TopicNames, queries.TopicIndex, payloads.reasons_before},
    ),
    "plan": (
        lambda G: payloads.plan(G, "llama", passes=3),
        {TopicNames, queries.TopicIndex, queries.Resources},
    ),
    "unlocks": (
        lambda G: payloads.unlocks(G, "Transformer"),
        {TopicNames, queries.TopicIndex, payloads.reasons_after},
    ),
    "next": (payloads.next_topics, {TopicNames, queries.TopicIndex}),
    "search": (lambda G: payloads.search(G, "attention"), {queries.TextIndex}),
    "path": (
        lambda G: payloads.path(G, "Transformer", "llama"),
        {TopicNames, queries.prerequisite_digraph},
    ),
}


@pytest.mark.parametrize("query", list(ANSWERS))
def test_a_query_from_the_cache_reads_only_what_its_answer_needs(tmp_path, embedded_graph, query):
    """Not the graph's nodes and edges, nor the other indexes: the same answer for less."""
    answer, needed = ANSWERS[query]
    G = store.load_graph(cached(tmp_path, embedded_graph))
    assert answer(G) == answer(embedded_graph)
    assert set(vars(G)["_derived"]) == needed
    assert not set(store.ADJACENCY) & set(vars(G))
    # Read on first use, the graph is the one written.
    assert nx.utils.graphs_equal(G, embedded_graph) and nx.is_frozen(G)


def test_whole_reads_every_part_at_once(tmp_path, embedded_graph):
    G = store.load_graph(cached(tmp_path, embedded_graph), whole=True)
    assert set(vars(G)["_derived"]) == set(payloads.INDEXES)
    assert set(store.ADJACENCY) <= set(vars(G))


@pytest.mark.parametrize("part", ["graph", "learngraph.graph.payloads.reasons_before"])
def test_a_damaged_part_is_read_past_and_the_cache_written_anew(tmp_path, embedded_graph, part):
    """An index is computed again, the nodes and edges read from graph.json; the cache goes,
    and the next load writes it whole again."""
    path = cached(tmp_path, embedded_graph)
    cache = store.cache_path(path)
    sound = cache.read_bytes()
    start, table = parts_start(cache)
    offset, length, _ = table[part]
    middle = start + offset + length // 2
    cache.write_bytes(
        sound[:middle] + bytes(b ^ 0x55 for b in sound[middle : middle + 8]) + sound[middle + 8 :]
    )
    G = store.load_graph(path)
    assert payloads.prerequisites(G, "LoRA") == payloads.prerequisites(embedded_graph, "LoRA")
    assert nx.utils.graphs_equal(G, embedded_graph)
    assert not cache.exists()
    store.load_graph(path)
    assert cache.read_bytes() == sound


def test_a_graph_read_from_its_cache_answers_from_it_after_a_new_build_replaces_both(tmp_path):
    """A query of the graph read before a build wrote graph.json and its cache anew: the
    parts it reads later are those of the cache it opened, and the new cache stays."""
    path = cached(tmp_path, roadmap_graph("A"))
    G = store.load_graph(path)
    write_json(roadmap_graph("C"), path)
    assert "roadmap/c" in store.load_graph(path)
    new_cache = store.cache_path(path).read_bytes()
    assert [row["topic"] for row in payloads.topics(G)] == ["roadmap", "roadmap/a", "roadmap/b"]
    assert payloads.prerequisites(G, "B")["prerequisites"][0]["topic"] == "roadmap/a"
    assert store.cache_path(path).read_bytes() == new_cache
