"""Prerequisite edges: explicit, citation, mention, parent and order bases; cycles; aliases."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.graph import queries
from learngraph.graph.aliases import read_name_lists
from learngraph.graph.build import build_graph
from learngraph.graph.prerequisites import prerequisite_graph, read_declarations

ROADMAPS = Path(__file__).parents[1] / "fixtures" / "roadmaps"


def prerequisite(G, u, v):
    return G.edges[u, v, "prerequisite"]


def prerequisite_pairs(G, basis=None):
    return {
        (G.nodes[u]["name"], G.nodes[v]["name"])
        for u, v, k, d in G.edges(keys=True, data=True)
        if k == "prerequisite" and basis in (None, d["basis"])
    }


def listed(*sections):
    """A roadmap body: each section as a heading with one link of its own."""
    return "".join(
        f"{'#' * level} {name}\n[{name} notes](https://example.org/{n})\n"
        for n, (level, name) in enumerate(sections)
    )


def test_order_follows_the_steps_of_a_roadmap_section_not_the_parts_of_a_step():
    G = build_graph(
        parse_roadmap(
            "# Roadmap\n## A\n[a](https://a.org)\n## B\n### B1\n[b1](https://b.org/1)\n"
            "### B2\n[b2](https://b.org/2)\n## C\n[c](https://c.org)\n"
        )
    )
    # B1 and B2 are parts of step B, side by side: the roadmap orders its steps only.
    assert prerequisite_pairs(G) == {("A", "B"), ("B", "C")}
    assert prerequisite(G, "roadmap/a", "roadmap/b")["basis"] == "order"
    assert prerequisite(G, "roadmap/a", "roadmap/b")["confidence"] == 0.3


def test_a_list_of_categories_has_no_order():
    G = build_graph(
        parse_roadmap(
            "# Awesome NLP\nA curated list, in order to find things.\n"
            + listed((2, "Libraries"), (2, "Datasets"), (2, "Courses"))
        )
    )
    assert prerequisite_pairs(G) == set()


NESTED_STUDY_LIST = """# My deep learning notes

Everything below is in the order I study it.

