"""What the commands share, so that no command imports another: the console and its
rendering helpers, the options, the error boundary (one line and exit 2 for what a user
can fix), reading what the commands read (settings, a roadmap, the built graph), and the
crawl and build steps that ``crawl``, ``run`` and ``build`` have in common."""

from __future__ import annotations

import gc
import math
import os
import sys
from collections.abc import Iterable
from datetime import timedelta
from functools import partial, wraps
from pathlib import Path
from typing import TYPE_CHECKING

import click
import networkx as nx
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..crawler.lock import RunLocked
from ..crawler.records import is_failed
from ..crawler.settings import SettingsError, setting
from ..crawler.state import DamagedState, UnknownRun
from ..crawler.text import printable
from ..graph import store
from ..graph.build import build_and_write, build_graph
from ..graph.formats import FORMATS
from ..graph.formats.printable import json_bytes
from ..graph.payloads import build_summary, name
from ..graph.suggestions import names_to_search

if TYPE_CHECKING:  # the roadmap reader is imported by the commands that read one, not by queries
    from ..crawler.roadmap import Roadmap


class PlainConsole(Console):
    """The terminal every command prints to. Titles, names and errors come from strangers'
    pages and roadmaps, so text is shown as written: never read as markup (``[/r/ML]``,
    ``list[str]``) or emoji codes, and with no control character let through to start an
    escape sequence of its own, nor coloured by guesses at what it is (numbers, URLs).
    Styles are asked for with ``style=`` or ``Text``."""

    def __init__(self, **options):
        super().__init__(markup=False, emoji=False, highlight=False, **options)

    def render(self, renderable, options=None):
        for segment in super().render(renderable, options):
            # A control segment is the console's own (cursor moves), never text.
            yield segment if segment.control else segment._replace(text=printable(segment.text))


console = PlainConsole()


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"learngraph: error: {printable(self.message)}", err=True)


def user_mistakes() -> tuple[type[Exception], ...]:
    """The errors a user can cause. Called only when an error is on its way out, so that a
    query does not wait for the roadmap reader's imports."""
    from ..crawler.roadmap import RoadmapError

    return (RoadmapError, SettingsError, RunLocked, UnknownRun, DamagedState)


