"""``learngraph diff``: what changed between two runs of the crawl."""

from __future__ import annotations

import json

import click

from ..crawler.changes import changes_json, changes_markdown, compare
from ..crawler.settings import load_settings
from ..crawler.state import StateDB, state_path
from ..crawler.text import printable
from .common import UserError, out_option, parse_overrides, settings_option, user_errors


@click.command()
@click.argument("run_a", required=False)
@click.argument("run_b", required=False)
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@settings_option
@user_errors
def diff(run_a, run_b, out, as_json, overrides) -> None:
    """Compare two runs: links that died or came back, redirects that moved, titles
    changed, repositories archived or with large star changes, papers with a new
    version, resources added to or removed from the roadmap.

    RUN_A and RUN_B are run ids (the folder names under OUT/runs/); by default the last
    two complete runs; RUN_A alone is compared with the last complete run.

    \b
    Example:
      learngraph diff
      learngraph diff 20260101T030000Z 20260108T030000Z --json
    """
    values = parse_overrides(overrides)
    if out:
        values["OUTPUT_DIR"] = out
    settings = load_settings(values)
    path = state_path(settings)
    if not path.exists():
        raise UserError(f"no state database at {path}: run `learngraph crawl` first")
    state = StateDB(path)
    try:
        complete = state.complete_runs()
        if run_a is None:
            if len(complete) < 2:
                raise UserError(f"diff needs two complete runs; {path} has {len(complete)}")
            run_a, run_b = complete[-2:]
        elif run_b is None:
            if not complete:
                raise UserError(f"no complete run in {path} to compare {run_a} with")
            run_b = complete[-1]
        changes = compare(
            state.snapshot(run_a),
            state.snapshot(run_b),
            settings.getint("CHANGES_STARS_MIN"),
            settings.getfloat("CHANGES_STARS_RATIO"),
        )
    finally:
        state.close()
    if as_json:
        click.echo(
            printable(json.dumps(changes_json(run_b, run_a, changes, {}), ensure_ascii=False, indent=2))
        )
    else:
        click.echo(printable(changes_markdown(run_b, run_a, changes, {})), nl=False)
