"""``learngraph run``, the main job: parse, crawl, build the graph, export, summarise."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.table import Table

from ..crawler.records import VIDEO_KINDS
from ..crawler.state import StateDB, state_path
from ..crawler.text import printable
from ..graph.report import write_report
from .common import (
    aliases_option,
    base_url_option,
    build_and_print,
    console,
    count,
    crawl_roadmaps,
    exit_on_failures,
    full_option,
    hours,
    out_option,
    prereqs_option,
    print_failures,
    quiet_option,
    search_empty_topics,
    settings_option,
    user_errors,
)


@click.command()
@click.argument("roadmap", required=False)
@out_option
@full_option
@quiet_option
@prereqs_option
@aliases_option
@base_url_option
@click.option(
    "--fail-on-dead",
    is_flag=True,
    help="Exit 1 when links died since the last run (for CI; OUT/runs/<run>/changes.md lists them).",
)
@settings_option
@user_errors
def run(roadmap, out, full, quiet, prereqs_path, aliases_path, base_url, fail_on_dead, overrides) -> None:
    """Parse a roadmap, crawl every link, build the knowledge graph and export it.

    ROADMAP defaults to the embedded NLP roadmap. Writes OUT/resources.jsonl,
    OUT/found-papers.json, OUT/graph.json, OUT/graph.graphml and the HTML report
    OUT/report.html (OUT defaults to output/).

    \b
    Example:
      learngraph run
      learngraph run awesome-nlp.md -s GITHUB_TOKEN=$GITHUB_TOKEN --out data/
      learngraph run README.md --fail-on-dead        # nightly in CI
    """
    settings, models, records = crawl_roadmaps(
        (roadmap,) if roadmap else (), out, base_url, overrides, full, quiet
    )
    out_dir = Path(settings.get("OUTPUT_DIR"))
    print_summary(records)
    print_token_use(settings)
    print_failures(records)
    found = search_empty_topics(settings, models)
    G = build_and_print(models[0], records, out_dir, prereqs_path, aliases_path, found)
    console.print(f"Wrote {write_report(G, out_dir)}")
    exit_on_failures(settings, records)
    if fail_on_dead:
        exit_on_deaths(settings)


def exit_on_deaths(settings) -> None:
    """Exit 1, naming them, when links died in this run since the last complete one: the
    change report of the newest run says so (a run cut short has none, and fails no link)."""
    state = StateDB(state_path(settings))
    try:
        latest = state.runs()[-1]["id"]
    finally:
        state.close()
    report = Path(settings.get("OUTPUT_DIR")) / "runs" / latest / "changes.json"
    changes = json.loads(report.read_text(encoding="utf-8"))["changes"] if report.is_file() else []
    died = [change["url"] for change in changes if change["kind"] == "died"]
    if died:
        deaths = f"{count(len(died), 'link')} died since the last run: {' '.join(died)}"
        click.echo(printable(f"learngraph: {deaths}"), err=True)
        raise SystemExit(1)


def print_summary(records: list[dict]) -> None:
    """Resources by kind and status, and the hours of video the roadmap holds."""
    statuses = sorted({r["status"] for r in records})
    table = Table("kind", *statuses, "total", title="Resources", title_justify="left")
    by_kind = Counter((r["kind"], r["status"]) for r in records)
    for kind, total in Counter(r["kind"] for r in records).most_common():
        table.add_row(kind, *(str(by_kind[kind, s] or "") for s in statuses), str(total))
    console.print(table)
    videos = [r for r in records if r["kind"] in VIDEO_KINDS]
    known = [r["duration"] for r in videos if r.get("duration")]
    unknown = len(videos) - len(known)
    console.print(
        f"Video: {hours(sum(known))} in {len(known)} of {len(videos)} videos"
        + (f"; the length of {unknown} is unknown" if unknown else ""),
    )


def print_token_use(settings) -> None:
    """Whether GitHub API requests carried a token; never which one."""
    if settings.get("GITHUB_TOKEN"):
        console.print("GitHub API: requests sent with a token")
    else:
        console.print(
            "GitHub API: requests sent without a token (60 an hour; set GITHUB_TOKEN or GH_TOKEN for 5,000)",
        )