def user_errors(command):
    """Turn the errors a user can cause into one line and exit 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except user_mistakes() as error:
            raise UserError(str(error)) from None

    return wrapper


def graph_errors(command):
    """An unknown topic or a missing chain is the user's to fix: one line, exit 2."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except nx.NodeNotFound as error:
            raise UserError(str(error)) from None
        except nx.NetworkXNoPath:
            raise UserError("no prerequisite chain leads from the first topic to the second") from None

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
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a setting (see crawler/settings.py); also LEARNGRAPH_KEY in the environment.",
)
redis_option = click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="The shared Redis, redis://HOST:PORT/DB (default: the REDIS_URL setting).",
)
base_url_option = click.option(
    "--base-url", metavar="URL", help="Resolve relative links in the roadmap against this URL."
)
out_option = click.option("--out", metavar="DIR", help="Output folder (default: output/).")
full_option = click.option(
    "--full", is_flag=True, help="Fetch and parse every link again, however fresh its stored record."
)
quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="Print nothing but errors (for cron); the log is in OUT/crawl.log."
)
prereqs_option = click.option(
    "--prereqs",
    "prereqs_path",
    metavar="FILE",
    help="Extra declared prerequisites, one 'TOPIC: PREREQUISITE, PREREQUISITE' a line.",
)
aliases_option = click.option(
    "--aliases",
    "aliases_path",
    metavar="FILE",
    help="Extra names for topics, one 'NAME: ALIAS, ALIAS' a line.",
)
graph_option = click.option(
    "--graph",
    "graph_path",
    metavar="FILE",
    help="The graph `learngraph build` wrote (default: output/graph.json).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def load(roadmap: str | None, overrides: tuple[str, ...], base_url: str | None) -> Roadmap:
    from ..crawler.roadmap import read_roadmap
    from ..crawler.sources import Registry

    values = parse_overrides(overrides)
    registry = Registry(setting("VIDEO_HOSTS", values))
    return read_roadmap(
        roadmap, registry=registry, base_url=base_url, max_bytes=setting("ROADMAP_MAX_BYTES", values)
    )


def default_graph() -> Path:
    return Path(setting("OUTPUT_DIR")) / FORMATS["json"].filename


def load_graph(path: str | None) -> nx.MultiDiGraph:
    """The graph `learngraph build` wrote (``store.load_graph``); any other file is one line."""
    try:
        G = store.load_graph(path or default_graph())
    except store.GraphFileError as error:
        raise UserError(str(error)) from None
    collector_off_for_the_command()
    return G


def collector_off_for_the_command() -> None:
    """Keep the cycle collector off until the command ends. A command on a graph leaves
    little garbage in cycles, and each collection would walk the graph's millions of objects
    (and those of its cache's parts, read as the answer needs them): the first one after a
    build of 100,000 links took a second. Back on when the command's context closes, for a
    process that runs more than one (tests)."""
    if gc.isenabled():
        gc.disable()
        click.get_current_context().call_on_close(gc.enable)


# Beyond this many lines an answer is printed in plain columns rather than drawn as a
# table: rich measures and wraps every cell, about half a millisecond a line.
TABLE_LINES = 200


def print_rows(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """``rows`` under ``title``, as a table; beyond ``TABLE_LINES``, as plain lines in
    columns as wide as their widest cell, a cell of several lines going on below."""
    cells = [[cell.split("\n") for cell in row] for row in (headers, *rows)]
    if sum(max(map(len, row)) for row in cells) <= TABLE_LINES:
        table = Table(*headers, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    # The last column is as wide as each of its lines.
    widths = [max(_width(line) for row in cells for line in row[i]) for i in range(len(headers) - 1)]
    lines = [title]
    for row in cells:
        for i in range(max(map(len, row))):
            parts = [cell[i] if i < len(cell) else "" for cell in row]
            padded = [part + " " * (width - _width(part)) for part, width in zip(parts, widths)]
            lines.append("  ".join([*padded, parts[-1]]).rstrip())
    # Plain text needs none of the console's rendering, which takes seconds for 100,000 lines.
    console.file.write(printable("\n".join(lines)) + "\n")


def _width(text: str) -> int:
    """The columns ``text`` takes on a terminal, where a CJK character takes two."""
    return len(text) if text.isascii() else cell_len(text)


def print_json(data) -> None:
    """``data`` as indented UTF-8 JSON on stdout, whatever the terminal's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(json_bytes(data, indent=True) + b"\n")
    sys.stdout.buffer.flush()


def hours(seconds: float) -> str:
    """3723 -> "1h 02m"; under an hour, minutes and seconds."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m {secs:02d}s"


def count(n: int, noun: str) -> str:
    """3 -> "3 papers", 1 -> "1 paper"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


class Speed(click.ParamType):
    """A playback speed: a finite number above 0; ``nan``, ``inf``, 0 or less would turn
    every study time into nonsense."""

    name = "speed"

    def convert(self, value, param, ctx) -> float:
        option = "/".join(param.opts) if param else "speed"
        try:
            speed = float(value)
        except (TypeError, ValueError):
            speed = math.nan
        if not math.isfinite(speed) or speed <= 0:
            raise UserError(f"{option} takes a number above 0, got {value!r}")
        return speed


def output_folder(path) -> Path:
    """``path`` as a folder the command can write into, checked before any work, so a
    bad one costs nothing and leaves nothing half-written. It need not exist yet."""
    path = Path(path)
    nearest = next(p for p in (path, *path.parents) if os.path.lexists(p))
    if not nearest.is_dir():
        where = "" if nearest == path else f" ({nearest} is a file)"
        raise UserError(f"{path} is not a folder{where}")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise UserError(f"{path}: no permission to write in {nearest}")
    return path


def output_file(path) -> Path:
    """``path`` as a file the command can write, checked like ``output_folder``."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give the name of a file to write")
    output_folder(path.parent)
    return path


def print_build(G: nx.MultiDiGraph, paths) -> None:
    """What a built graph holds, what was unclear in building it, and where it is."""
    summary = build_summary(G)
    console.print(
        ", ".join(f"{n} {t} nodes" for t, n in summary["nodes"].items()) + f", {summary['edges']} edges"
    )
    console.print(
        "Prerequisites: " + (", ".join(f"{b} {n}" for b, n in summary["prerequisites"].items()) or "none")
    )
    for warning in summary["unresolved"]:
        console.print(Text.assemble(("warning:", "yellow"), f" {warning}"))
    for cycle in summary["cycles"]:
        chain = " -> ".join(name(G, step["from"]) for step in cycle["cycle"])
        removed = cycle["removed"]
        console.print(
            Text.assemble(
                ("cycle:", "yellow"),
                f" {chain} -> {name(G, cycle['cycle'][0]['from'])}; "
                f"removed {name(G, removed['from'])} -> {name(G, removed['to'])}",
            )
        )
        for step in cycle["cycle"]:
            console.print(f"  ({step['confidence']}) {step['evidence'][0]}")
    console.print("Wrote " + ", ".join(map(str, paths)))


def build_and_print(
    model: Roadmap,
    records: list[dict],
    out_dir: Path,
    prereqs_path: str | None,
    aliases_path: str | None,
    found: Iterable[dict] = (),
) -> nx.MultiDiGraph:
    """Build and write the graph (``build_and_write``), then say what it holds."""
    try:
        G, paths = build_and_write(
            model, records, out_dir, prereqs_file=prereqs_path, aliases_file=aliases_path, found=found
        )
    except (OSError, ValueError) as error:  # an unreadable sidecar file
        raise UserError(str(error)) from None
    collector_off_for_the_command()
    print_build(G, paths)
    return G


def crawl_roadmaps(
    roadmaps: tuple[str, ...],
    out: str | None,
    base_url: str | None,
    overrides: tuple[str, ...],
    full: bool = False,
    quiet: bool = False,
):
    """Settings, the parsed roadmaps and the crawl's records, for crawl and run alike."""
    # Scrapy's import costs a second; only crawls pay it.
    from ..crawler.roadmap import read_roadmap
    from ..crawler.run import crawl
    from ..crawler.settings import load_settings
    from ..crawler.sources import Registry

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
    models = [
        read_roadmap(r, registry=registry, base_url=base_url, max_bytes=settings.getint("ROADMAP_MAX_BYTES"))
        for r in (roadmaps or (None,))
    ]
    return settings, models, crawl(models, settings)


def search_empty_topics(settings, models: list[Roadmap]) -> list[dict]:
    """After a crawl: the papers Semantic Scholar's search finds for the topics the roadmaps
    give nothing to study, kept in OUT/found-papers.json as long as the papers' records
    (FRESHNESS_PAPERS_DAYS; ``--full`` asks again). Without SEMANTIC_SCHOLAR_API_URL, what
    an earlier crawl found."""
    # The sources behind the search are imported by the crawls that search, not by queries.
    from ..crawler.paper_search import read_found_papers, search_papers, search_topics, write_found_papers

    out_dir = settings.get("OUTPUT_DIR")
    api = settings.get("SEMANTIC_SCHOLAR_API_URL")
    try:
        stored = read_found_papers(out_dir)
    except ValueError as error:
        if not api:
            raise UserError(str(error)) from None
        stored = []  # a search replaces it
    if not api:
        return stored
    topics = {}
    for model in models:
        for topic, names in names_to_search(build_graph(model)).items():
            topics.setdefault(topic, names)
    found = search_topics(
        topics,
        partial(search_papers, api, settings.get("SEMANTIC_SCHOLAR_API_KEY")),
        delay=settings.getfloat("SEMANTIC_SCHOLAR_DELAY"),
        stored=stored,
        max_age=timedelta(
            days=0 if settings.getbool("FULL_CRAWL") else settings.getfloat("FRESHNESS_PAPERS_DAYS")
        ),
    )
    path = write_found_papers(out_dir, found)
    filled = sum(bool(entry["papers"]) for entry in found)
    console.print(
        f"Semantic Scholar: papers for {filled} of {len(found)} topics with nothing to study in {path}"
    )
    for entry in found:
        if "error" in entry:
            console.print(f"  {entry['names'][0]}: no answer ({entry['error']})")
    return found


FAILURES_SHOWN = 10


def print_failures(records: list[dict]) -> None:
    """The failed links, a screenful at most: the rest are in resources.jsonl and gaps."""
    failed = [r for r in records if is_failed(r["status"])]
    for record in failed[:FAILURES_SHOWN]:
        console.print(
            f"  {record['status']:<12} {record['url']}  {record.get('error', '')}",
            soft_wrap=True,
        )
    if len(failed) > FAILURES_SHOWN:
        console.print(
            f"  … and {len(failed) - FAILURES_SHOWN} more failed links (`learngraph gaps` lists them all)",
        )


def exit_on_failures(settings, records: list[dict]) -> None:
    """Exit 1, for cron, when more links failed than FAIL_THRESHOLD allows."""
    failed = sum(is_failed(r["status"]) for r in records)
    threshold = settings.getfloat("FAIL_THRESHOLD")
    if records and failed / len(records) > threshold:
        click.echo(
            f"learngraph: {failed} of {len(records)} links failed, more than "
            f"FAIL_THRESHOLD={threshold:g} allows",
            err=True,
        )
        raise SystemExit(1)


def redis_settings(redis_url: str | None, overrides: tuple[str, ...]):
    """The settings, with a REDIS_URL that answers: a missing or dead Redis is one line."""
    # Redis and Scrapy are imported only by the commands that use a shared crawl.
    import redis

    from ..crawler.settings import load_settings

    values = parse_overrides(overrides)
    if redis_url:
        values["REDIS_URL"] = redis_url
    settings = load_settings(values)
    url = settings.get("REDIS_URL")
    if not url:
        raise UserError("no Redis given: use --redis redis://HOST:PORT/DB or set REDIS_URL")
    try:
        redis.Redis.from_url(url).ping()
    except (redis.RedisError, ValueError) as error:
        raise UserError(f"cannot reach Redis at {url}: {error}") from None
    return settings
