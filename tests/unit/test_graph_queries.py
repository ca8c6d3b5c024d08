"""Queries on the embedded roadmap with its saved crawl, and on tiny literal graphs."""

from __future__ import annotations

import doctest

import networkx as nx
import pytest

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph import aliases, build, queries
from learngraph.graph.build import build_graph

LLAMA, TRANSFORMER, GPT = "roadmap/llama", "roadmap/transformer", "roadmap/gpt和大模型rlhf训练"
# Videos before and under LLaMA in the saved crawl, in seconds; the bilibili talk is done.
VIDEOS = {
    "youtube:BR9h47Jtqyw": 1009,
    "youtube:UNmqTiOnRfg": 1011,
    "youtube:nzqlFIcCSWQ": 5283,
    "bilibili:BV1ts4y1T7UH": 2563,
    "youtube:t70Bl3w7bxY": 3810,
    "youtube:zfIGAwD1jOQ": 3627,
    "youtube:p9IxoSkvZ-M": 3924,
}
READING = {
    "zhihu:article:403433120": 1380,
    "https://www.deepspeed.ai/": 288,
    "https://www.deepspeed.ai/tutorials/azure/": 160,
    "https://huggingface.co/blog/zh/stackllama": 816,
}


def test_prereqs_llama_puts_transformer_first_with_its_evidence(embedded_graph):
    G = embedded_graph
    order = queries.prerequisites(G, LLAMA)
    assert TRANSFORMER in order and LLAMA not in order
    assert order.index("roadmap/neural-network") < order.index(TRANSFORMER) < order.index(GPT)
    [(_, _, why)] = [
        (u, v, d)
        for u, v, d in queries.prerequisite_edges(G, [*order, LLAMA])
        if (u, v) == (TRANSFORMER, LLAMA)
    ]
    # The LLaMA paper cites the paper the Transformer video's description links to, and
    # its abstract names transformers: the citation is the stronger basis.
    assert why["basis"] == "citation"
    assert why["evidence"][0] == (
        "citation: LLaMA: Open and Efficient Foundation Language Models "
        "(arxiv:2302.13971) cites Attention Is All You Need (arxiv:1706.03762)"
    )
    assert any("arxiv:2302.13971 abstract" in e and "decoder-only transformers" in e for e in why["evidence"])


def test_prerequisites_come_in_a_valid_learning_order(embedded_graph):
    G = embedded_graph
    order = queries.prerequisites(G, LLAMA) + [LLAMA]
    for u, v, _ in queries.prerequisite_edges(G, order):
        assert order.index(u) < order.index(v)


def test_plan_sums_durations_exactly(embedded_graph):
    result = queries.plan(embedded_graph, LLAMA)
    assert result["video_time"] == sum(VIDEOS.values())
    assert result["reading_time"] == sum(READING.values())
    assert result["study_time"] == sum(VIDEOS.values()) + sum(READING.values())
    assert result["papers"] == 1
    planned = [r for step in result["steps"] for r in step["resources"]]
    assert set(VIDEOS) | set(READING) <= set(planned)
    assert set(result["unknown_length"]) == set(planned) - set(VIDEOS) - set(READING)
    assert "arxiv:2302.13971" in result["unknown_length"]
    assert [s["topic"] for s in result["steps"]][-1] == LLAMA


def test_plan_skip_done_leaves_out_the_done_bilibili_video(embedded_graph):
    result = queries.plan(embedded_graph, LLAMA, skip_done=True)
    planned = {r for step in result["steps"] for r in step["resources"]}
    assert "bilibili:BV1ts4y1T7UH" not in planned
    assert result["skipped_done"] == ["bilibili:BV1ts4y1T7UH"]
    assert result["video_time"] == sum(VIDEOS.values()) - VIDEOS["bilibili:BV1ts4y1T7UH"]


def test_plan_three_passes_at_the_roadmaps_speeds(embedded_graph):
    one = queries.plan(embedded_graph, LLAMA)
    three = queries.plan(embedded_graph, LLAMA, passes=3)
    assert three["speeds"] == [1.0, 1.25, 1.5]
    assert three["watch_time"] == pytest.approx(one["video_time"] * (1 + 1 / 1.25 + 1 / 1.5))
    assert three["study_time"] == pytest.approx(three["watch_time"] + one["reading_time"])
    fast = queries.plan(embedded_graph, LLAMA, speed=2)
    assert fast["watch_time"] == one["video_time"] / 2


def test_plan_rejects_more_passes_than_the_method_has(embedded_graph):
    with pytest.raises(ValueError, match="passes"):
        queries.plan(embedded_graph, LLAMA, passes=4)


def test_plan_of_a_section_includes_its_subsections():
    G = build_graph(parse_roadmap("# Roadmap\n## A\n[a](https://a.org)\n## B\n### B1\n[b](https://b.org)\n"))
    steps = [s["topic"] for s in queries.plan(G, "roadmap/b")["steps"]]
    assert steps == ["roadmap/a", "roadmap/b", "roadmap/b/b1"]


