"""The ``learngraph`` command: argument parsing and printing only; the work lives in
crawler/, pipelines/ and graph/. Each group of commands lives in learngraph/commands/."""

from __future__ import annotations

import logging
import os
import sys
from importlib import import_module

import click

# Command name -> "module:object" in learngraph.commands. A command's module is imported
# only when it runs, so `learngraph next` does not wait for Scrapy, nor `crawl` for Redis.
COMMANDS = {
    "run": "run:run",
    "parse": "roadmap:parse",
    "crawl": "crawl:crawl",
    "build": "build:build",
    "export": "build:export",
    "prereqs": "queries:prereqs",
    "plan": "queries:plan",
    "path": "queries:path",
    "next": "queries:next_command",
    "unlocks": "queries:unlocks",
    "search": "queries:search",
    "gaps": "queries:gaps",
    "suggest": "suggest:suggest",
    "report": "report:report",
    "annotate": "annotate:annotate",
    "serve": "serve:serve",
    "diff": "diff:diff",
    "enqueue": "distributed:enqueue",
    "worker": "distributed:worker",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(import_module(f"{__package__}.commands.{module}"), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="learngraph")
def main() -> None:
    """Turn a Markdown learning roadmap into a crawled, queryable knowledge graph.

    \b
    Example:
      learngraph run                   # crawl the embedded NLP roadmap, build, report
      learngraph plan LoRA --passes 3  # then ask it what to study
      learngraph parse my-roadmap.md --json
    """


def run() -> None:
    """The console entry point: ``main``, then a quick exit.

    Once a command is done, tearing the interpreter down (its modules, the graph, a crawl's
    objects) costs a sixth of `learngraph plan LoRA` (0.1 s of 0.64 s of CPU) and about as
    much of a `learngraph run` after a crawl (benchmarks/startup.py). Logs and output are
    flushed, then the process ends with click's exit code; an error still shows its
    traceback.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`learngraph parse | head`)
            pass
    os._exit(code or 0)
