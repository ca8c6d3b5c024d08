"""Topic names: aliases from headings and the built-in table, and resolving what a user
types to one topic."""

from __future__ import annotations

import networkx as nx
import pytest

from learngraph.graph.aliases import AliasIndex, resolve_topic, topic_aliases


def test_aliases_from_mixed_headings_and_the_builtin_table():
    assert topic_aliases("GPT和大模型RLHF训练")[:2] == ["GPT", "RLHF"]
    assert "NN" in topic_aliases("Neural Network")
    assert topic_aliases("Tokenizers", [("Tokenizer", "分词")]) == ["Tokenizer", "分词"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("decoder-only transformers", ["t"]),
        ("ChatGPT is popular", []),
        ("GPT-3 is large", ["g"]),
        ("the nn module", []),
        ("NN and RNNs", ["n"]),
        ("训练神经网络数据传输", ["n"]),
    ],
)
def test_alias_index(text, found):
    index = AliasIndex({"t": ["Transformer"], "g": ["GPT"], "n": ["NN", "神经网络"]})
    assert [topic for topic, _, _ in index.find(text)] == found


def topics_graph(*names):
    G = nx.MultiDiGraph()
    for i, name in enumerate(names):
        G.add_node(
            f"r/{name.lower()}", type="topic", name=name, index=i, aliases=["RLHF"] if name == "GPT" else []
        )
    return G


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("r/llama", "r/llama"),
        ("llama", "r/llama"),
        ("LLaMA", "r/llama"),
        ("lla", "r/llama"),
        ("rlhf", "r/gpt"),
        ("LLM", "r/llm"),
    ],
)
def test_resolve_topic(text, topic):
    assert resolve_topic(topics_graph("LLaMA", "LLM", "GPT"), text) == topic


def test_resolve_topic_ambiguous_or_unknown_lists_close_matches():
    G = topics_graph("LLaMA", "LLM", "GPT")
    with pytest.raises(nx.NodeNotFound, match=r"ambiguous: LLaMA \(r/llama\), LLM \(r/llm\)"):
        resolve_topic(G, "ll")
    with pytest.raises(nx.NodeNotFound, match="did you mean LLaMA"):
        resolve_topic(G, "Lama")
