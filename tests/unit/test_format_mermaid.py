"""The Mermaid export reads back into the prerequisite graph, and each line keeps to
Mermaid's flowchart grammar."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from learngraph.graph.formats import FORMATS, mermaid
from mermaid_parser import mermaid_reads

# The forms of line Mermaid's flowchart grammar reads as the export means them. A label is
# a quoted string holding no quote, and no #, ;, <, >, &, %, ` or \ but in an entity code.
LABEL = r'"(?:[^"#;<>&%`\\\n]|#\d+;)+"'
LINE = re.compile(
    rf"flowchart TD|  subgraph s\d+\[{LABEL}\]|    t\d+\[{LABEL}\]|  end|  t\d+ -->\|{LABEL}\| t\d+"
)


def grammar_errors(text: str) -> list[str]:
    """The lines that are not one of the export's forms, and subgraphs left open."""
    lines = text.splitlines()
    bad = [line for line in lines if not LINE.fullmatch(line)]
    opened = sum(line.startswith("  subgraph ") for line in lines)
    return bad + (["subgraphs not closed"] if opened != lines.count("  end") else [])


@pytest.fixture(scope="module")
def chart(embedded_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("mermaid") / "graph.mmd"
    FORMATS["mermaid"].write(embedded_graph, path)
    return path


def test_the_flowchart_reads_back_into_the_prerequisite_graph(embedded_graph, chart):
    read = FORMATS["mermaid"].read(chart)
    name = {n: d.get("name") for n, d in embedded_graph.nodes(data=True)}
    edges = [
        (u, v, d["basis"]) for u, v, k, d in embedded_graph.edges(keys=True, data=True) if k == "prerequisite"
    ]
    assert Counter((read.labels[u], read.labels[v], b) for u, v, b in read.edges) == Counter(
        (name[u], name[v], b) for u, v, b in edges
    )
    assert sorted(read.labels.values()) == sorted({name[t] for u, v, _ in edges for t in (u, v)})
    assert read.sections == [
        (
            "Roadmap",
            ["Neural Network", "Transformer", "GPT和大模型RLHF训练", "Instruct-fine-tuning"]
            + ["DeepSpeed", "LLaMA", "OpenAI接口整活"],
        )
    ]


def test_the_flowchart_keeps_to_the_grammar(chart):
    text = chart.read_text(encoding="utf-8")
    assert text.startswith("flowchart TD\n")
    assert grammar_errors(text) == []
    assert '  t0 -->|"order"| t1' in text.splitlines()


def test_mermaid_reads_the_flowchart_as_written(embedded_graph, chart):
    read = mermaid_reads(chart)
    ours = FORMATS["mermaid"].read(chart)
    assert read["labels"] == ours.labels
    assert [tuple(edge) for edge in read["edges"]] == ours.edges
    assert [label for label, _ in ours.sections] == [title for title, _ in read["sections"]]
    assert [[ours.labels[n] for n in nodes] for _, nodes in read["sections"]] == [m for _, m in ours.sections]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ('Say "hi"', "Say #34;hi#34;"),
        ("C# and F#", "C#35; and F#35;"),
        ("a; b", "a#59; b"),
        ("<b>bold</b> & co", "#60;b#62;bold#60;/b#62; #38; co"),
        ("`markdown`", "#96;markdown#96;"),
        ("100% %%", "100#37; #37;#37;"),
        ("[x] (y) {z}", "[x] (y) {z}"),
        ("深度学习", "深度学习"),
        ("two\nlines", "two lines"),
    ],
)
def test_labels_escape_what_mermaid_reads_as_syntax(name, label):
    assert mermaid.mermaid_label(name) == label
    assert mermaid.unlabel(label) == " ".join(name.split())
