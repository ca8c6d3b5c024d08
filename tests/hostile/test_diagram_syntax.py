"""Topic names and link titles that are Mermaid or Markdown syntax (quotes, brackets, `#`,
`;`, `%%`, backticks, HTML, `end`, arrows): the flowchart keeps to Mermaid's grammar and
the notes to plain text, and both read back to the names and titles as written, Mermaid's
own parser (Node.js) included."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from learngraph.cli import main
from learngraph.crawler.roadmap.syntax import MARKDOWN, plain_text
from learngraph.crawler.text import one_line
from learngraph.graph.formats import FORMATS, mermaid, obsidian
from learngraph.graph.formats.node_link import read_json
from learngraph.graph.queries import topic_resources
from mermaid_parser import mermaid_reads

NAMES = [
    '"Quoted" [x] (y) {z}',
    "C# ; %% not a comment",
    "end",
    "A --> B |label| ;",
    "x < y & #35; codes",
    "深度学习 flowchart LR",
]
TITLES = ["**bold** [x](y) `code`", "$x^2$ ==hl== %%c%% #tag", "a\\*b\\*"]
ROADMAP = "# Syntax\n## Roadmap\n" + "".join(
    f"### {name}\n- [{TITLES[i % 3]}](https://example.org/{i})\n" for i, name in enumerate(NAMES)
)
# The forms of line that Mermaid's flowchart grammar reads as the export means them.
LABEL = r'"(?:[^"#;<>&%`\\\n]|#\d+;)+"'
LINE = re.compile(
    rf"flowchart TD|  subgraph s\d+\[{LABEL}\]|    t\d+\[{LABEL}\]|  end|  t\d+ -->\|{LABEL}\| t\d+"
)


@pytest.fixture
def exported(tmp_path):
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(ROADMAP, encoding="utf-8")
    graph = str(tmp_path / "graph.json")
    for args in (
        ["build", str(roadmap), "--out", str(tmp_path)],
        ["export", "--format", "mermaid", "--graph", graph, "--out", str(tmp_path / "graph.mmd")],
        ["export", "--format", "obsidian", "--graph", graph, "--out", str(tmp_path / "notes")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return read_json(graph), tmp_path


def test_the_flowchart_keeps_to_the_grammar_and_reads_back_the_names(exported):
    G, folder = exported
    lines = (folder / "graph.mmd").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not LINE.fullmatch(line)] == []
    chart = FORMATS["mermaid"].read(folder / "graph.mmd")
    names = {d["name"] for _, d in G.nodes(data=True) if d["type"] == "topic"}
    assert set(NAMES) <= names
    assert set(chart.labels.values()) == set(NAMES)
    pairs = {
        (G.nodes[u]["name"], G.nodes[v]["name"]) for u, v, k in G.edges(keys=True) if k == "prerequisite"
    }
    assert len(pairs) == len(NAMES) - 1
    assert {(chart.labels[u], chart.labels[v]) for u, v, _ in chart.edges} == pairs


def test_the_notes_show_names_and_titles_as_text(exported):
    G, folder = exported
    for topic, data in G.nodes(data=True):
        if data["type"] != "topic" or data["name"] not in NAMES:
            continue
        note = next(p for p in (folder / "notes").iterdir() if f"id: {topic}\n" in p.read_text("utf-8"))
        tree = MARKDOWN.tree(note.read_text(encoding="utf-8").split("\n---\n", 1)[1])
        heading = next(n for n in tree.walk() if n.name == "heading")
        assert plain_text(heading.children) == data["name"]
        links = [(n.meta["url"], plain_text(n.children)) for n in tree.walk() if n.name == "link"]
        assert links == [(G.nodes[r]["url"], G.nodes[r]["title"]) for r in topic_resources(G, topic)]


def test_mermaid_itself_reads_the_names_as_written(exported):
    G, folder = exported
    read = mermaid_reads(folder / "graph.mmd")
    assert sorted(read["labels"].values()) == sorted(NAMES)
    labels = read["labels"]
    pairs = {
        (G.nodes[u]["name"], G.nodes[v]["name"]) for u, v, k in G.edges(keys=True) if k == "prerequisite"
    }
    assert {(labels[u], labels[v]) for u, v, _ in read["edges"]} == pairs


def shown(text: str) -> str:
    """``text`` as one line, runs of white space as one space: how both exports show it."""
    return " ".join(one_line(text)[0].split())


@given(st.text())
def test_any_text_is_a_label_in_mermaids_grammar_that_shows_the_text(text):
    label = mermaid.mermaid_label(text)
    assert re.fullmatch(LABEL, f'"{label}"') or not shown(text)
    assert mermaid.unlabel(label) == shown(text)


@given(st.text())
def test_any_text_is_plain_text_in_a_note(text):
    tree = MARKDOWN.tree(f"- [{obsidian.markdown_text(text)}x](<https://example.org>) — facts\n")
    [link] = [n for n in tree.walk() if n.name == "link"]
    assert plain_text(link.children) == shown(text) + "x"
