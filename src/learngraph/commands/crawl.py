"""``learngraph crawl``: fetch the metadata of every link of one or more roadmaps."""

from __future__ import annotations

from collections import Counter

import click
from rich.table import Table

from .common import (
    base_url_option,
    console,
    crawl_roadmaps,
    exit_on_failures,
    full_option,
    out_option,
    print_failures,
    quiet_option,
    search_empty_topics,
    settings_option,
    user_errors,
)


def print_statuses(records: list[dict]) -> None:
    table = Table("status", "resources", title="Crawl", title_justify="left")
    for status, count in Counter(r["status"] for r in records).most_common():
        table.add_row(status, str(count))
    console.print(table)
    print_failures(records)


@click.command()
@click.argument("roadmaps", nargs=-1)
@out_option
@full_option
@quiet_option
@base_url_option
@settings_option
@user_errors
def crawl(roadmaps, out, full, quiet, base_url, overrides) -> None:
    """Fetch metadata for every link: videos, papers, repositories, pages.

    Writes OUT/resources.jsonl, one record per resource, each with a status,
    OUT/runs/<run>/changes.md: what changed since the last run, and
    OUT/found-papers.json: the papers Semantic Scholar finds for topics with nothing to
    study (their citations order those topics; `suggest` lists them). Links fetched recently
    are not fetched again (see FRESHNESS_* settings; --full fetches all). Exit status 1
    when more links failed than FAIL_THRESHOLD allows, 2 on a usage error.
    ROADMAP defaults to the embedded NLP roadmap.

    \b
    Example:
      learngraph crawl
      learngraph crawl awesome-nlp.md -s GITHUB_TOKEN=... --out data/
      learngraph crawl awesome-nlp.md --quiet -s FAIL_THRESHOLD=0.05   # nightly
    """
    settings, models, records = crawl_roadmaps(roadmaps, out, base_url, overrides, full, quiet)
    print_statuses(records)
    console.print(f"Wrote {settings.get('OUTPUT_DIR')}/resources.jsonl ({len(records)} records)")
    search_empty_topics(settings, models)
    exit_on_failures(settings, records)
