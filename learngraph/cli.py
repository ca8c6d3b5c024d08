"""The ``learngraph`` command: argument parsing and printing only; the work lives in
crawler/, pipelines/ and graph/."""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import wraps

import click
from rich.console import Console
from rich.table import Table

from .crawler.roadmap import Roadmap, RoadmapError, read_roadmap
from .crawler.settings import load_settings
from .crawler.sources import Registry

console = Console()


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"learngraph: error: {self.message}", err=True)


def user_errors(command):
    """Turn the errors a user can cause into one line and exit 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RoadmapError as error:
            raise UserError(str(error)) from None

    return wrapper


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"-s takes KEY=VALUE, got {pair!r}")
        overrides[key.strip()] = value
    return overrides


settings_option = click.option(
    "-s", "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override a setting (see crawler/settings.py); also LEARNGRAPH_KEY in the environment.",
)
base_url_option = click.option(
    "--base-url", metavar="URL", help="Resolve relative links in the roadmap against this URL."
)


def load(roadmap: str | None, overrides: tuple[str, ...], base_url: str | None) -> Roadmap:
    settings = load_settings(parse_overrides(overrides))
    registry = Registry(settings.getlist("VIDEO_HOSTS"))
    return read_roadmap(roadmap, registry=registry, base_url=base_url,
                        max_bytes=settings.getint("ROADMAP_MAX_BYTES"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="learngraph")
def main() -> None:
    """Turn a Markdown learning roadmap into a crawled, queryable knowledge graph.

    \b
    Example:
      learngraph parse                 # the embedded NLP roadmap
      learngraph parse my-roadmap.md --json
    """


@main.command()
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
    console.print(f"[bold]{model.title}[/bold]  ({model.source})")
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
