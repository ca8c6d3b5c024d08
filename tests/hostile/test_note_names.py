"""Topic names no file system takes as they are (slashes, colons, device names, names that
differ only in case, hundreds of characters): the Obsidian export still writes one note
per topic, under a name Windows, macOS and Linux accept, and every link finds its note."""

from __future__ import annotations

import re
import unicodedata

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from learngraph.cli import main
from learngraph.graph.formats import FORMATS, obsidian
from learngraph.graph.formats.node_link import read_json

LONG = "深度学习与自然语言处理" * 30
ROADMAP = f"""# Names
## Roadmap
### C/C++: pointers?
- [a](https://example.org/a)
### CON
- [b](https://example.org/b)
### con
- [c](https://example.org/c)
### Index
- [d](https://example.org/d)
### index.md
- [e](https://example.org/e)
### ...dots...
- [f](https://example.org/f)
### {LONG}
- [g](https://example.org/g)
#### {LONG} again
- [h](https://example.org/h)
### a|b <c> "d" #e ^f [[g]]
- [i](https://example.org/i)
### ???
- [j](https://example.org/j)
### LPT1.txt
- [k](https://example.org/k)
"""
REFUSED = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#^\[\]]')
DEVICE = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.I)
WIKILINK = re.compile(r"\[\[(.*?)\]\]")


@pytest.fixture
def vault(tmp_path):
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(ROADMAP, encoding="utf-8")
    for args in (
        ["build", str(roadmap), "--out", str(tmp_path)],
        [
            "export",
            "--format",
            "obsidian",
            "--graph",
            str(tmp_path / "graph.json"),
            "--out",
            str(tmp_path / "v"),
        ],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return read_json(tmp_path / "graph.json"), tmp_path / "v"


def assert_safe_and_unique(names: list[str]) -> None:
    for name in names:
        stem = name.removesuffix(".md")
        assert name.endswith(".md") and stem, name
        assert not REFUSED.search(stem), name
        assert not DEVICE.fullmatch(stem), name
        assert stem == stem.strip(". "), name
        assert len(name.encode()) <= 255, name
    # Windows and macOS compare names ignoring case (and macOS, Unicode normal forms).
    folded = {unicodedata.normalize("NFC", name).casefold() for name in names}
    assert len(folded) == len(names)


def test_every_note_name_is_safe_and_unique_on_every_system(vault):
    G, folder = vault
    names = [path.name for path in folder.iterdir()]
    topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
    assert len(names) == len(topics) + 1, "a note per topic and the index"
    assert_safe_and_unique(names)


@given(st.lists(st.text(), min_size=1, max_size=8))
def test_any_topic_names_give_safe_unique_note_names(names):
    G = nx.MultiDiGraph()
    G.add_nodes_from((f"t{i}", {"type": "topic", "name": name}) for i, name in enumerate(names))
    note_names = obsidian.note_names(G, list(G))
    assert_safe_and_unique([f"{name}.md" for name in [*note_names.values(), obsidian.INDEX_NOTE]])


def test_every_link_finds_its_note_and_the_vault_reads_back(vault):
    G, folder = vault
    notes = {path.stem for path in folder.iterdir()}
    for path in folder.iterdir():
        links = WIKILINK.findall(path.read_text(encoding="utf-8"))
        assert links and set(links) <= notes, path.name
    read = FORMATS["obsidian"].read(folder)
    assert set(read.topics) == {n for n, d in G.nodes(data=True) if d["type"] == "topic"}
    assert read.prerequisites == {(u, v) for u, v, k in G.edges(keys=True) if k == "prerequisite"}
    assert len(read.prerequisites) >= 5
    lower_con = next(n for n, d in G.nodes(data=True) if d.get("name") == "con")
    assert read.resources[lower_con] == ["https://example.org/c"]
