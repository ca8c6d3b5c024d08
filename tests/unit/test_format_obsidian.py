"""The Obsidian export reads back into the graph's topics, prerequisites and resources, and
every note is Markdown whose links lead where they say."""

from __future__ import annotations

import re

import pytest
import yaml

from learngraph.crawler.roadmap.syntax import MARKDOWN, plain_text
from learngraph.graph.formats import FORMATS, obsidian
from learngraph.graph.queries import topic_resources

WIKILINK = re.compile(r"\[\[([^\]]*)\]\]")


@pytest.fixture(scope="module")
def vault(embedded_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vault") / "obsidian"
    FORMATS["obsidian"].write(embedded_graph, folder)
    return folder


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_the_vault_reads_back_into_the_graph(embedded_graph, vault):
    read = FORMATS["obsidian"].read(vault)
    topics = [n for n, d in embedded_graph.nodes(data=True) if d["type"] == "topic"]
    assert set(read.topics) == set(topics)
    assert read.prerequisites == {
        (u, v) for u, v, k in embedded_graph.edges(keys=True) if k == "prerequisite"
    }
    assert read.resources == {
        t: [embedded_graph.nodes[r]["url"] for r in topic_resources(embedded_graph, t)] for t in topics
    }
    assert len(list(vault.iterdir())) == len(topics) + 1, "a note per topic and the index"


def test_every_wikilink_names_a_note(vault):
    notes = {path.stem for path in vault.glob("*.md")}
    links = [link for path in vault.glob("*.md") for link in WIKILINK.findall(path.read_text("utf-8"))]
    assert len(links) > 40
    assert set(links) <= notes
    index = (vault / "Index.md").read_text(encoding="utf-8")
    assert set(WIKILINK.findall(index)) == notes - {"Index"}


def test_a_note_has_front_matter_links_and_resource_facts(vault):
    note = vault / "Transformer.md"
    assert front_matter(note) == {
        "id": "roadmap/transformer",
        "aliases": ["Transformer", "self-attention", "Attention Is All You Need"],
        "tags": ["learngraph/topic"],
        # The video's 1h 28m 3s and the article's 23 minutes of reading.
        "study_time": "1h 51m",
        "study_seconds": 5283 + 1380,
    }
    text = note.read_text(encoding="utf-8")
    assert "Part of [[Roadmap]]" in text
    assert "## Prerequisites\n- [[Neural Network]] (basis: order)\n" in text
    assert "- [[LLaMA]] (basis: citation)" in text.split("## Unlocks")[1]
    lines = text.split("## Resources\n")[1].splitlines()
    assert lines[0].endswith("— video · ⏱ 1h 28m · 2021 · ok")
    assert lines[1].endswith("— repo · ★ 151k · 2018 · ok")
    assert lines[3].endswith("— article · 23m read · 2021 · ok")


def test_resource_links_render_as_links_with_their_titles(embedded_graph, vault):
    """Read by a CommonMark parser, as Obsidian reads it: each link keeps its URL and title."""
    for topic in ("roadmap/transformer", "roadmap/llama", "roadmap/deepspeed"):
        name = obsidian.note_names(embedded_graph, [topic])[topic]
        tree = MARKDOWN.tree((vault / f"{name}.md").read_text(encoding="utf-8"))
        links = [(n.meta["url"], plain_text(n.children)) for n in tree.walk() if n.name == "link"]
        resources = [embedded_graph.nodes[r] for r in topic_resources(embedded_graph, topic)]
        assert links == [(r["url"], r["title"]) for r in resources]


def test_markup_in_a_title_stays_text():
    title = "**Bold** [not a link](x) `code` #tag $x$ ==hl== %%c%% <b>html</b> a\\b"
    tree = MARKDOWN.tree(f"[{obsidian.markdown_text(title)}](<https://a.org>)")
    link = next(n for n in tree.walk() if n.name == "link")
    assert {n.name for n in link.children} <= {"text", "text_special"}
    assert plain_text(link.children) == title


def test_exporting_again_removes_the_notes_of_topics_gone_and_keeps_the_users(embedded_graph, tmp_path):
    folder = tmp_path / "obsidian"
    obsidian.write_obsidian(embedded_graph, folder)
    own = {"Mine.md": "---\ntags: [reading]\n---\nMy notes\n", "Plain.md": "[[Transformer]]\n"}
    for name, text in own.items():
        (folder / name).write_text(text, encoding="utf-8")
    renamed = embedded_graph.copy()
    renamed.nodes["roadmap/transformer"]["name"] = "Transformers"
    obsidian.write_obsidian(renamed, folder)
    names = {path.name for path in folder.iterdir()}
    assert "Transformers.md" in names and "Transformer.md" not in names
    assert {name: (folder / name).read_text(encoding="utf-8") for name in own} == own
    assert obsidian.read_obsidian(folder).topics["roadmap/transformer"] == "Transformers"
    assert len(names) == len(obsidian.read_obsidian(folder).topics) + 1 + len(own)


@pytest.mark.parametrize(
    ("name", "file_name"),
    [
        ("Transformer", "Transformer"),
        ("C/C++: pointers?", "C C++ pointers"),
        ('a\\b*c"d<e>f|g', "a b c d e f g"),
        ("#tag ^block [[x]]", "tag block x"),
        ("CON", "_CON"),
        ("lpt1.notes", "_lpt1.notes"),
        ("...hidden. ", "hidden"),
        ("tab\tand\x07bell", "tab andbell"),
        ("???", "Topic"),
        ("深度学习", "深度学习"),
    ],
)
def test_note_name(name, file_name):
    assert obsidian.note_name(name) == file_name


def test_a_long_name_is_cut_on_a_character_boundary():
    name = obsidian.note_name("深" * 200)
    assert name == "深" * (obsidian.NAME_BYTES // 3)
