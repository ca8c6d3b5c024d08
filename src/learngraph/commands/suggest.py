"""``learngraph suggest``: papers the roadmap is missing, from what its papers cite."""

from __future__ import annotations

import re

import click

from ..graph.aliases import resolve_topic
from ..graph.suggestions import SUGGEST_MIN_CITING, missing_papers
from .common import console, user_errors
from .graph import graph_errors, graph_option, json_option, load_graph, name, print_json


@click.command()
@click.argument("topic", required=False)
@click.option("--min-citing", type=click.IntRange(min=1), default=SUGGEST_MIN_CITING, show_default=True,
              help="Suggest a paper only when this many papers of the roadmap cite it.")
@graph_option
@json_option
@user_errors
@graph_errors
def suggest(topic, min_citing, graph_path, as_json) -> None:
    """Papers the roadmap lacks: cited by several of its papers, listed nowhere in it.

    Each is placed under the topic that links to it or whose papers cite it most; with
    TOPIC, only those placed under it. Nothing is added to the roadmap or the graph.

    \b
    Example:
      learngraph suggest
      learngraph suggest GPT --json
    """
    G = load_graph(graph_path)
    papers = missing_papers(G, resolve_topic(G, topic) if topic else None, min_citing=min_citing)
    if as_json:
        print_json(papers)
        return
    if not papers:
        console.print(f"No paper is cited by {min_citing} or more papers of the roadmap and missing from it.")
    for paper in papers:
        citing = ", ".join(short_title(G.nodes[c].get("title", c)) for c in paper["cited_by"])
        where = f" — belongs under {name(G, paper['topic'])}" if paper["topic"] else ""
        console.print(f"{paper['title']} — cited by {len(paper['cited_by'])} of your papers ({citing}){where}\n"
                      f"  {paper['url']}", markup=False, highlight=False)


def short_title(title: str) -> str:
    """A paper's title before its subtitle: "LLaMA: Open and ..." -> "LLaMA"."""
    return re.split(r"[:?？：]\s", title, maxsplit=1)[0]
