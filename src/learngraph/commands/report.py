"""``learngraph report``: the graph as one HTML page to look at, offline."""

from __future__ import annotations

from pathlib import Path

import click

from ..graph.report import REPORT_FILENAME, write_report
from .common import console, default_graph, graph_option, load_graph, output_file, user_errors


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
    console.print(f"Wrote {write_report(load_graph(graph_path), graph_file.parent, page)}")