def test_next_and_unlocks_agree_with_the_graph(embedded_graph):
    G = embedded_graph
    P = nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k == "prerequisite")
    for topic in queries.next_topics(G):
        assert not queries.is_finished(G, topic)
        assert all(queries.is_finished(G, p) for p in queries.prerequisites(G, topic))
    for topic in (TRANSFORMER, GPT, LLAMA):
        unlocked = queries.unlocks(G, topic)
        assert set(unlocked) == nx.descendants(P, topic)
        assert all(topic in queries.prerequisites(G, u) for u in unlocked)
    assert LLAMA in queries.unlocks(G, TRANSFORMER)


def test_next_moves_on_when_a_topic_is_done():
    text = "# Roadmap\n## A\n{a}[a](https://a.org)\n## B\n[b](https://b.org)\n## C\n[c](https://c.org)\n"
    assert queries.next_topics(build_graph(parse_roadmap(text.format(a="")))) == ["roadmap/a"]
    assert queries.next_topics(build_graph(parse_roadmap(text.format(a="DONE")))) == ["roadmap/b"]


def test_embedded_next_are_the_topics_with_something_to_study_and_nothing_before(embedded_graph):
    # The study tips lead nowhere, so Neural Network does not wait for them. AIGC comes
    # after LoRA, which has nothing to study: nothing says AIGC needs what came before.
    assert queries.next_topics(embedded_graph) == [
        "roadmap/suggetions",
        "roadmap/neural-network",
        "roadmap/aigc",
        "roadmap/aigc/gan",
        "roadmap/aigc/dall-e",
    ]


def test_path_is_the_shortest_chain(embedded_graph):
    assert queries.prerequisite_path(embedded_graph, TRANSFORMER, LLAMA) == [TRANSFORMER, LLAMA]
    with pytest.raises(nx.NetworkXNoPath):
        queries.prerequisite_path(embedded_graph, LLAMA, TRANSFORMER)


def test_a_missing_topic_raises_node_not_found(embedded_graph):
    with pytest.raises(nx.NodeNotFound):
        queries.prerequisites(embedded_graph, "roadmap/quantum")
    with pytest.raises(nx.NodeNotFound):
        queries.plan(embedded_graph, "arxiv:2302.13971")


def test_search_finds_topics_then_resources(embedded_graph):
    hits = queries.search(embedded_graph, "transformer")
    assert hits[0] == (TRANSFORMER, "name")
    assert ("arxiv:2302.13971", "abstract") in hits
    types = [embedded_graph.nodes[n]["type"] for n, _ in hits]
    assert types == sorted(types, key=["topic", "resource"].index)


def test_gaps(embedded_graph):
    found = queries.gaps(embedded_graph)
    assert {"roadmap/lora", "roadmap/aigc/diffusion", "roadmap/prompt"} <= set(
        found["topics_without_resources"]
    )
    assert "roadmap/aigc" not in found["topics_without_resources"]
    assert found["dead_links"] == ["https://ai.facebook.com/blog/large-language-model-llama-meta-ai/"]
    assert found["failed_metadata"] == ["https://datawhalechina.github.io/learn-nlp-with-transformers/"]
    assert found["not_crawled"] == ["https://chameleon-llm.github.io/"]


@pytest.mark.parametrize("module", [aliases, build, queries])
def test_docstring_examples_run(module):
    assert doctest.testmod(module, raise_on_error=True).attempted > 0


def test_plan_estimates_a_paper_of_known_length_apart_and_lists_one_of_unknown_length():
    G = build_graph(
        parse_roadmap(
            "# Notes\n## A\n[a](https://youtu.be/aaaaaaaaaaa)\n"
            "[long](https://arxiv.org/abs/2301.00001)\n[short](https://arxiv.org/abs/2301.00002)\n"
        ),
        [
            {"id": "youtube:aaaaaaaaaaa", "status": "ok", "duration": 600},
            {"id": "arxiv:2301.00001", "status": "ok", "comment": "Accepted at ICLR; 12 pages, 4 figures"},
            {"id": "arxiv:2301.00002", "status": "ok", "comment": "Workshop version"},
        ],
    )
    result = queries.plan(G, "notes/a")
    assert result["estimated"] == {
        "arxiv:2301.00001": {"seconds": 12 * 360, "basis": "arXiv comment: 12 pages"}
    }
    assert result["estimated_reading_time"] == 4320
    assert result["study_time"] == 600  # measured lengths only
    assert result["unknown_length"] == ["arxiv:2301.00002"]


def test_plan_estimates_a_pdf_from_its_page_count_and_prefers_the_arxiv_comment():
    G = build_graph(
        parse_roadmap(
            "# Notes\n## A\n[manual](https://example.org/manual.pdf)\n"
            "[paper](https://arxiv.org/abs/2301.00001)\n"
        ),
        [
            {"id": "https://example.org/manual.pdf", "status": "ok", "kind": "document", "page_count": 5},
            {"id": "arxiv:2301.00001", "status": "ok", "comment": "9 pages", "page_count": 14},
        ],
    )
    result = queries.plan(G, "notes/a")
    assert result["estimated"] == {
        "https://example.org/manual.pdf": {"seconds": 5 * 360, "basis": "PDF: 5 pages"},
        "arxiv:2301.00001": {"seconds": 9 * 360, "basis": "arXiv comment: 9 pages"},
    }
    assert result["study_time"] == 0 and result["unknown_length"] == []
