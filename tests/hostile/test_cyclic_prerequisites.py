"""A graph.json whose prerequisites form a cycle, as `learngraph build` never writes but a
hand edit may: each query says so in one line, without a traceback."""

from __future__ import annotations

import networkx as nx
import pytest

from learngraph.graph.formats import write_json
from learngraph_process import run_learngraph


@pytest.fixture(scope="module")
def cyclic(tmp_path_factory):
    """Topics A and B each needing the other, and C needing B."""
    G = nx.MultiDiGraph(title="Cycle", unresolved=[], cycles=[])
    for index, topic in enumerate("abc"):
        G.add_node(topic, type="topic", index=index, name=topic.upper(), level=2)
    for u, v in [("a", "b"), ("b", "a"), ("b", "c")]:
        G.add_edge(u, v, "prerequisite", type="prerequisite", basis="order")
    path = tmp_path_factory.mktemp("cyclic") / "graph.json"
    write_json(G, path)
    return path


@pytest.mark.parametrize(
    "query", [["prereqs", "C"], ["unlocks", "A"], ["plan", "C"], ["next"], ["path", "A", "C"]]
)
def test_a_query_on_cyclic_prerequisites_is_one_line(cyclic, query):
    result = run_learngraph(*query, "--graph", cyclic, "--json", cwd=cyclic.parent)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"learngraph: error: {cyclic}: not a learngraph graph (its prerequisites form a cycle, which 'a' waits on)"
    )
    assert result.stdout == ""
