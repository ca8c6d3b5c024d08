"""``learngraph build``, ``export`` and the learning-path queries over the built graph."""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import wraps
from pathlib import Path

import click
import networkx as nx
from rich.table import Table
from rich.text import Text

from ..crawler.records import read_records
from ..crawler.settings import load_settings
from ..graph import queries
from ..graph.aliases import read_name_lists, resolve_topic
from ..graph.build import build_and_write
from ..graph.export import FORMATS, label, read_json
from ..graph.prerequisites import read_declarations
from ..crawler.text import printable
from .common import (Speed, UserError, base_url_option, console, load, output_file, output_folder,
                     parse_overrides, redis_option, settings_option, user_errors)


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


def default_graph() -> Path:
    return Path(load_settings({}).get("OUTPUT_DIR")) / FORMATS["json"].filename


NODE_TYPES = ("topic", "resource", "item", "person")
# Formats that write a folder of files rather than one file.
FOLDER_FORMATS = ("neo4j",)


def load_graph(path: str | None) -> nx.MultiDiGraph:
    """The graph `learngraph build` wrote; any other file, JSON or not, is one line."""
    path = Path(path) if path else default_graph()
    if not path.is_file():
        raise UserError(f"{path}: no graph there; run `learngraph build` first")
    try:
        G = read_json(path)
    except OSError as error:
        raise UserError(f"{path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # what odd JSON raises
        raise UserError(f"{path}: not a learngraph graph ({type(error).__name__}: {error})") from None
    if not (isinstance(G.graph, dict) and "title" in G.graph
            and all(data.get("type") in NODE_TYPES for _, data in G.nodes(data=True))):
        raise UserError(f"{path}: not a learngraph graph (written by something else)")
    return G


prereqs_option = click.option(
    "--prereqs", "prereqs_path", metavar="FILE",
    help="Extra declared prerequisites, one 'TOPIC: PREREQUISITE, PREREQUISITE' a line.")
aliases_option = click.option(
    "--aliases", "aliases_path", metavar="FILE",
    help="Extra names for topics, one 'NAME: ALIAS, ALIAS' a line.")
graph_option = click.option("--graph", "graph_path", metavar="FILE",
                            help="The graph `learngraph build` wrote (default: output/graph.json).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def print_json(data) -> None:
    # Raw characters json leaves unescaped (DEL, C1 controls, lone surrogates) occur only
    # inside strings, so taking them out keeps the JSON valid.
    sys.stdout.write(printable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def hours(seconds: float) -> str:
    """3723 -> "1h 02m"; under an hour, minutes and seconds."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m {secs:02d}s"


def count(n: int, noun: str) -> str:
    """3 -> "3 papers", 1 -> "1 paper"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def name(G: nx.MultiDiGraph, topic: str) -> str:
    return G.nodes[topic]["name"]


def resource_summary(G: nx.MultiDiGraph, resource: str) -> dict:
    data = G.nodes[resource]
    keys = ("title", "kind", "url", "status", "done", "duration", "reading_time")
    return {"id": resource, **{k: data[k] for k in keys if k in data}}


def length(data: dict) -> str:
    if "duration" in data:
        return hours(data["duration"])
    if "reading_time" in data:
        return f"{hours(data['reading_time'])} read"
    return "?"


@click.command()
@click.argument("roadmap", required=False)
@click.option("--resources", "resources_path", metavar="FILE",
              help="The crawl's records (default: OUT/resources.jsonl); without it, every resource is pending.")
@click.option("--out", metavar="DIR", help="Where to write graph.json and graph.graphml (default: output/).")
@redis_option
@prereqs_option
@aliases_option
@base_url_option
@settings_option
@user_errors
def build(roadmap, resources_path, out, redis_url, prereqs_path, aliases_path, base_url,
          overrides) -> None:
    """Build the knowledge graph from a roadmap and its crawl.

    ROADMAP defaults to the embedded NLP roadmap.

    \b
    Example:
      learngraph build --resources output/resources.jsonl --out output/
      learngraph build my-roadmap.md --prereqs prereqs.txt
      learngraph build my-roadmap.md --redis redis://crawl-db:6379/0   # after workers
    """
    out_dir = output_folder(out or load_settings(parse_overrides(overrides)).get("OUTPUT_DIR"))
    model = load(roadmap, overrides, base_url)
    if redis_url:
        from .distributed import shared_records  # Redis is imported only when asked for

        records = shared_records(redis_url, overrides)
        console.print(f"{len(records)} records from the distributed crawl at {redis_url}")
        build_and_report(model, records, out_dir, prereqs_path, aliases_path)
        return
    resources_path = Path(resources_path) if resources_path else out_dir / "resources.jsonl"
    try:
        records = read_records(resources_path) if resources_path.is_file() else []
    except (OSError, ValueError) as error:
        raise UserError(str(error)) from None
    if not resources_path.is_file():
        console.print(f"No crawl at {resources_path}: building from the roadmap alone.")
    build_and_report(model, records, out_dir, prereqs_path, aliases_path)


def build_and_report(model, records, out_dir: Path, prereqs_path: str | None,
                     aliases_path: str | None) -> nx.MultiDiGraph:
    """Build and write the graph, then say what it holds, what was unclear and where it is."""
    try:
        declarations = read_declarations(prereqs_path) if prereqs_path else []
        aliases = [[n, *values] for n, values, _ in read_name_lists(aliases_path)] if aliases_path else []
    except (OSError, ValueError) as error:
        raise UserError(str(error)) from None
    G, paths = build_and_write(model, records, out_dir, declarations=declarations, aliases=aliases)
    kinds = Counter(data["type"] for _, data in G.nodes(data=True))
    bases = Counter(d["basis"] for _, _, k, d in G.edges(keys=True, data=True) if k == "prerequisite")
    console.print(", ".join(f"{n} {t} nodes" for t, n in kinds.items()) + f", {G.number_of_edges()} edges")
    console.print("Prerequisites: " + (", ".join(f"{b} {n}" for b, n in bases.items()) or "none"))
    for warning in G.graph["unresolved"]:
        console.print(Text.assemble(("warning:", "yellow"), f" {warning}"))
    for cycle in G.graph["cycles"]:
        chain = " -> ".join(name(G, step["from"]) for step in cycle["cycle"])
        removed = cycle["removed"]
        console.print(Text.assemble(("cycle:", "yellow"), f" {chain} -> {name(G, cycle['cycle'][0]['from'])}; "
                                    f"removed {name(G, removed['from'])} -> {name(G, removed['to'])}"))
        for step in cycle["cycle"]:
            console.print(f"  ({step['confidence']}) {step['evidence'][0]}",
                          markup=False, highlight=False)
    console.print("Wrote " + ", ".join(map(str, paths)))
    return G


@click.command()
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), required=True,
              help="GraphML, node-link JSON, schema.org JSON-LD, GEXF, Cytoscape.js or Neo4j CSVs.")
@graph_option
@click.option("--out", metavar="PATH", help="File to write (a folder for neo4j; default: in output/).")
@user_errors
def export(format_name, graph_path, out) -> None:
    """Write the graph for another tool: Gephi, Cytoscape, Neo4j, yEd, search engines.

    \b
    Example:
      learngraph export --format gexf --out roadmap.gexf
      learngraph export --format neo4j --out output/neo4j/
    """
    fmt = FORMATS[format_name]
    path = out or default_graph().parent / fmt.filename
    path = output_folder(path) if format_name in FOLDER_FORMATS else output_file(path)
    G = load_graph(graph_path)
    fmt.write(G, path)
    console.print(f"Wrote {path}")


@click.command()
@click.argument("topic")
@graph_option
@json_option
@user_errors
@graph_errors
def prereqs(topic, graph_path, as_json) -> None:
    """List what to learn before TOPIC, in order, and why each comes first.

    TOPIC is a topic id, name, alias or unambiguous prefix, in any case.

    \b
    Example:
      learngraph prereqs LLaMA
    """
    G = load_graph(graph_path)
    topic = resolve_topic(G, topic)
    before = queries.prerequisites(G, topic)
    edges = queries.prerequisite_edges(G, [*before, topic])
    rows = [{"topic": t, "name": name(G, t), "resources": queries.topic_resources(G, t),
             "reasons": [{"before": v, **d} for u, v, d in edges if u == t]} for t in before]
    if as_json:
        print_json({"topic": topic, "name": name(G, topic), "prerequisites": rows})
        return
    table = Table("#", "topic", "resources", "why first", title=f"Before {name(G, topic)}",
                  title_justify="left")
    for number, row in enumerate(rows, 1):
        why = "\n".join(f"-> {name(G, r['before'])} ({r['confidence']}) {r['evidence'][0]}"
                        for r in row["reasons"])
        table.add_row(str(number), row["name"], str(len(row["resources"])), why)
    console.print(table if rows else f"{name(G, topic)} has no prerequisites.")


@click.command()
@click.argument("topic")
@click.option("--skip-done", is_flag=True, help="Leave out resources marked done.")
@click.option("--speed", type=Speed(), default=1.0, show_default=True,
              help="Your playback speed for the first pass.")
@click.option("--passes", type=click.IntRange(1, len(queries.METHOD_SPEEDS)), default=1,
              show_default=True, help="Watch each video N times at 1x, 1.25x, 1.5x (times --speed).")
@graph_option
@json_option
@user_errors
@graph_errors
def plan(topic, skip_done, speed, passes, graph_path, as_json) -> None:
    """A study plan for TOPIC: steps, resources and how many hours.

    \b
    Example:
      learngraph plan LLaMA --skip-done --passes 3
    """
    G = load_graph(graph_path)
    result = queries.plan(G, resolve_topic(G, topic), skip_done=skip_done, speed=speed, passes=passes)
    for step in result["steps"]:
        step["name"] = name(G, step["topic"])
        step["resources"] = [resource_summary(G, r) for r in step["resources"]]
    if as_json:
        print_json(result)
        return
    table = Table("#", "topic", "resource", "kind", "length", title=f"Plan for {name(G, result['topic'])}",
                  title_justify="left")
    for number, step in enumerate(result["steps"], 1):
        for i, resource in enumerate(step["resources"] or [{}]):
            table.add_row(str(number) if i == 0 else "", step["name"] if i == 0 else "",
                          ("✓ " if resource.get("done") else "") + resource.get("title", "(nothing listed)"),
                          resource.get("kind", ""), length(resource) if resource else "")
    console.print(table)
    speeds = ", ".join(f"{s:g}x" for s in result["speeds"])
    console.print(f"{count(result['resources'], 'resource')} in {count(len(result['steps']), 'step')}, "
                  f"{count(result['papers'], 'paper')}")
    console.print(f"Video {hours(result['video_time'])}, watched at {speeds}: {hours(result['watch_time'])}")
    console.print(f"Reading {hours(result['reading_time'])}")
    if result["estimated"]:
        console.print(f"Papers, estimated from their length ({len(result['estimated'])}): "
                      f"about {hours(result['estimated_reading_time'])}, not in the study time")
    console.print(f"Study time {hours(result['study_time'])}", style="bold")
    if result["unknown_length"]:
        console.print(f"Unknown length, not counted ({len(result['unknown_length'])}): "
                      + ", ".join(label(G, r) for r in result["unknown_length"]), highlight=False)
    if result["skipped_done"]:
        console.print(f"Skipped as done: {len(result['skipped_done'])}")


@click.command()
@click.argument("source")
@click.argument("target")
@graph_option
@json_option
@user_errors
@graph_errors
def path(source, target, graph_path, as_json) -> None:
    """The shortest prerequisite chain from SOURCE to TARGET.

    \b
    Example:
      learngraph path "Neural Network" LLaMA
    """
    G = load_graph(graph_path)
    chain = queries.prerequisite_path(G, resolve_topic(G, source), resolve_topic(G, target))
    steps = [{"from": u, "to": v, **G.edges[u, v, "prerequisite"]} for u, v in zip(chain, chain[1:])]
    if as_json:
        print_json({"path": chain, "steps": steps})
        return
    console.print(" -> ".join(name(G, t) for t in chain))
    for step in steps:
        console.print(f"  {name(G, step['from'])} -> {name(G, step['to'])} ({step['confidence']}) "
                      f"{step['evidence'][0]}", markup=False, highlight=False)


@click.command("next")
@graph_option
@json_option
@user_errors
def next_command(graph_path, as_json) -> None:
    """Topics to study next: every prerequisite is done, the topic itself is not.

    Done comes from the roadmap's marks (DONE[...](...), - [x]).

    \b
    Example:
      learngraph next --json
    """
    G = load_graph(graph_path)
    rows = [{"topic": t, "name": name(G, t),
             "left": [r for r in queries.topic_resources(G, t) if not G.nodes[r]["done"]]}
            for t in queries.next_topics(G)]
    if as_json:
        print_json(rows)
        return
    table = Table("topic", "left to study", "id", title="Next", title_justify="left")
    for row in rows:
        table.add_row(row["name"], str(len(row["left"])), row["topic"])
    console.print(table)


@click.command()
@click.argument("topic")
@graph_option
@json_option
@user_errors
@graph_errors
def unlocks(topic, graph_path, as_json) -> None:
    """What TOPIC leads to: every topic that needs it, directly or through others.

    \b
    Example:
      learngraph unlocks Transformer
    """
    G = load_graph(graph_path)
    topic = resolve_topic(G, topic)
    after = queries.unlocks(G, topic)
    edges = queries.prerequisite_edges(G, [topic, *after])
    rows = [{"topic": t, "name": name(G, t), "after": [{"after": u, **d} for u, v, d in edges if v == t]}
            for t in after]
    if as_json:
        print_json({"topic": topic, "name": name(G, topic), "unlocks": rows})
        return
    table = Table("#", "topic", "needs", title=f"{name(G, topic)} leads to", title_justify="left")
    for number, row in enumerate(rows, 1):
        table.add_row(str(number), row["name"],
                      "\n".join(f"{name(G, r['after'])} ({r['basis']})" for r in row["after"]))
    console.print(table if rows else f"Nothing builds on {name(G, topic)}.")


@click.command()
@click.argument("text")
@graph_option
@json_option
@user_errors
def search(text, graph_path, as_json) -> None:
    """Topics and resources whose names, titles or abstracts contain TEXT.

    \b
    Example:
      learngraph search attention
    """
    G = load_graph(graph_path)
    rows = [{"id": n, "type": G.nodes[n]["type"], "label": label(G, n), "field": f}
            for n, f in queries.search(G, text)]
    if as_json:
        print_json(rows)
        return
    table = Table("type", "name", "matched in", "id", title=f"Matching {text!r}", title_justify="left")
    for row in rows:
        table.add_row(row["type"], row["label"], row["field"], row["id"])
    console.print(table)


@click.command()
@graph_option
@json_option
@user_errors
def gaps(graph_path, as_json) -> None:
    """What is missing: topics without resources, dead links, failed or partial metadata.

    \b
    Example:
      learngraph gaps
    """
    G = load_graph(graph_path)
    found = queries.gaps(G)
    if as_json:
        print_json(found)
        return
    for section, nodes in found.items():
        console.print(Text.assemble((section.replace("_", " ").capitalize(), "bold"), f" ({len(nodes)})"))
        for node in nodes:
            data = G.nodes[node]
            detail = f"  {data.get('status', '')}  {data.get('error', '')}" if data["type"] == "resource" else ""
            console.print(Text.assemble(f"  {label(G, node)}  ", (node, "dim"), detail))
