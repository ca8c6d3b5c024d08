"""A Mermaid flowchart of the prerequisite graph, for a README that GitHub renders: the
topics that have a prerequisite or are one, grouped by top-level section, each edge
labelled by its basis.

Node ids are generated (``t0``, ``t1``...), never a topic's id, which could be a word
Mermaid reserves; every label is a quoted string in which the characters Mermaid reads
as syntax, entities or HTML are written as its entity codes (``#35;`` for ``#``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import networkx as nx

from learngraph.crawler.files import atomic_write
from learngraph.crawler.text import one_line

# The end of a quoted string, an entity code's start and end, HTML, a Markdown string's
# backtick, a comment's %.
SYNTAX = re.compile(r'["#;<>&%`\\]')
ENTITY = re.compile(r"#(\d+);")
LABEL = r'"([^"\n]*)"'
NODE = re.compile(rf"\s*(t\d+)\[{LABEL}\]")
EDGE = re.compile(rf"\s*(t\d+) -->\|{LABEL}\| (t\d+)")
SUBGRAPH = re.compile(rf"\s*subgraph s\d+\[{LABEL}\]")


def mermaid_label(text: str) -> str:
    """``text`` on one line, for between the quotes of a label.

    >>> mermaid_label('C# "Basics"; <b>')
    'C#35; #34;Basics#34;#59; #60;b#62;'
    """
    return SYNTAX.sub(lambda m: f"#{ord(m.group())};", " ".join(one_line(text)[0].split()))


def unlabel(label: str) -> str:
    """The text a label shows: its entity codes decoded."""
    return ENTITY.sub(lambda m: chr(int(m.group(1))), label)


def _section(G: nx.MultiDiGraph, topic: str) -> str:
    """The top-level section a topic is under (itself at the top)."""
    while parents := [v for _, v, k in G.out_edges(topic, keys=True) if k == "subtopic_of"]:
        topic = parents[0]
    return topic


def mermaid_text(G: nx.MultiDiGraph) -> str:
    """The flowchart: sections as subgraphs in roadmap order, then the edges."""
    edges = [(u, v, d["basis"]) for u, v, k, d in G.edges(keys=True, data=True) if k == "prerequisite"]
    topics = sorted({t for u, v, _ in edges for t in (u, v)}, key=lambda t: G.nodes[t]["index"])
    ids = {t: f"t{i}" for i, t in enumerate(topics)}
    sections: dict[str, list[str]] = {}
    for topic in topics:
        sections.setdefault(_section(G, topic), []).append(topic)
    lines = ["flowchart TD"]
    for number, (section, members) in enumerate(sections.items()):
        lines.append(f'  subgraph s{number}["{_label(G, section)}"]')
        lines += [f'    {ids[t]}["{_label(G, t)}"]' for t in members]
        lines.append("  end")
    lines += [f'  {ids[u]} -->|"{mermaid_label(basis)}"| {ids[v]}' for u, v, basis in edges]
    return "\n".join(lines) + "\n"


def _label(G: nx.MultiDiGraph, topic: str) -> str:
    # An empty label is no label to Mermaid: fall back on the id.
    return mermaid_label(G.nodes[topic]["name"]) or mermaid_label(topic) or "topic"


def write_mermaid(G: nx.MultiDiGraph, path) -> None:
    text = mermaid_text(G)
    with atomic_write(path) as file:
        file.write(text)


@dataclass
class Flowchart:
    """What a flowchart shows: each node's label, the labelled edges between node ids, and
    the labels of the nodes in each section."""

    labels: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def read_mermaid(path) -> Flowchart:
    """The flowchart in ``path``; ValueError for a line that is none of the export's."""
    chart = Flowchart()
    members: list[str] = []
    with open(path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    for number, line in enumerate(lines, 1):
        if node := NODE.fullmatch(line):
            chart.labels[node[1]] = unlabel(node[2])
            members.append(chart.labels[node[1]])
        elif edge := EDGE.fullmatch(line):
            chart.edges.append((edge[1], edge[3], unlabel(edge[2])))
        elif section := SUBGRAPH.fullmatch(line):
            members = []
            chart.sections.append((unlabel(section[1]), members))
        elif line.strip() == "end":
            members = []
        elif (number, line) != (1, "flowchart TD"):
            raise ValueError(f"{path}: line {number} is not a line of a learngraph flowchart")
    if unknown := {n for u, v, _ in chart.edges for n in (u, v)} - chart.labels.keys():
        raise ValueError(f"{path}: edges between nodes never declared: {sorted(unknown)}")
    return chart
