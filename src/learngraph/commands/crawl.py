"""``learngraph crawl``: fetch the metadata of every link of one or more roadmaps."""

from __future__ import annotations

from collections import Counter

import click
from rich.table import Table

from ..crawler.records import is_failed
from ..crawler.settings import load_settings
from ..crawler.sources import Registry
from ..crawler.roadmap import read_roadmap
from .common import (base_url_option, console, output_folder, parse_overrides, settings_option,
                     user_errors)


def crawl_roadmaps(roadmaps: tuple[str, ...], out: str | None, base_url: str | None,
                   overrides: tuple[str, ...], full: bool = False, quiet: bool = False):
    """Settings, the parsed roadmaps and the crawl's records, for crawl and run alike."""
    from ..crawler.run import crawl as run_crawl  # Scrapy's import costs a second; only crawls pay it

    values = parse_overrides(overrides)
    if out:
        values["OUTPUT_DIR"] = out
    if full:
        values["FULL_CRAWL"] = "1"
    if quiet:
        values["PROGRESS_ENABLED"] = "0"
        console.quiet = True
    settings = load_settings(values)
    output_folder(settings.get("OUTPUT_DIR"))
    registry = Registry(settings.getlist("VIDEO_HOSTS"))
    models = [read_roadmap(r, registry=registry, base_url=base_url,
                           max_bytes=settings.getint("ROADMAP_MAX_BYTES"))
              for r in (roadmaps or (None,))]
    return settings, models, run_crawl(models, settings)


def print_statuses(records: list[dict]) -> None:
    table = Table("status", "resources", title="Crawl", title_justify="left")
    for status, count in Counter(r["status"] for r in records).most_common():
        table.add_row(status, str(count))
    console.print(table)
    print_failures(records)


FAILURES_SHOWN = 10


def print_failures(records: list[dict]) -> None:
    """The failed links, a screenful at most: the rest are in resources.jsonl and gaps."""
    failed = [r for r in records if is_failed(r["status"])]
    for record in failed[:FAILURES_SHOWN]:
        console.print(f"  {record['status']:<12} {record['url']}  {record.get('error', '')}",
                      markup=False, highlight=False, soft_wrap=True)
    if len(failed) > FAILURES_SHOWN:
        console.print(f"  … and {len(failed) - FAILURES_SHOWN} more failed links "
                      "(`learngraph gaps` lists them all)", highlight=False)


def exit_on_failures(settings, records: list[dict]) -> None:
    """Exit 1, for cron, when more links failed than FAIL_THRESHOLD allows."""
    failed = sum(is_failed(record["status"]) for record in records)
    threshold = settings.getfloat("FAIL_THRESHOLD")
    if records and failed / len(records) > threshold:
        click.echo(f"learngraph: {failed} of {len(records)} links failed, more than "
                   f"FAIL_THRESHOLD={threshold:g} allows", err=True)
        raise SystemExit(1)


out_option = click.option("--out", metavar="DIR", help="Output folder (default: output/).")
full_option = click.option("--full", is_flag=True,
                           help="Fetch and parse every link again, however fresh its stored record.")
quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="Print nothing but errors (for cron); the log is in OUT/crawl.log.")


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

    Writes OUT/resources.jsonl, one record per resource, each with a status, and
    OUT/runs/<run>/changes.md: what changed since the last run. Links fetched recently
    are not fetched again (see FRESHNESS_* settings; --full fetches all). Exit status 1
    when more links failed than FAIL_THRESHOLD allows, 2 on a usage error.
    ROADMAP defaults to the embedded NLP roadmap.

    \b
    Example:
      learngraph crawl
      learngraph crawl awesome-nlp.md -s GITHUB_TOKEN=... --out data/
      learngraph crawl awesome-nlp.md --quiet -s FAIL_THRESHOLD=0.05   # nightly
    """
    settings, _, records = crawl_roadmaps(roadmaps, out, base_url, overrides, full, quiet)
    print_statuses(records)
    console.print(f"Wrote {settings.get('OUTPUT_DIR')}/resources.jsonl ({len(records)} records)")
    exit_on_failures(settings, records)
