"""``learngraph suggest``: papers the roadmap is missing, from what its papers cite and
from Semantic Scholar's search for the topics it gives nothing to study."""

from __future__ import annotations

import re
from functools import partial

import click

from ..crawler.paper_search import search_papers
from ..crawler.settings import setting
from ..graph import payloads
from ..graph.payloads import name
from ..graph.suggestions import SUGGEST_MIN_CITING
from .common import (
    console,
    graph_errors,
    graph_option,
    json_option,
    load_graph,
    parse_overrides,
    print_json,
    settings_option,
    user_errors,
)


@click.command()
@click.argument("topic", required=False)
@click.option(
    "--min-citing",
    type=click.IntRange(min=1),
    default=SUGGEST_MIN_CITING,
    show_default=True,
    help="Suggest a paper only when this many papers of the roadmap cite it.",
)
@click.option(
    "--no-search",
    is_flag=True,
    help="Show the papers the crawl found for empty topics; do not ask Semantic Scholar again.",
)
@graph_option
@json_option
@settings_option
@user_errors
@graph_errors
def suggest(topic, min_citing, no_search, graph_path, as_json, overrides) -> None:
    """What the roadmap lacks: papers several of its papers cite, and papers for its
    topics with nothing to study (Semantic Scholar's search for their names, asked again
    unless --no-search; the crawl's answers then).

    A cited paper is placed under the topic that links to it or whose papers cite it
    most; the papers found for an empty topic cite too, and say which topics they build
    on. With TOPIC, only what belongs under it. Nothing is added to the roadmap or the
    graph.

    \b
    Example:
      learngraph suggest
      learngraph suggest LoRA --json
    """
    G = load_graph(graph_path)
    values = parse_overrides(overrides)
    api = setting("SEMANTIC_SCHOLAR_API_URL", values)
    search = (
        None
        if no_search or not api
        else partial(search_papers, api, setting("SEMANTIC_SCHOLAR_API_KEY", values))
    )
    answer = payloads.suggestions(
        G, topic, min_citing=min_citing, search=search, delay=setting("SEMANTIC_SCHOLAR_DELAY", values)
    )
    if as_json:
        print_json(answer)
        return
    missing, found = answer["missing_papers"], answer["empty_topics"]
    found_for = {
        paper["id"]: {**paper, "topic": entry["topic"]} for entry in found for paper in entry["papers"]
    }
    for paper in missing:
        citing = ", ".join(
            f"{short_title(found_for[c].get('title', c))} [found for {name(G, found_for[c]['topic'])}]"
            if c in found_for
            else short_title(G.nodes[c].get("title", c))
            for c in paper["cited_by"]
        )
        whose = "papers" if set(paper["cited_by"]) & set(found_for) else "of your papers"
        where = f" — belongs under {name(G, paper['topic'])}" if paper["topic"] else ""
        console.print(
            f"{paper['title']} — cited by {len(paper['cited_by'])} {whose} ({citing}){where}\n"
            f"  {paper['url']}",
        )
    if not missing:
        console.print(f"No paper is cited by {min_citing} or more papers of the roadmap and missing from it.")
    for entry in found:
        console.print(f"{entry['name']} has nothing to study; Semantic Scholar finds:")
        if "error" in entry:
            console.print(f"  (no answer: {entry['error']})")
        elif not entry["papers"]:
            console.print("  (no paper)")
        for paper in entry["papers"]:
            console.print(
                f"  {paper.get('title', paper['id'])} ({paper.get('year', '?')}, "
                f"{paper.get('citation_count', 0)} citations) {paper['url']}",
            )
            for before in paper["builds_on"]:
                console.print(
                    f"    builds on {name(G, before['topic'])}: "
                    f"{before['evidence'][0].removeprefix('citation: ')}",
                )


def short_title(title: str) -> str:
    """A paper's title before its subtitle: "LLaMA: Open and ..." -> "LLaMA"."""
    return re.split(r"[:?？：]\s", title, maxsplit=1)[0]
