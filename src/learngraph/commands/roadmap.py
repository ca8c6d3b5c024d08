"""``learngraph parse``: the roadmap model, summarised or as JSON."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click
from rich.table import Table
from rich.text import Text

from ..crawler.roadmap import Roadmap
from .common import base_url_option, console, load, settings_option, user_errors


@click.command()
@click.argument("roadmap", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole model as JSON.")
@base_url_option
@settings_option
@user_errors
def parse(roadmap: str | None, as_json: bool, base_url: str | None, overrides: tuple[str, ...]) -> None:
    """Parse a roadmap into topics, resources and items, and summarise it.

    ROADMAP is a Markdown file or URL; without it, the embedded NLP roadmap.

    \b
    Example:
      learngraph parse awesome-nlp.md --base-url https://github.com/keonkim/awesome-nlp/blob/master/README.md
    """
    model = load(roadmap, overrides, base_url)
    if as_json:
        json.dump(model.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    print_summary(model)


def print_summary(model: Roadmap) -> None:
    console.print(Text.assemble((model.title, "bold"), f"  ({model.source})"))
    console.print(
        f"{len(model.topics)} topics, {len(model.resources)} resources, "
        f"{len(model.items)} items, {len(model.ignored)} ignored links"
    )
    table = Table("kind", "resources", "done", title="Resources by kind", title_justify="left")
    kinds = Counter(r.kind for r in model.resources)
    done = Counter(r.kind for r in model.resources if r.done)
    for kind, count in kinds.most_common():
        table.add_row(kind, str(count), str(done[kind]))
    console.print(table)
    sources = Counter(r.source for r in model.resources)
    console.print("By source: " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    if model.ignored:
        reasons = Counter(i.reason for i in model.ignored)
        console.print("Ignored: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    empty = model.empty_topics
    if empty:
        console.print(f"Empty topics ({len(empty)}): " + ", ".join(t.name for t in empty))
