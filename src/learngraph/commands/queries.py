"""The learning-path queries over the built graph: ``prereqs``, ``plan``, ``path``,
``next``, ``unlocks``, ``search``, ``gaps``. Each reads the graph, asks ``graph.payloads``
and prints the answer as a table, or as it is with ``--json``."""

from __future__ import annotations

import click
from rich.text import Text

from ..graph import payloads, queries
from ..graph.payloads import name
from .common import (
    Speed,
    console,
    count,
    graph_errors,
    graph_option,
    hours,
    json_option,
    load_graph,
    print_json,
    print_rows,
    user_errors,
)


def length(data: dict) -> str:
    if "duration" in data:
        return hours(data["duration"])
    if "reading_time" in data:
        return f"{hours(data['reading_time'])} read"
    return "?"


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
    answer = payloads.prerequisites(G, topic)
    if as_json:
        print_json(answer)
        return
    rows = answer["prerequisites"]
    if not rows:
        console.print(f"{answer['name']} has no prerequisites.")
        return
    names = {answer["topic"]: answer["name"], **{row["topic"]: row["name"] for row in rows}}
    print_rows(
        f"Before {answer['name']}",
        ("#", "topic", "resources", "why first"),
        [
            (
                str(number),
                row["name"],
                str(len(row["resources"])),
                "\n".join(
                    f"-> {names[r['before']]} ({r['confidence']}) {r['evidence'][0]}" for r in row["reasons"]
                ),
            )
            for number, row in enumerate(rows, 1)
        ],
    )


@click.command()
@click.argument("topic")
@click.option("--skip-done", is_flag=True, help="Leave out resources marked done.")
@click.option(
    "--speed", type=Speed(), default=1.0, show_default=True, help="Your playback speed for the first pass."
)
@click.option(
    "--passes",
    type=click.IntRange(1, len(queries.METHOD_SPEEDS)),
    default=1,
    show_default=True,
    help="Watch each video N times at 1x, 1.25x, 1.5x (times --speed).",
)
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
    result = payloads.plan(G, topic, skip_done=skip_done, speed=speed, passes=passes)
    if as_json:
        print_json(result)
        return
    print_rows(
        f"Plan for {name(G, result['topic'])}",
        ("#", "topic", "resource", "kind", "length"),
        [
            (
                str(number) if i == 0 else "",
                step["name"] if i == 0 else "",
                ("✓ " if resource.get("done") else "") + resource.get("title", "(nothing listed)"),
                resource.get("kind", ""),
                length(resource) if resource else "",
            )
            for number, step in enumerate(result["steps"], 1)
            for i, resource in enumerate(step["resources"] or [{}])
        ],
    )
    speeds = ", ".join(f"{s:g}x" for s in result["speeds"])
    console.print(
        f"{count(result['resources'], 'resource')} in {count(len(result['steps']), 'step')}, "
        f"{count(result['papers'], 'paper')}"
    )
    console.print(f"Video {hours(result['video_time'])}, watched at {speeds}: {hours(result['watch_time'])}")
    console.print(f"Reading {hours(result['reading_time'])}")
    if result["estimated"]:
        console.print(
            f"Papers, estimated from their length ({len(result['estimated'])}): "
            f"about {hours(result['estimated_reading_time'])}, not in the study time"
        )
    console.print(f"Study time {hours(result['study_time'])}", style="bold")
    if result["unknown_length"]:
        titles = {r["id"]: r.get("title") for step in result["steps"] for r in step["resources"]}
        console.print(
            f"Unknown length, not counted ({len(result['unknown_length'])}): "
            + ", ".join(titles[r] or r for r in result["unknown_length"]),
            soft_wrap=True,  # wrapped by the terminal: rich's wrapping takes seconds for thousands of titles
        )
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
    answer = payloads.path(G, source, target)
    if as_json:
        print_json(answer)
        return
    console.print(" -> ".join(name(G, t) for t in answer["path"]))
    for step in answer["steps"]:
        console.print(
            f"  {name(G, step['from'])} -> {name(G, step['to'])} ({step['confidence']}) "
            f"{step['evidence'][0]}",
        )


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
    rows = payloads.next_topics(load_graph(graph_path))
    if as_json:
        print_json(rows)
        return
    print_rows(
        "Next", ("topic", "left to study", "id"), [(r["name"], str(len(r["left"])), r["topic"]) for r in rows]
    )


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
    answer = payloads.unlocks(G, topic)
    if as_json:
        print_json(answer)
        return
    rows = answer["unlocks"]
    if not rows:
        console.print(f"Nothing builds on {answer['name']}.")
        return
    names = {answer["topic"]: answer["name"], **{row["topic"]: row["name"] for row in rows}}
    print_rows(
        f"{answer['name']} leads to",
        ("#", "topic", "needs"),
        [
            (str(number), row["name"], "\n".join(f"{names[r['after']]} ({r['basis']})" for r in row["after"]))
            for number, row in enumerate(rows, 1)
        ],
    )


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
    rows = payloads.search(load_graph(graph_path), text)
    if as_json:
        print_json(rows)
        return
    print_rows(
        f"Matching {text!r}",
        ("type", "name", "matched in", "id"),
        [(r["type"], r["label"], r["field"], r["id"]) for r in rows],
    )


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
            detail = (
                f"  {data.get('status', '')}  {data.get('error', '')}" if data["type"] == "resource" else ""
            )
            console.print(Text.assemble(f"  {queries.label(G, node)}  ", (node, "dim"), detail))