## Neural Networks
[Zero to Hero](https://example.org/zero-to-hero)

## Transformers
[The Illustrated Transformer](https://example.org/illustrated)
[Attention paper](https://arxiv.org/abs/1706.03762)

### Fine-tuning
[LoRA paper](https://arxiv.org/abs/2106.09685)

### Tips
[How I take notes](https://example.org/notes)

## Agents
[Agents course](https://example.org/agents)
"""


def test_a_subsection_builds_on_its_parent_and_the_earlier_sections_of_an_ordered_list():
    G = build_graph(parse_roadmap(NESTED_STUDY_LIST))
    fine_tuning = "my-deep-learning-notes/transformers/fine-tuning"
    before = queries.prerequisites(G, fine_tuning)
    assert [G.nodes[t]["name"] for t in before] == ["Neural Networks", "Transformers"]
    edge = prerequisite(G, "my-deep-learning-notes/transformers", fine_tuning)
    assert (edge["basis"], edge["confidence"]) == ("parent", 0.4)
    assert "lists 2 resources of its own" in edge["evidence"][0]
    assert queries.topic_resources(G, before[-1]) == ["https://example.org/illustrated", "arxiv:1706.03762"]
    assert queries.prerequisite_path(G, "my-deep-learning-notes/neural-networks", fine_tuning) == [
        "my-deep-learning-notes/neural-networks",
        "my-deep-learning-notes/transformers",
        fine_tuning,
    ]


def test_tips_are_never_a_prerequisite_and_order_steps_over_them():
    G = build_graph(parse_roadmap(NESTED_STUDY_LIST))
    assert not any("Tips" in pair[0] for pair in prerequisite_pairs(G))
    assert ("Transformers", "Agents") in prerequisite_pairs(G, "order")


@pytest.mark.parametrize(
    "aside",
    [
        "Tips",
        "Contents",
        "Interview questions",
        "面经",
        "参考公司",
        "Companies hiring",
        "Broken things",
        "License",
        "Suggestions",
    ],
)
def test_sections_that_are_no_subject_of_study_are_never_prerequisites(aside):
    G = build_graph(parse_roadmap("# Roadmap\n" + listed((2, "A"), (2, aside), (3, "Nested"), (2, "B"))))
    assert prerequisite_pairs(G) == {("A", "B")}


def test_a_topic_with_nothing_to_study_has_no_place_in_the_order_and_breaks_it():
    G = build_graph(
        parse_roadmap(
            "# Roadmap\n## A\n[a](https://a.org)\n## Empty\n## B\n[b](https://b.org)\n"
            "## C\n[c](https://c.org)\n"
        )
    )
    # Nothing says what Empty builds on, nor whether B needs what came before Empty.
    assert prerequisite_pairs(G) == {("B", "C")}


def test_a_section_whose_own_links_name_its_subsections_is_an_overview_not_a_foundation():
    G = build_graph(
        parse_roadmap(
            "# Roadmap\n## AIGC\n[Stable Diffusion training costs](https://a.org)\n"
            "### GAN\n[g](https://g.org)\n### Diffusion\n[d](https://d.org)\n"
        )
    )
    assert prerequisite_pairs(G, "parent") == set()
    G = build_graph(
        parse_roadmap(
            "# Roadmap\n## AIGC\n[Generative models, an introduction](https://a.org)\n"
            "### GAN\n[g](https://g.org)\n"
        )
    )
    assert prerequisite_pairs(G, "parent") == {("AIGC", "GAN")}


def test_sections_side_by_side_in_an_unordered_section_are_no_prerequisites_of_each_other():
    roadmap = (
        "# Notes\n## {}\n### GAN\n[GAN paper](https://g.org)\n"
        "### DALL-E\n[DALL-E 2, from GAN and VAE to diffusion](https://d.org)\n"
    )
    assert prerequisite_pairs(build_graph(parse_roadmap(roadmap.format("AIGC"))), "mention") == set()
    # Steps of an ordered section do build on what they name.
    ordered = build_graph(
        parse_roadmap(
            roadmap.format("AIGC, step by step").replace("## AIGC, step by step", "## AIGC\nStep by step.")
        )
    )
    assert prerequisite_pairs(ordered, "mention") == {("GAN", "DALL-E")}


@pytest.mark.parametrize(
    "headings",
    [
        ("1. Basics", "2. Models", "3. Serving"),
        ("Step 1: Basics", "Step 2: Models", "Step 3: Serving"),
        ("Week 1", "Week 2", "Week 3"),
        ("Part I", "Part II", "Part III"),
        ("第一阶段", "第二阶段", "第三阶段"),
        ("🧩 1. Basics", "🧑‍🔬 2. Models", "👷 3. Serving"),
    ],
)
def test_numbered_subsections_are_ordered(headings):
    G = build_graph(parse_roadmap("# Course\n" + listed(*((2, h) for h in headings))))
    first, second, third = headings
    assert prerequisite_pairs(G, "order") == {(first, second), (second, third)}


@pytest.mark.parametrize(
    "introduction",
    [
        "Study it step by step.",
        "按顺序学习。",
        "我的学习路线",
        "Read these in this order:",
        "<!-- ordered -->",
    ],
)
def test_an_introduction_or_marker_that_says_ordered(introduction):
    G = build_graph(parse_roadmap(f"# Notes\n{introduction}\n" + listed((2, "A"), (2, "B"))))
    assert prerequisite_pairs(G, "order") == {("A", "B")}


def test_a_subsection_of_a_section_with_no_links_of_its_own_has_no_parent_edge():
    G = build_graph(parse_roadmap("# Notes\n## Group\n" + listed((3, "A"), (3, "B"))))
    assert prerequisite_pairs(G) == set()


@pytest.mark.parametrize("declaration", ["Prerequisites: A, C", "<!-- requires: A, C -->", "前置知识：A、C"])
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
    roadmap = parse_roadmap(
        "# Notes\n## Transformer\n[t](https://a.org/t)\n## LLaMA\n[p](https://arxiv.org/abs/2302.13971)\n"
    )
    records = [
        {
            "id": "arxiv:2302.13971",
            "url": "https://arxiv.org/abs/2302.13971",
            "kind": "paper",
            "status": "ok",
            "abstract": "We train decoder-only Transformers. They are fast.",
        }
    ]
    edge = prerequisite(build_graph(roadmap, records), "notes/transformer", "notes/llama")
    assert (edge["basis"], edge["confidence"]) == ("mention", 0.5)
    assert edge["evidence"] == ['mention: arxiv:2302.13971 abstract: "We train decoder-only Transformers."']


def test_no_mention_of_a_later_topic_or_of_a_topic_with_nothing_to_study():
    roadmap = parse_roadmap(
        "# Notes\n## Empty\n## A\n[Builds on Empty, see B](https://a.org)\n## B\n[b](https://b.org)\n"
    )
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
        ("roadmap/c", "roadmap/a", "explicit"),
        ("roadmap/a", "roadmap/b", "order"),
        ("roadmap/b", "roadmap/c", "order"),
    }
    assert all(s["evidence"] for s in report["cycle"])
    removed = (report["removed"]["from"], report["removed"]["to"])
    assert removed in {("roadmap/a", "roadmap/b"), ("roadmap/b", "roadmap/c")}
    assert not G.has_edge(*removed, "prerequisite")
    assert G.has_edge("roadmap/c", "roadmap/a", "prerequisite")  # explicit always wins


def test_two_explicit_cycles_both_broken():
    G = build_graph(
        parse_roadmap("# Notes\n## A\nPrerequisites: B\n## B\nPrerequisites: A, C\n## C\nPrerequisites: B\n")
    )
    assert len(G.graph["cycles"]) == 2
    assert nx.is_directed_acyclic_graph(prerequisite_graph(G))


def test_embedded_roadmap_has_no_aside_as_a_prerequisite(embedded_graph):
    G = embedded_graph
    sources = {G.nodes[u]["name"] for u, _, k in G.edges(keys=True) if k == "prerequisite"}
    assert sources and not sources & {
        "Suggetions",
        "面经",
        "LLM",
        "神经网络基础",
        "CS基础",
        "参考公司",
        "LoRA",
    }
    assert "roadmap/suggetions" not in queries.prerequisites(G, "roadmap/neural-network")


CITING = """# Notes
## Attention
[The Transformer, explained](https://example.org/video)
## Models
[LLaMA](https://arxiv.org/abs/2302.13971)
[LoRA](https://arxiv.org/abs/2106.09685)
"""


def paper(paper_id, title, *cited):
    return {
        "id": paper_id,
        "kind": "paper",
        "status": "ok",
        "title": title,
        "references": [{"id": c, "title": f"Paper {c}"} for c in cited],
    }


def test_a_paper_citing_a_paper_named_in_another_topics_video_makes_a_citation_edge():
    video = {
        "id": "https://example.org/video",
        "status": "ok",
        "description": "Walks through the paper, https://arxiv.org/abs/1706.03762v7",
    }
    records = [video, paper("arxiv:2302.13971", "LLaMA", "arxiv:1706.03762", "arxiv:2005.14165")]
    edge = prerequisite(build_graph(parse_roadmap(CITING), records), "notes/attention", "notes/models")
    assert (edge["basis"], edge["confidence"]) == ("citation", 0.6)
    assert edge["evidence"] == [
        "citation: LLaMA (arxiv:2302.13971) cites Paper arxiv:1706.03762 (arxiv:1706.03762)"
    ]


def test_citation_confidence_rises_with_the_citing_pairs():
    video = {
        "id": "https://example.org/video",
        "status": "ok",
        "description": "arXiv 1706.03762 and doi:10.1162/neco.1997.9.8.1735",
    }
    records = [
        video,
        paper("arxiv:2302.13971", "LLaMA", "arxiv:1706.03762", "doi:10.1162/neco.1997.9.8.1735"),
        paper("arxiv:2106.09685", "LoRA", "arxiv:1706.03762"),
    ]
    edge = prerequisite(build_graph(parse_roadmap(CITING), records), "notes/attention", "notes/models")
    assert (edge["basis"], edge["confidence"], len(edge["evidence"])) == ("citation", 0.8, 3)


def test_a_paper_cited_from_a_tips_section_makes_no_prerequisite():
    roadmap = parse_roadmap(CITING.replace("## Attention", "## Tips"))
    video = {"id": "https://example.org/video", "status": "ok", "description": "arXiv 1706.03762"}
    G = build_graph(roadmap, [video, paper("arxiv:2302.13971", "LLaMA", "arxiv:1706.03762")])
    assert prerequisite_pairs(G) == set()


@pytest.mark.parametrize("catch_all", ["8. New Trends", "Other", "Miscellaneous", "3. Extras", "其他"])
def test_a_catch_all_step_follows_nothing_and_leads_nowhere(catch_all):
    G = build_graph(
        parse_roadmap("# Course\n" + listed((2, "1. A"), (2, "2. B"), (2, catch_all), (2, "4. C")))
    )
    assert prerequisite_pairs(G, "order") == {("1. A", "2. B"), ("2. B", "4. C")}


def test_a_paper_a_video_links_to_counts_for_the_videos_topic():
    """The Models video's description links the LLaMA paper, listed under Reading: what
    LLaMA cites orders Models too, through that link."""
    roadmap = parse_roadmap(
        "# Notes\n## Attention\n[Attention paper](https://arxiv.org/abs/1706.03762)\n"
        "## Models\n[LLaMA, explained](https://example.org/llama-video)\n"
        "## Reading\n[LLaMA](https://arxiv.org/abs/2302.13971)\n"
    )
    video = {
        "id": "https://example.org/llama-video",
        "status": "ok",
        "description": "Paper: https://arxiv.org/abs/2302.13971",
    }
    G = build_graph(roadmap, [video, paper("arxiv:2302.13971", "LLaMA", "arxiv:1706.03762")])
    assert G.has_edge("https://example.org/llama-video", "arxiv:2302.13971", "links_to")
    edge = prerequisite(G, "notes/attention", "notes/models")
    assert edge["basis"] == "citation"
    assert edge["evidence"] == [
        "citation: LLaMA (arxiv:2302.13971) cites Paper arxiv:1706.03762 (arxiv:1706.03762)"
    ]


def test_a_paper_found_for_an_empty_topic_orders_it_less_surely_than_a_listed_paper():
    roadmap = parse_roadmap(
        "# Notes\n## Attention\n[Attention paper](https://arxiv.org/abs/1706.03762)\n## LoRA\n"
        "## Models\n[LLaMA](https://arxiv.org/abs/2302.13971)\n"
    )
    found = [
        {
            "topic": "notes/lora",
            "names": ["LoRA", "Low-Rank Adaptation"],
            "papers": [paper("arxiv:2106.09685", "LoRA", "arxiv:1706.03762")],
        },
        # A topic that has something to study gets nothing from a search.
        {
            "topic": "notes/models",
            "names": ["Models"],
            "papers": [paper("arxiv:9999.00001", "X", "arxiv:1706.03762")],
        },
    ]
    G = build_graph(roadmap, [paper("arxiv:2302.13971", "LLaMA", "arxiv:1706.03762")], found=found)
    lora, models = (
        prerequisite(G, "notes/attention", "notes/lora"),
        prerequisite(G, "notes/attention", "notes/models"),
    )
    assert (lora["basis"], lora["confidence"]) == ("citation", 0.45)
    assert lora["evidence"] == [
        "citation: LoRA (arxiv:2106.09685, found for LoRA) cites Paper arxiv:1706.03762 (arxiv:1706.03762)"
    ]
    assert models["confidence"] == 0.6 and len(models["evidence"]) == 1
    assert "arxiv:9999.00001" not in G
    assert G.nodes["arxiv:2106.09685"]["type"] == "suggestion"


def test_order_never_crosses_the_parts_of_a_course_and_skips_its_catch_all():
    """llm-course: three parts, each of numbered steps; "8. New Trends" gathers the rest."""
    G = build_graph(parse_roadmap((ROADMAPS / "llm-course.md").read_text(encoding="utf-8")))
    order = [
        (u, v)
        for u, v, k, d in G.edges(keys=True, data=True)
        if k == "prerequisite" and d["basis"] == "order"
    ]
    assert order and all(u.split("/")[0] == v.split("/")[0] for u, v in order)
    assert not any("new-trends" in u or "new-trends" in v for u, v in order)
