"""The ``learngraph`` command: argument parsing and printing only; the work lives in
crawler/, pipelines/ and graph/. Each group of commands lives in learngraph/commands/."""

from __future__ import annotations

import click

from .commands.crawl import crawl
from .commands.distributed import enqueue, worker
from .commands.diff import diff
from .commands.graph import COMMANDS as GRAPH_COMMANDS
from .commands.report import report
from .commands.roadmap import parse
from .commands.run import run


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="learngraph")
def main() -> None:
    """Turn a Markdown learning roadmap into a crawled, queryable knowledge graph.

    \b
    Example:
      learngraph run                   # crawl the embedded NLP roadmap, build, report
      learngraph plan LoRA --passes 3  # then ask it what to study
      learngraph parse my-roadmap.md --json
    """


for command in (run, parse, crawl, enqueue, worker, diff, *GRAPH_COMMANDS, report):
    main.add_command(command)
