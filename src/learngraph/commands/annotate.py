"""``learngraph annotate``: the roadmap written back with what the graph knows."""

from __future__ import annotations

import codecs
from pathlib import Path

import click

from ..crawler.files import atomic_write
from ..crawler.roadmap import decode_text, is_url, roadmap_bytes
from ..crawler.settings import setting
from ..crawler.sources import Registry
from ..graph.annotate import FACTS, annotated_roadmap
from .common import (
    UserError,
    base_url_option,
    graph_option,
    load_graph,
    output_file,
    parse_overrides,
    settings_option,
    user_errors,
)


def parse_facts(ctx, param, value: str) -> tuple[str, ...]:
    facts = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in facts if f not in FACTS]
    if unknown or not facts:
        raise UserError(f"--facts takes some of {','.join(FACTS)}, got {value!r}")
    return facts


@click.command()
@click.argument("roadmap", required=False)
@graph_option
@click.option(
    "--out",
    metavar="FILE",
    help="Write the annotated roadmap here (ROADMAP itself too) instead of to stdout.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when the file (--out, else ROADMAP) is not what annotate would write.",
)
@click.option(
    "--facts",
    default=",".join(FACTS),
    show_default=True,
    metavar="LIST",
    callback=parse_facts,
    help="What to write: " + "; ".join(f"{name}: {what}" for name, what in FACTS.items()) + ".",
)
@base_url_option
@settings_option
@user_errors
def annotate(roadmap, graph_path, out, check, facts, base_url, overrides) -> None:
    """Write ROADMAP back with each link's facts after it (⏱ 1h 28m, ★ 128k, 📄 2023,
    archived, dead: 404) and each section's study time after its heading, from the graph
    `learngraph build` or `run` wrote. Outside the annotations the text stays byte for
    byte; running it again replaces them rather than adding them twice. ROADMAP defaults
    to the embedded NLP roadmap.

    \b
    Example:
      learngraph annotate README.md --out README.md
      learngraph annotate README.md --check          # in CI: exit 1 when out of date
      learngraph annotate README.md --facts duration,stars
    """
    values = parse_overrides(overrides)
    data, source = roadmap_bytes(roadmap, setting("ROADMAP_MAX_BYTES", values))
    G = load_graph(graph_path)
    text = annotated_roadmap(
        decode_text(data, source),
        G,
        facts,
        source=source,
        registry=Registry(setting("VIDEO_HOSTS", values)),
        base_url=base_url or (source if is_url(source) else None),
    )
    # A UTF-8 file keeps its byte order mark; any other encoding is written as UTF-8.
    annotated = (codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b"") + text.encode()
    if check:
        check_file(out or roadmap, annotated, roadmap)
    elif out:
        with atomic_write(output_file(out), "wb") as file:
            file.write(annotated)
    else:
        click.echo(annotated, nl=False)


def check_file(path: str | None, annotated: bytes, roadmap: str | None) -> None:
    """Exit 1, with one line, when the file at ``path`` is not ``annotated``, the
    annotation of ``roadmap``."""
    if path is None or is_url(path):
        raise UserError("--check compares a file: give ROADMAP or --out")
    path = Path(path)
    if not path.is_file() or path.read_bytes() != annotated:
        command = " ".join(["learngraph annotate", *([roadmap] if roadmap else []), "--out", str(path)])
        click.echo(f"learngraph: {path} is out of date; `{command}` updates it", err=True)
        raise SystemExit(1)
