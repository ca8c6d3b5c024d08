"""`learngraph serve` as the API tests start it: a process of its own on a free port of
127.0.0.1, over the graph of the embedded roadmap and its saved crawl."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from learngraph.crawler.records import read_records
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph.build import build_and_write
from learngraph_process import start_learngraph
from report_case import CRAWL


@dataclass
class Server:
    url: str
    log: Path


@contextmanager
def serving(graph: Path, *options) -> Iterator[Server]:
    """`learngraph serve` of ``graph`` on any free port, until the block ends; what it logs
    goes to serve.log beside the graph."""
    log = graph.parent / "serve.log"
    with open(log, "w", encoding="utf-8") as errors:
        process = start_learngraph(
            "serve",
            "--graph",
            graph,
            "--port",
            0,
            *options,
            cwd=graph.parent,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
        )
    try:
        line = process.stdout.readline()
        found = re.search(r"at (http://\S+/) ", line)
        assert found, (line, log.read_text(encoding="utf-8"))
        yield Server(found.group(1), log)
    finally:
        process.terminate()
        process.wait(timeout=10)


def built(folder: Path) -> Path:
    """graph.json of the embedded roadmap and its saved crawl, built in ``folder``."""
    build_and_write(read_roadmap(None), read_records(CRAWL), folder)
    return folder / "graph.json"
