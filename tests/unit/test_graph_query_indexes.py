"""The indexes queries keep on a loaded graph give the answers of the plain definitions,
computed here with networkx on the whole graph: on the embedded roadmap, and on random
graphs whose prerequisites run against the roadmap's order, resources sit under several
topics and names share prefixes. Each graph is asked frozen (indexes kept, asked twice)
and not (indexes read afresh)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learngraph.graph import payloads, queries
from learngraph.graph.aliases import resolve_topic

WORDS = ("Attention", "attention map", "Transformer", "RNN", "Tr", "神经网络", "GPT")


def topics_of(G):
    return [n for n, d in G.nodes(data=True) if d["type"] == "topic"]


def prerequisite_graph(G) -> nx.DiGraph:
    P = nx.DiGraph()
    P.add_nodes_from(topics_of(G))
    P.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "prerequisite")
    return P


def learning_order(G, topics) -> list[str]:
    """Each topic after its prerequisites, otherwise in roadmap order."""
    return list(
        nx.lexicographical_topological_sort(
            prerequisite_graph(G).subgraph(topics), key=lambda t: G.nodes[t]["index"]
        )
    )


def resources_of(G, topic) -> list[str]:
    listed = [
        (d["position"], u)
        for u, _, k, d in G.in_edges(topic, keys=True, data=True)
        if k == "covers" and G.nodes[u]["type"] == "resource"
    ]
    return [u for _, u in sorted(listed)]


def plan(G, topic, skip_done) -> dict:
    """The plan's steps, with resources done left out when ``skip_done``, and its sums."""
    steps, done = [], []
    for step in plan_steps(G, topic):
        done += [r for r in step["resources"] if skip_done and G.nodes[r]["done"]]
        steps.append({**step, "resources": [r for r in step["resources"] if r not in done]})
    planned = [r for step in steps for r in step["resources"]]
    unmeasured = [r for r in planned if not {"duration", "reading_time"} & set(G.nodes[r])]
    estimated = {r: e for r in unmeasured if (e := queries.reading_estimate(G.nodes[r]))}
    return {
        "steps": steps,
        "resources": len(planned),
        "video_time": sum(G.nodes[r].get("duration", 0) for r in planned),
        "reading_time": sum(G.nodes[r].get("reading_time", 0) for r in planned),
        "papers": sum(G.nodes[r]["kind"] == "paper" for r in planned),
        "estimated": estimated,
        "unknown_length": [r for r in unmeasured if r not in estimated],
        "skipped_done": done,
    }


def plan_steps(G, topic) -> list[dict]:
    """The topic, its subsections and all they need, in learning order, each with the
    resources no earlier step lists."""
    tree = nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k == "subtopic_of")
    subtree = {topic} | (nx.ancestors(tree, topic) if topic in tree else set())
    P = prerequisite_graph(G)
    needed = subtree.union(*(nx.ancestors(P, t) for t in subtree))
    steps, seen = [], set()
    for step in learning_order(G, needed):
        resources = [r for r in resources_of(G, step) if r not in seen]
        seen.update(resources)
        steps.append({"topic": step, "resources": resources})
    return steps


def next_topics(G) -> list[str]:
    P = prerequisite_graph(G)

    def finished(t):
        return all(G.nodes[r]["done"] for r in resources_of(G, t))

    return sorted(
        (
            t
            for t in P
            if resources_of(G, t) and not finished(t) and all(finished(p) for p in nx.ancestors(P, t))
        ),
        key=lambda t: G.nodes[t]["index"],
    )


def search(G, text) -> list[tuple[str, str]]:
    hits = []
    for kind in ("topic", "resource"):
        for node, data in G.nodes(data=True):
            if data["type"] != kind:
                continue
            for field in queries.SEARCH_FIELDS:
                value = data.get(field)
                values = value if isinstance(value, list) else [value]
                if any(isinstance(v, str) and text.casefold() in v.casefold() for v in values):
                    hits.append((node, field))
                    break
    return hits


