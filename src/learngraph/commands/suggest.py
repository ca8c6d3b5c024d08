"""``learngraph suggest``: papers the roadmap is missing, from what its papers cite and
from Semantic Scholar's search for the topics it gives nothing to study."""

from __future__ import annotations

import re
import time
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import click

from ..crawler.middlewares.retry import retry_after_seconds
from ..crawler.settings import load_settings
from ..crawler.sources import semantic_scholar
from ..graph.aliases import resolve_topic
from ..graph.papers import paper_url
from ..graph.suggestions import SUGGEST_MIN_CITING, best_found, builds_on, missing_papers, topics_to_fill
from .common import console, parse_overrides, settings_option, user_errors
from .graph import graph_errors, graph_option, json_option, load_graph, name, print_json

SEARCH_RETRIES = 2
MAX_ANSWER_BYTES = 1024 * 1024


@click.command()
@click.argument("topic", required=False)
@click.option("--min-citing", type=click.IntRange(min=1), default=SUGGEST_MIN_CITING, show_default=True,
              help="Suggest a paper only when this many papers of the roadmap cite it.")
@click.option("--no-search", is_flag=True, help="Do not ask Semantic Scholar about empty topics.")
@graph_option
@json_option
@settings_option
@user_errors
@graph_errors
def suggest(topic, min_citing, no_search, graph_path, as_json, overrides) -> None:
    """What the roadmap lacks: papers several of its papers cite, and papers for its
    topics with nothing to study (Semantic Scholar's search for their names).

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
    topic = resolve_topic(G, topic) if topic else None
    empty = [t for t in topics_to_fill(G) if topic in (None, t)]
    settings = load_settings(parse_overrides(overrides))
    api = settings.get("SEMANTIC_SCHOLAR_API_URL")
    found = [] if no_search or not api else search_topics(G, empty, settings)
    filling = [{**paper, "topic": entry["topic"]} for entry in found for paper in entry["papers"]]
    missing = missing_papers(G, topic, min_citing=min_citing, found=filling)
    if as_json:
        print_json({"missing_papers": missing, "empty_topics": found})
        return
    found_for = {paper["id"]: paper for paper in filling}
    for paper in missing:
        citing = ", ".join(
            f"{short_title(found_for[c].get('title', c))} [found for {name(G, found_for[c]['topic'])}]"
            if c in found_for else short_title(G.nodes[c].get("title", c)) for c in paper["cited_by"])
        whose = "papers" if set(paper["cited_by"]) & set(found_for) else "of your papers"
        where = f" — belongs under {name(G, paper['topic'])}" if paper["topic"] else ""
        console.print(f"{paper['title']} — cited by {len(paper['cited_by'])} {whose} ({citing}){where}\n"
                      f"  {paper['url']}", markup=False, highlight=False)
    if not missing:
        console.print(f"No paper is cited by {min_citing} or more papers of the roadmap and missing from it.")
    for entry in found:
        console.print(f"{entry['name']} has nothing to study; Semantic Scholar finds:", highlight=False)
        if "error" in entry:
            console.print(f"  (no answer: {entry['error']})", markup=False, highlight=False)
        elif not entry["papers"]:
            console.print("  (no paper)", highlight=False)
        for paper in entry["papers"]:
            console.print(f"  {paper.get('title', paper['id'])} ({paper.get('year', '?')}, "
                          f"{paper.get('citation_count', 0)} citations) {paper['url']}",
                          markup=False, highlight=False)
            for before in paper["builds_on"]:
                console.print(f"    builds on {name(G, before['topic'])}: "
                              f"{before['evidence'][0].removeprefix('citation: ')}", markup=False, highlight=False)


def search_topics(G, topics: list[str], settings) -> list[dict]:
    """The most cited of the papers Semantic Scholar's search finds for each topic's names,
    one request every SEMANTIC_SCHOLAR_DELAY seconds; a topic it cannot answer says why."""
    api, key = settings.get("SEMANTIC_SCHOLAR_API_URL"), settings.get("SEMANTIC_SCHOLAR_API_KEY")
    found = []
    for n, topic in enumerate(topics):
        if n:
            time.sleep(settings.getfloat("SEMANTIC_SCHOLAR_DELAY"))
        names = [name(G, topic), *G.nodes[topic].get("aliases", ())[:1]]
        entry = {"topic": topic, "name": name(G, topic), "papers": []}
        try:
            papers = semantic_scholar.parse_search(fetch(semantic_scholar.search_url(api, names), key))
        except (OSError, ValueError) as error:
            entry["error"] = str(error)
        else:
            entry["papers"] = [{**p, "url": paper_url(p["id"]), "builds_on": builds_on(G, p)}
                               for p in best_found(papers)]
        found.append(entry)
    return found


def fetch(url: str, key: str) -> bytes:
    """GET ``url``, waiting out a 429 as its Retry-After says (or 1 s, then 2 s)."""
    headers = {"User-Agent": "learngraph", **({"x-api-key": key} if key else {})}
    attempt = 0
    while True:
        try:
            with urlopen(Request(url, headers=headers), timeout=20) as answer:
                return answer.read(MAX_ANSWER_BYTES)
        except HTTPError as error:
            if error.code != 429 or attempt == SEARCH_RETRIES:
                raise OSError(f"HTTP {error.code}") from None
            time.sleep(min(retry_after_seconds(error.headers.get("Retry-After")) or 2.0**attempt, 60))
            attempt += 1
        except URLError as error:
            raise OSError(str(error.reason)) from None


def short_title(title: str) -> str:
    """A paper's title before its subtitle: "LLaMA: Open and ..." -> "LLaMA"."""
    return re.split(r"[:?？：]\s", title, maxsplit=1)[0]
