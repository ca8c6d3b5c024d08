"""build_graph on tiny literal roadmaps and on the embedded roadmap with its saved crawl."""

from __future__ import annotations

from collections import Counter

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph.build import build_and_write, build_graph

TINY = """# Roadmap
## Basics
[Intro video](https://youtu.be/aaaaaaaaaaa)
## Models
[The paper](https://arxiv.org/abs/2302.13971)
[A repo](https://github.com/org/repo)
- What is a Basics question?
"""


def test_nodes_and_edges_are_typed():
    G = build_graph(parse_roadmap(TINY))
    types = Counter(d["type"] for _, d in G.nodes(data=True))
    assert types == {"topic": 3, "resource": 3, "item": 1}
    assert all(k == d["type"] for _, _, k, d in G.edges(keys=True, data=True))
    assert G.has_edge("roadmap/basics", "roadmap", "subtopic_of")
    assert G.edges["arxiv:2302.13971", "roadmap/models", "covers"]["position"] == 0
    assert G.edges["github:org/repo", "roadmap/models", "covers"]["position"] == 1


def test_a_resource_without_record_is_pending_and_titled_by_its_link_text():
    G = build_graph(parse_roadmap(TINY))
    node = G.nodes["youtube:aaaaaaaaaaa"]
    assert (node["status"], node["title"], node["kind"], node["done"]) == (
        "pending",
        "Intro video",
        "video",
        False,
    )


def test_records_add_metadata_people_and_links():
    records = [
        {
            "id": "arxiv:2302.13971",
            "url": "https://arxiv.org/abs/2302.13971",
            "kind": "paper",
            "status": "ok",
            "title": "LLaMA",
            "authors": ["Hugo Touvron", "Thibaut Lavril"],
            "topics": ["elsewhere"],
        },
        {
            "id": "github:org/repo",
            "url": "https://github.com/org/repo",
            "kind": "repo",
            "status": "ok",
            "full_name": "org/repo",
            "stars": 12,
            "description": "Code for arXiv:2302.13971v2.",
        },
        {
            "id": "youtube:aaaaaaaaaaa",
            "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa",
            "kind": "video",
            "status": "ok",
            "duration": 600,
            "channel": "Hugo Touvron",
            "done": True,
        },
    ]
    G = build_graph(parse_roadmap(TINY), records)
    assert G.nodes["arxiv:2302.13971"]["title"] == "LLaMA"
    assert "topics" not in G.nodes["arxiv:2302.13971"]
    assert G.nodes["github:org/repo"]["stars"] == 12
    # The roadmap, edited after the crawl, says the video is not done.
    assert G.nodes["youtube:aaaaaaaaaaa"]["done"] is False
    assert G.edges["arxiv:2302.13971", "person:Hugo Touvron", "authored_by"]["role"] == "author"
    assert G.edges["youtube:aaaaaaaaaaa", "person:Hugo Touvron", "authored_by"]["role"] == "channel"
    assert G.edges["github:org/repo", "person:org", "authored_by"]["role"] == "owner"
    assert G.has_edge("github:org/repo", "arxiv:2302.13971", "links_to")


def test_items_are_about_the_topics_they_name():
    G = build_graph(parse_roadmap(TINY))
    assert G.has_edge("roadmap/models#1", "roadmap/models", "covers")
    assert G.has_edge("roadmap/models#1", "roadmap/basics", "about")


def test_no_attribute_is_none_or_empty():
    G = build_graph(parse_roadmap(TINY))
    values = [v for _, d in G.nodes(data=True) for v in d.values()]
    assert all(v is not None and v != [] and v != "" for v in values)


def test_embedded_roadmap_with_saved_crawl(embedded_graph, fixture_records):
    G = embedded_graph
    resources = [n for n, d in G.nodes(data=True) if d["type"] == "resource"]
    assert len(resources) == len(fixture_records) + 1  # Chameleon was not crawled
    assert G.nodes["https://chameleon-llm.github.io/"]["status"] == "pending"
    assert G.nodes["bilibili:BV1ts4y1T7UH"]["done"] is True
    assert G.nodes["arxiv:2302.13971"]["authors"][0] == "Hugo Touvron"
    assert G.has_edge("arxiv:2303.04048", "arxiv:2303.13648", "links_to")
    assert G.has_edge("面经/llm#8", "roadmap/transformer", "about")  # 如何突破transformer token限制
    assert G.has_edge("面经/神经网络基础#4", "roadmap/neural-network", "about")  # 神经网络 is an alias


def test_build_and_write_writes_json_and_graphml(tmp_path):
    G, paths = build_and_write(parse_roadmap(TINY), [], tmp_path / "out")
    assert [p.name for p in paths] == ["graph.json", "graph.graphml"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list((tmp_path / "out").glob(".*.tmp"))