def resolved(G, text) -> str | None:
    """The one topic ``text`` names by id, name, alias, then prefix; None when none or many."""
    wanted = text.strip().casefold()
    topics = topics_of(G)
    for matches in (
        lambda t: t.casefold() == wanted,
        lambda t: G.nodes[t]["name"].casefold() == wanted,
        lambda t: any(a.casefold() == wanted for a in G.nodes[t].get("aliases", ())),
        lambda t: t.casefold().startswith(wanted) or G.nodes[t]["name"].casefold().startswith(wanted),
    ):
        found = [t for t in topics if matches(t)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def assert_queries_agree(G) -> None:
    P = prerequisite_graph(G)
    for topic in topics_of(G):
        before = queries.prerequisites(G, topic)
        assert before == learning_order(G, nx.ancestors(P, topic))
        assert queries.unlocks(G, topic) == learning_order(G, nx.descendants(P, topic))
        assert queries.topic_resources(G, topic) == resources_of(G, topic)
        for skip_done in (False, True):
            expected = plan(G, topic, skip_done)
            assert {
                k: v for k, v in queries.plan(G, topic, skip_done=skip_done).items() if k in expected
            } == expected
        edges = {(u, v) for u, v, _ in queries.prerequisite_edges(G, [*before, topic])}
        assert edges == set(P.subgraph([*before, topic]).edges)
        for source in before:
            chain = queries.prerequisite_path(G, source, topic)
            assert chain[0] == source and chain[-1] == topic
            assert all(P.has_edge(u, v) for u, v in zip(chain, chain[1:]))
            assert len(chain) - 1 == nx.shortest_path_length(P, source, topic)
        rows = payloads.prerequisites(G, topic)["prerequisites"]
        assert [(r["topic"], v["before"]) for r in rows for v in r["reasons"]] == [
            (u, v) for u in before for v in P.successors(u) if v in {*before, topic}
        ]
        after = queries.unlocks(G, topic)
        rows = payloads.unlocks(G, topic)["unlocks"]
        assert [(r["topic"], a["after"]) for r in rows for a in r["after"]] == [
            (v, u) for v in after for u in [topic, *after] if P.has_edge(u, v)
        ]
    assert queries.next_topics(G) == next_topics(G)
    for text in (*WORDS, "", "zz-nowhere"):
        assert queries.search(G, text) == search(G, text)
    names = [G.nodes[t]["name"] for t in topics_of(G)]
    for text in (*names, *topics_of(G), *(n[:2] for n in names), *(n.upper() for n in names)):
        expected = resolved(G, text)
        if expected:
            assert resolve_topic(G, text) == expected
        else:
            with pytest.raises(nx.NodeNotFound):
                resolve_topic(G, text)


def assert_agree_frozen_and_not(G) -> None:
    assert_queries_agree(G)
    frozen = nx.freeze(G.copy())
    assert_queries_agree(frozen)
    assert_queries_agree(frozen)


def test_embedded_roadmap(embedded_graph):
    assert_agree_frozen_and_not(embedded_graph)


@st.composite
def graphs(draw) -> nx.MultiDiGraph:
    """Topics under a random heading tree; prerequisites along a random order, so often
    against the roadmap's; resources under one topic or two, some done, some with a
    duration; names and titles drawn from words that share prefixes."""
    n = draw(st.integers(1, 12))
    G = nx.MultiDiGraph(title="Random")
    ids = [f"t{i}" for i in range(n)]
    for i, topic in enumerate(ids):
        name = draw(st.sampled_from(WORDS)) + f" {i}"
        G.add_node(topic, type="topic", name=name, index=i, aliases=draw(st.lists(st.sampled_from(WORDS))))
        if i:
            G.add_edge(topic, ids[draw(st.integers(0, i - 1))], "subtopic_of", type="subtopic_of")
    order = draw(st.permutations(ids))
    for u, v in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n)):
        if u < v:
            G.add_edge(order[u], order[v], "prerequisite", type="prerequisite", basis="mention")
    for r in range(draw(st.integers(0, 3 * n))):
        resource = f"r{r}"
        data = {
            "type": "resource",
            "kind": draw(st.sampled_from(("video", "paper", "page"))),
            "done": draw(st.booleans()),
            "title": draw(st.sampled_from(WORDS)),
        }
        data.update(
            draw(
                st.sampled_from(
                    [{}, {"duration": 600}, {"duration": 1009}, {"reading_time": 300}, {"page_count": 3}]
                )
            )
        )
        G.add_node(resource, **data)
        for topic in draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True)):
            position = sum(1 for _, _, k in G.in_edges(topic, keys=True) if k == "covers")
            G.add_edge(resource, topic, "covers", type="covers", position=position)
    return G


@given(graphs())
def test_random_graphs(G):
    assert_agree_frozen_and_not(G)


def test_unlocks_orders_its_own_topics_not_the_whole_roadmaps_order():
    # In the order of all topics, b (2) comes before a (1), which waits for x (3); among
    # what t unlocks nothing keeps a waiting, so a comes first.
    G = nx.MultiDiGraph(title="T")
    for i, topic in enumerate("tabx"):
        G.add_node(topic, type="topic", name=topic.upper(), index=i)
    G.add_edges_from([("t", "a", "prerequisite"), ("t", "b", "prerequisite"), ("x", "a", "prerequisite")])
    assert queries.unlocks(G, "t") == learning_order(G, {"a", "b"}) == ["a", "b"]
    assert_agree_frozen_and_not(G)
