"""``learngraph build`` and ``export``: the knowledge graph written, for querying and for
other tools."""

from __future__ import annotations

from pathlib import Path

import click

from ..crawler.paper_search import read_found_papers
from ..crawler.records import read_records
from ..crawler.settings import setting
from ..graph.formats import FORMATS
from .common import (
    UserError,
    aliases_option,
    base_url_option,
    build_and_print,
    console,
    default_graph,
    graph_option,
    load,
    load_graph,
    output_file,
    output_folder,
    parse_overrides,
    prereqs_option,
    redis_option,
    redis_settings,
    settings_option,
    user_errors,
)


@click.command()
@click.argument("roadmap", required=False)
@click.option(
    "--resources",
    "resources_path",
    metavar="FILE",
    help="The crawl's records (default: OUT/resources.jsonl); without it, every resource is pending.",
)
@click.option("--out", metavar="DIR", help="Where to write graph.json and graph.graphml (default: output/).")
@redis_option
@prereqs_option
@aliases_option
@base_url_option
@settings_option
@user_errors
def build(roadmap, resources_path, out, redis_url, prereqs_path, aliases_path, base_url, overrides) -> None:
    """Build the knowledge graph from a roadmap and its crawl.

    ROADMAP defaults to the embedded NLP roadmap. The papers the crawl found for topics
    with nothing to study are read from found-papers.json beside the records.

    \b
    Example:
      learngraph build --resources output/resources.jsonl --out output/
      learngraph build my-roadmap.md --prereqs prereqs.txt
      learngraph build my-roadmap.md --redis redis://crawl-db:6379/0   # after workers
    """
    out_dir = output_folder(out or setting("OUTPUT_DIR", parse_overrides(overrides)))
    model = load(roadmap, overrides, base_url)
    if redis_url:
        from ..crawler.frontier import Frontier  # Redis is imported only when asked for

        records = Frontier.from_settings(redis_settings(redis_url, overrides)).read_records()
        console.print(f"{len(records)} records from the distributed crawl at {redis_url}")
        build_and_print(model, records, out_dir, prereqs_path, aliases_path)
        return
    resources_path = Path(resources_path) if resources_path else out_dir / "resources.jsonl"
    try:
        records = read_records(resources_path) if resources_path.is_file() else []
        found = read_found_papers(resources_path.parent)
    except (OSError, ValueError) as error:
        raise UserError(str(error)) from None
    if not resources_path.is_file():
        console.print(f"No crawl at {resources_path}: building from the roadmap alone.")
    build_and_print(model, records, out_dir, prereqs_path, aliases_path, found)


@click.command()
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="GraphML, node-link JSON, schema.org JSON-LD, RDF Turtle, GEXF, Cytoscape.js, Neo4j CSVs,"
    " Obsidian notes or a Mermaid flowchart.",
)
@graph_option
@click.option(
    "--out", metavar="PATH", help="File to write (a folder for neo4j and obsidian; default: in output/)."
)
@user_errors
def export(format_name, graph_path, out) -> None:
    """Write the graph for another tool: Gephi, Cytoscape, Neo4j, yEd, RDF stores, Obsidian,
    a README's Mermaid diagram, search engines.

    \b
    Example:
      learngraph export --format gexf --out roadmap.gexf
      learngraph export --format neo4j --out output/neo4j/
      learngraph export --format turtle --out roadmap.ttl
      learngraph export --format obsidian --out vault/roadmap/
      learngraph export --format mermaid --out roadmap.mmd
    """
    fmt = FORMATS[format_name]
    path = out or default_graph().parent / fmt.filename
    path = output_folder(path) if fmt.folder else output_file(path)
    G = load_graph(graph_path)
    fmt.write(G, path)
    console.print(f"Wrote {path}")
