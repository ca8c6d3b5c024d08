"""The embedded roadmap with its saved crawl and Semantic Scholar's recorded answers: what a
learner asking what comes before LLaMA and LoRA, and what the roadmap is missing, sees."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_crawl import crawl

from learngraph.cli import main
from learngraph.crawler.paper_search import read_found_papers
from learngraph.crawler.records import read_records
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph import queries
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_json
from learngraph.graph.prerequisites import prerequisite_graph
from learngraph.graph.sections import studied_topics
from learngraph.graph.suggestions import topics_to_fill
from learngraph_process import run_learngraph, site_settings

ROOT = Path(__file__).parents[2]
ROADMAP = ROOT / "crawler" / "roadmap" / "data" / "nlp-roadmap.md"
CRAWL = ROOT / "tests" / "fixtures" / "crawl" / "nlp-roadmap"
RECORDED = CRAWL / "semantic-scholar"
TRANSFORMER, LLAMA, LORA = "roadmap/transformer", "roadmap/llama", "roadmap/lora"
ATTENTION = "arxiv:1706.03762"


@pytest.fixture(scope="module")
def graph():
    """What `learngraph build` makes of the saved crawl: its records, and the papers
    found for the topics with nothing to study."""
    return build_graph(
        read_roadmap(ROADMAP), read_records(CRAWL / "resources.jsonl"), found=read_found_papers(CRAWL)
    )


def recorded_papers() -> dict[str, dict]:
    """The recorded batch answer by the id it was asked with."""
    answer = json.loads((RECORDED / "batch.json").read_text(encoding="utf-8"))
    return {f"ARXIV:{paper['externalIds']['ArXiv']}": paper for paper in answer}


def test_the_saved_crawls_citations_are_what_a_crawl_makes_of_the_recorded_answer(site, tmp_path):
    saved = {r["id"]: r for r in read_records(CRAWL / "resources.jsonl")}
    papers = [r for r in saved.values() if r["kind"] == "paper"]
    site.s2_papers = recorded_papers()
    links = "".join(f"- [{p['id']}]({p['url']})\n" for p in papers)
    records = crawl(
        site,
        tmp_path,
        "# Papers\n" + links,
        SEMANTIC_SCHOLAR_API_URL=f"{site.base}/s2/graph/v1",
        SEMANTIC_SCHOLAR_DELAY="0",
    )
    assert len(site.s2_batches) == 1
    for paper in papers:
        crawled = records[paper["id"]]
        assert crawled["references"] == paper["references"], paper["id"]
        assert crawled["citation_count"] == paper["citation_count"]


def test_transformer_comes_before_llama_on_citation_evidence(graph):
    assert TRANSFORMER in queries.prerequisites(graph, LLAMA)
    edge = graph.edges[TRANSFORMER, LLAMA, "prerequisite"]
    assert edge["basis"] == "citation"
    assert (
        "citation: LLaMA: Open and Efficient Foundation Language Models (arxiv:2302.13971) cites "
        "Attention Is All You Need (arxiv:1706.03762)"
    ) in edge["evidence"]


def test_no_section_of_tips_interview_questions_or_companies_is_a_prerequisite(graph):
    before = {u for u, _, _ in prerequisite_graph(graph).edges}
    asides = {
        "roadmap/suggetions",
        "李沐精讲学习方式",
        "面经",
        "面经/llm",
        "面经/神经网络基础",
        "面经/cs基础",
        "面经/参考公司",
    }
    assert asides <= set(graph) and not before & asides


def test_the_old_reversals_are_gone(graph):
    P = prerequisite_graph(graph)
    assert not P.has_edge(LLAMA, LORA) and not P.has_edge(LLAMA, "roadmap/aigc")
    assert not P.has_edge("roadmap/aigc/dall-e", "roadmap/aigc/diffusion")


def suggest(site, graph, tmp_path, *args) -> str:
    site.s2_answers = json.loads((RECORDED / "search.json").read_text(encoding="utf-8"))
    path = tmp_path / "graph.json"
    write_json(graph, path)
    result = CliRunner().invoke(
        main,
        [
            "suggest",
            *args,
            "--graph",
            str(path),
            "-s",
            f"SEMANTIC_SCHOLAR_API_URL={site.base}/s2/graph/v1",
            "-s",
            "SEMANTIC_SCHOLAR_DELAY=0",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_suggest_fills_lora_with_the_lora_paper_which_builds_on_transformer(site, graph, tmp_path):
    assert LORA in topics_to_fill(graph)
    found = json.loads(suggest(site, graph, tmp_path, "--json"))
    [lora] = [entry for entry in found["empty_topics"] if entry["topic"] == LORA]
    paper = lora["papers"][0]
    assert (paper["id"], paper["url"]) == ("arxiv:2106.09685", "https://arxiv.org/abs/2106.09685")
    assert paper["builds_on"] == [
        {
            "topic": TRANSFORMER,
            "evidence": [
                "citation: LoRA: Low-Rank Adaptation of Large Language Models (arxiv:2106.09685) cites "
                "Attention Is All You Need (arxiv:1706.03762)"
            ],
        }
    ]
    # The Transformer paper: cited by LLaMA and by the LoRA paper, linked from the Transformer video.
    [attention] = [p for p in found["missing_papers"] if p["id"] == ATTENTION]
    assert (attention["title"], attention["topic"]) == ("Attention Is All You Need", TRANSFORMER)
    assert attention["cited_by"] == ["arxiv:2302.13971", "arxiv:2106.09685"]


def test_suggest_says_it_in_words(site, graph, tmp_path):
    text = " ".join(suggest(site, graph, tmp_path).split())
    assert (
        "Attention Is All You Need — cited by 2 papers (LLaMA, LoRA [found for LoRA]) — belongs under "
        "Transformer https://arxiv.org/abs/1706.03762"
    ) in text
    assert (
        "LoRA has nothing to study; Semantic Scholar finds: LoRA: Low-Rank Adaptation of Large Language "
        "Models (2021, 8000 citations) https://arxiv.org/abs/2106.09685 builds on Transformer: LoRA: Low-Rank "
        "Adaptation of Large Language Models (arxiv:2106.09685) cites Attention Is All You Need "
        "(arxiv:1706.03762)"
    ) in text
    assert "Prompt has nothing to study; Semantic Scholar finds: (no paper)" in text


def crawl_for_empty_topics(site, tmp_path, *args):
    """`learngraph crawl` of the embedded roadmap, every link pointed at one local page,
    with Semantic Scholar's recorded search answers served locally: its topics with
    nothing to study are the embedded roadmap's own."""
    site.s2_answers = json.loads((RECORDED / "search.json").read_text(encoding="utf-8"))
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        re.sub(
            r"\]\(https?://[^)]+\)", f"]({site.base}/posts/attention)", ROADMAP.read_text(encoding="utf-8")
        ),
        encoding="utf-8",
    )
    s2 = {"SEMANTIC_SCHOLAR_API_URL": f"{site.base}/s2/graph/v1", "SEMANTIC_SCHOLAR_DELAY": "0"}
    result = run_learngraph(
        "crawl", roadmap, "--out", tmp_path / "out", *args, *site_settings(site, **s2), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, read_found_papers(tmp_path / "out")


def test_the_saved_found_papers_are_what_a_crawl_makes_of_the_recorded_search_answers(site, tmp_path):
    output, found = crawl_for_empty_topics(site, tmp_path)
    assert site.s2_searches == ["LoRA Low Rank Adaptation", "Diffusion Model", "Prompt Prompting"]
    assert "Semantic Scholar: papers for 2 of 3 topics with nothing to study" in output
    saved = read_found_papers(CRAWL)
    assert [{k: v for k, v in e.items() if k != "searched_at"} for e in found] == [
        {k: v for k, v in e.items() if k != "searched_at"} for e in saved
    ]


def test_a_second_crawl_keeps_the_found_papers_until_they_are_stale(site, tmp_path):
    _, first = crawl_for_empty_topics(site, tmp_path)
    _, second = crawl_for_empty_topics(site, tmp_path)
    assert len(site.s2_searches) == 3 and second == first  # the papers' freshness: 30 days
    crawl_for_empty_topics(site, tmp_path, "--full")
    assert len(site.s2_searches) == 6


def test_a_failed_search_keeps_the_papers_found_before(site, tmp_path):
    crawl_for_empty_topics(site, tmp_path, "--full")
    site.s2_busy = 100
    output, found = crawl_for_empty_topics(site, tmp_path, "--full")
    [lora] = [entry for entry in found if entry["topic"] == LORA]
    assert lora["error"] == "HTTP 429" and lora["papers"][0]["id"] == "arxiv:2106.09685"
    assert "LoRA: no answer (HTTP 429)" in output and "Prompt: no answer (HTTP 429)" in output
    # Three searches answered, then one asked three times: a refusal ends the asking.
    assert site.requests["/s2/graph/v1/paper/search"] == 6


def test_transformer_comes_before_lora_by_the_citations_of_the_paper_found_for_it(graph):
    assert TRANSFORMER in queries.prerequisites(graph, LORA)
    edge = graph.edges[TRANSFORMER, LORA, "prerequisite"]
    assert edge["basis"] == "citation"
    assert edge["evidence"] == [
        "citation: LoRA: Low-Rank Adaptation of Large Language Models (arxiv:2106.09685, found for LoRA) "
        "cites Attention Is All You Need (arxiv:1706.03762)"
    ]
    # Less sure than a paper the roadmap lists itself.
    assert edge["confidence"] < graph.edges[TRANSFORMER, LLAMA, "prerequisite"]["confidence"]


def test_the_found_paper_is_a_suggestion_for_lora_never_its_resource(graph):
    node = graph.nodes["arxiv:2106.09685"]
    assert (node["type"], node["found_for"], node["url"]) == (
        "suggestion",
        [LORA],
        "https://arxiv.org/abs/2106.09685",
    )
    assert graph.has_edge("arxiv:2106.09685", LORA, "suggested_for")
    assert queries.topic_resources(graph, LORA) == []
    assert LORA not in studied_topics(graph)


def test_prereqs_lora_answers_transformer_with_the_evidence_after_build(tmp_path):
    """`build` reads the papers found beside the records; `prereqs` says why, in words and JSON."""
    crawl_dir = tmp_path / "crawl"
    shutil.copytree(CRAWL, crawl_dir)
    runner = CliRunner()
    built = runner.invoke(
        main, ["build", "--resources", str(crawl_dir / "resources.jsonl"), "--out", str(tmp_path)]
    )
    assert built.exit_code == 0, built.output
    graph_file = str(tmp_path / "graph.json")
    # A process of its own, with a terminal wide enough that no line of evidence wraps.
    text = run_learngraph("prereqs", "LoRA", "--graph", graph_file, cwd=tmp_path, env={"COLUMNS": "300"})
    assert text.returncode == 0, text.stderr
    assert (
        "-> LoRA (0.45) citation: LoRA: Low-Rank Adaptation of Large Language Models "
        "(arxiv:2106.09685, found for LoRA) cites Attention Is All You Need (arxiv:1706.03762)"
    ) in text.stdout
    answer = json.loads(runner.invoke(main, ["prereqs", "LoRA", "--json", "--graph", graph_file]).output)
    [transformer] = [row for row in answer["prerequisites"] if row["topic"] == TRANSFORMER]
    [reason] = transformer["reasons"]
    assert (reason["before"], reason["basis"]) == (LORA, "citation")
    assert reason["evidence"][0].endswith(
        "(arxiv:2106.09685, found for LoRA) cites Attention Is All You Need (arxiv:1706.03762)"
    )


def test_suggest_without_search_shows_what_the_crawl_found(site, graph, tmp_path):
    found = json.loads(suggest(site, graph, tmp_path, "LoRA", "--json", "--no-search"))
    assert site.s2_searches == []
    [lora] = found["empty_topics"]
    assert [p["id"] for p in lora["papers"]] == ["arxiv:2106.09685", "arxiv:2405.09673"]
    assert [b["topic"] for b in lora["papers"][0]["builds_on"]] == [TRANSFORMER]
