"""Prerequisite edges: explicit, order and mention bases; cycles; aliases."""

from __future__ import annotations

import networkx as nx
import pytest

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph.aliases import AliasIndex, read_name_lists, resolve_topic, topic_aliases
from learngraph.graph.build import build_graph
from learngraph.graph.prerequisites import prerequisite_graph, read_declarations


def prerequisite(G, u, v):
    return G.edges[u, v, "prerequisite"]


def test_order_follows_siblings_and_first_subsections_in_a_roadmap_section():
    G = build_graph(parse_roadmap("# Roadmap\n## A\n## B\n### B1\n### B2\n## C\n"))
    edges = {(u, v) for u, v, k in G.edges(keys=True) if k == "prerequisite"}
    assert edges == {("roadmap/a", "roadmap/b"), ("roadmap/b", "roadmap/c"),
                     ("roadmap/b", "roadmap/b/b1"), ("roadmap/b/b1", "roadmap/b/b2")}
    assert prerequisite(G, "roadmap/a", "roadmap/b")["basis"] == "order"
    assert prerequisite(G, "roadmap/a", "roadmap/b")["confidence"] == 0.3


def test_a_list_that_is_no_roadmap_has_no_order():
    G = build_graph(parse_roadmap("# Awesome NLP\n## A\n## B\n"))
    assert not any(k == "prerequisite" for _, _, k in G.edges(keys=True))


@pytest.mark.parametrize("declaration", ["Prerequisites: A, C", "<!-- requires: A, C -->",
                                         "前置知识：A、C"])
def test_explicit_prerequisites_under_a_heading(declaration):
    G = build_graph(parse_roadmap(f"# Notes\n## A\n## B\n{declaration}\n## C\n"))
    edge = prerequisite(G, "notes/a", "notes/b")
    assert (edge["basis"], edge["confidence"]) == ("explicit", 1.0)
    assert "requires A" in edge["evidence"][0] and "line 3" in edge["evidence"][0]
    assert G.has_edge("notes/c", "notes/b", "prerequisite")


def test_a_declared_name_that_is_no_topic_is_reported():
    G = build_graph(parse_roadmap("# Notes\n## A\nPrerequisites: Quantum\n"))
    assert len(G.graph["unresolved"]) == 1
    assert "no topic 'Quantum'" in G.graph["unresolved"][0]


def test_sidecar_declarations(tmp_path):
    sidecar = tmp_path / "prereqs.txt"
    sidecar.write_text("# mine\n\nB: a\n", encoding="utf-8")
    declarations = read_declarations(sidecar)
    G = build_graph(parse_roadmap("# Notes\n## A\n## B\n"), declarations=declarations)
    assert prerequisite(G, "notes/a", "notes/b")["evidence"] == [f"explicit: {sidecar} line 3: requires a"]


def test_sidecar_rejects_a_line_without_colon(tmp_path):
    sidecar = tmp_path / "prereqs.txt"
    sidecar.write_text("B requires A\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_name_lists(sidecar)


def test_mention_of_an_earlier_topic_outside_its_branch():
    roadmap = parse_roadmap("# Notes\n## Transformer\n[t](https://a.org/t)\n## LLaMA\n[p](https://arxiv.org/abs/2302.13971)\n")
    records = [{"id": "arxiv:2302.13971", "url": "https://arxiv.org/abs/2302.13971", "kind": "paper",
                "status": "ok", "abstract": "We train decoder-only Transformers. They are fast."}]
    edge = prerequisite(build_graph(roadmap, records), "notes/transformer", "notes/llama")
    assert (edge["basis"], edge["confidence"]) == ("mention", 0.5)
    assert edge["evidence"] == ['mention: arxiv:2302.13971 abstract: "We train decoder-only Transformers."']


def test_no_mention_of_a_later_topic_or_of_a_topic_with_nothing_to_study():
    roadmap = parse_roadmap("# Notes\n## Empty\n## A\n[Builds on Empty, see B](https://a.org)\n## B\n[b](https://b.org)\n")
    G = build_graph(roadmap)
    assert not any(k == "prerequisite" for _, _, k in G.edges(keys=True))


CYCLE = """# Roadmap
## A
[a](https://a.org)

Prerequisites: C
## B
[b](https://b.org)
## C
[c](https://c.org)
"""


def test_an_explicit_cycle_is_reported_and_broken_at_its_weakest_edge():
    G = build_graph(parse_roadmap(CYCLE))
    assert nx.is_directed_acyclic_graph(prerequisite_graph(G))
    [report] = G.graph["cycles"]
    assert {(s["from"], s["to"], s["basis"]) for s in report["cycle"]} == {
        ("roadmap/c", "roadmap/a", "explicit"), ("roadmap/a", "roadmap/b", "order"),
        ("roadmap/b", "roadmap/c", "order")}
    assert all(s["evidence"] for s in report["cycle"])
    removed = (report["removed"]["from"], report["removed"]["to"])
    assert removed in {("roadmap/a", "roadmap/b"), ("roadmap/b", "roadmap/c")}
    assert not G.has_edge(*removed, "prerequisite")
    assert G.has_edge("roadmap/c", "roadmap/a", "prerequisite")  # explicit always wins


def test_two_explicit_cycles_both_broken():
    G = build_graph(parse_roadmap("# Notes\n## A\nPrerequisites: B\n## B\nPrerequisites: A, C\n## C\nPrerequisites: B\n"))
    assert len(G.graph["cycles"]) == 2
    assert nx.is_directed_acyclic_graph(prerequisite_graph(G))


def test_aliases_from_mixed_headings_and_the_builtin_table():
    assert topic_aliases("GPT和大模型RLHF训练")[:2] == ["GPT", "RLHF"]
    assert "NN" in topic_aliases("Neural Network")
    assert topic_aliases("Tokenizers", [("Tokenizer", "分词")]) == ["Tokenizer", "分词"]


@pytest.mark.parametrize(("text", "found"), [
    ("decoder-only transformers", ["t"]),
    ("ChatGPT is popular", []),
    ("GPT-3 is large", ["g"]),
    ("the nn module", []),
    ("NN and RNNs", ["n"]),
    ("训练神经网络数据传输", ["n"]),
])
def test_alias_index(text, found):
    index = AliasIndex({"t": ["Transformer"], "g": ["GPT"], "n": ["NN", "神经网络"]})
    assert [topic for topic, _, _ in index.find(text)] == found


def topics_graph(*names):
    G = nx.MultiDiGraph()
    for i, name in enumerate(names):
        G.add_node(f"r/{name.lower()}", type="topic", name=name, index=i, aliases=["RLHF"] if name == "GPT" else [])
    return G


@pytest.mark.parametrize(("text", "topic"), [
    ("r/llama", "r/llama"), ("llama", "r/llama"), ("LLaMA", "r/llama"), ("lla", "r/llama"),
    ("rlhf", "r/gpt"), ("LLM", "r/llm"),
])
def test_resolve_topic(text, topic):
    assert resolve_topic(topics_graph("LLaMA", "LLM", "GPT"), text) == topic


def test_resolve_topic_ambiguous_or_unknown_lists_close_matches():
    G = topics_graph("LLaMA", "LLM", "GPT")
    with pytest.raises(nx.NodeNotFound, match=r"ambiguous: LLaMA \(r/llama\), LLM \(r/llm\)"):
        resolve_topic(G, "ll")
    with pytest.raises(nx.NodeNotFound, match="did you mean LLaMA"):
        resolve_topic(G, "Lama")
