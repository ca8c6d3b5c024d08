"""``learngraph report``: the graph as one HTML page to look at, offline."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx

from ..graph.report import write_report
from .common import console, output_file, user_errors
from .graph import default_graph, graph_option, load_graph

REPORT_FILENAME = "report.html"
# Where scheduled runs keep each run's change list: <output>/runs/<timestamp>/changes.json.
RUNS_FOLDER = "runs"


def write_report_into(G: nx.MultiDiGraph, out_dir: Path, path: Path | None = None) -> Path:
    """Write the report (OUT/report.html unless ``path``) with OUT's latest run's changes."""
    written = write_report(G, path or out_dir / REPORT_FILENAME, runs_dir=out_dir / RUNS_FOLDER)
    console.print(f"Wrote {written}")
    return written


@click.command()
@graph_option
@click.option("--out", metavar="FILE", help="The page to write (default: report.html beside the graph).")
@user_errors
def report(graph_path, out) -> None:
    """Write a self-contained HTML report: topic tree, interactive graph, study plans,
    plots, gaps and the last run's changes. It opens offline in any browser.

    \b
    Example:
      learngraph report
      learngraph report --graph output/graph.json --out roadmap.html
    """
    graph_file = Path(graph_path) if graph_path else default_graph()
    page = output_file(out or graph_file.parent / REPORT_FILENAME)
    write_report_into(load_graph(graph_path), graph_file.parent, page)
