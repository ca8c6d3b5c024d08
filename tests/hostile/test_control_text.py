"""Control characters, lone surrogates and noncharacters in text from pages and roadmaps:
a run keeps going, every file it writes is valid, and no escape sequence reaches the
terminal. Crawls are real, against the local site, in a `learngraph run` process."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree

import networkx as nx
import pytest
import rdflib
import yaml
from click.testing import CliRunner

from learngraph.cli import main
from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.state import StateDB
from learngraph.graph.build import build_graph
from learngraph.graph.formats import FORMATS
from learngraph_process import run_learngraph

# Every code point no file or terminal should get: C0 controls but tab, line feed and
# carriage return; DEL and C1; surrogates; the 66 noncharacters.
BAD = "".join(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0xD800, 0xE000)]
    + [chr(c) for c in range(0xFDD0, 0xFDF0)]
    + [chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)]
)
CONTROL_TITLE = "Intro\x1b[31m to NLP"
# JSON-LD escapes give a page's title and authors characters no HTML parser lets through.
STRUCTURED_PAGE = b"""<html><head><title>plain</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",
 "headline": "Bell\\u0007 and NUL\\u0000 title\\ud800", "description": "Noncharacter\\ufffe here",
 "author": [{"@type": "Person", "name": "Ada\\u009b Writer"}]}</script>
</head><body><p>words</p></body></html>"""
# A roadmap that is text in its first 8 KB, so it is read, with a NUL further on.
ROADMAP = """# Hostile text
{padding}
## Control\x00 characters
- [Colour\x07 title]({base}/pages/ctrl)
- [Structured]({base}/raw/structured)
- a note\x00 with a NUL
"""


@pytest.fixture
def hostile_run(site, tmp_path):
    """`learngraph run` on a roadmap whose pages and headings hold control characters."""
    site.titles["ctrl"] = CONTROL_TITLE
    site.bodies["structured"] = STRUCTURED_PAGE
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        ROADMAP.format(padding="Some words of introduction. " * 400, base=site.base), encoding="utf-8"
    )
    assert roadmap.read_bytes().index(b"\x00") > 8192
    result = run_learngraph(
        "run",
        str(roadmap),
        "--out",
        "out",
        "-s",
        "ALLOW_PRIVATE_HOSTS=1",
        "-s",
        "VIDEO_HOSTS=",
        "-s",
        "PROGRESS_ENABLED=0",
        cwd=tmp_path,
    )
    return tmp_path, result


def test_a_run_cleans_control_text_and_notes_it(hostile_run):
    folder, result = hostile_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    lines = (folder / "out" / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    records = {record["url"].rsplit("/", 1)[-1]: record for record in map(json.loads, lines)}

    colour = records["ctrl"]
    assert colour["status"] == "ok"
    assert colour["title"] == "Intro[31m to NLP"
    assert "title: control characters or noncharacters removed" in colour["error"]
    assert colour["link_texts"] == ["Colour title"]
    assert colour["topics"] == ["hostile-text/control-characters"]

    structured = records["structured"]
    assert structured["title"] == "Bell and NUL title"
    assert structured["description"] == "Noncharacter here"
    assert structured["authors"] == ["Ada Writer"]
    for field in ("title", "description", "authors"):
        assert f"{field}: control characters or noncharacters removed" in structured["error"]

    G = nx.read_graphml(folder / "out" / "graph.graphml")
    assert G.nodes["hostile-text/control-characters"]["name"] == "Control characters"
    assert (folder / "out" / "report.html").is_file()


def test_every_export_of_a_hostile_run_is_written(hostile_run):
    folder, result = hostile_run
    assert result.returncode == 0, result.stderr
    for name, fmt in FORMATS.items():
        out = folder / "exports" / fmt.filename
        exported = CliRunner().invoke(
            main,
            ["export", "--format", name, "--graph", str(folder / "out" / "graph.json"), "--out", str(out)],
        )
        assert exported.exit_code == 0, exported.output
        fmt.read(out)


@pytest.fixture
def bad_graph() -> nx.MultiDiGraph:
    """A graph with every bad code point in ids, names, titles, lists and graph attributes,
    built directly from records that never passed normalise."""
    roadmap = parse_roadmap(
        "# Road\n## Topic\n- [Intro](https://example.org/intro)\n- a note\n"
        "## Next\nPrerequisites: Topic\n- [Later](https://example.org/later)\n"
    )
    record = {
        "id": "https://example.org/intro",
        "url": "https://example.org/intro",
        "kind": "video",
        "source": "web",
        "status": "partial",
        "title": f"Intro\x1b[31m to NLP{BAD}",
        "authors": [f"Ada{BAD}"],
        "tags": [f"tag{BAD}"],
        "duration": 60,
        "chapters": [{"title": f"One{BAD}", "start": 0}],
        "error": f"no date{BAD}",
    }
    G = build_graph(roadmap, [record])
    G.graph["title"] += BAD
    G.nodes["road/topic"]["name"] += BAD
    G.nodes["road/topic#1"]["text"] += BAD
    return nx.relabel_nodes(G, {"road/next": f"road/next{BAD}"})


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_is_valid_whatever_the_graph_holds(bad_graph, tmp_path, name):
    fmt = FORMATS[name]
    path = tmp_path / fmt.filename
    fmt.write(bad_graph, path)
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    for file in files:
        text = file.read_bytes().decode("utf-8")  # strict: a lone surrogate cannot be in it
        assert not set(text) & set(BAD)
        if file.suffix in (".graphml", ".gexf"):
            ElementTree.fromstring(text.encode("utf-8"))
        elif file.suffix == ".csv":
            with open(file, encoding="utf-8", newline="") as lines:
                rows = list(csv.reader(lines))
            assert rows and len({len(row) for row in rows}) == 1
        elif file.suffix == ".ttl":
            rdflib.Graph().parse(data=text, format="turtle")
        elif file.suffix == ".md":
            assert not text.startswith("---\n") or yaml.safe_load(text.split("---\n")[1])["id"]
        elif file.suffix == ".mmd":
            fmt.read(file)
        else:
            json.loads(text)
    # Markdown escapes the bracket; the flowchart shows topics only.
    shown = {"obsidian": r"Intro\[31m to NLP", "mermaid": '["Topic"]'}.get(name, "Intro[31m to NLP")
    assert shown in "".join(file.read_text(encoding="utf-8") for file in files)


def test_graphml_reads_back_the_clean_text(bad_graph, tmp_path):
    FORMATS["graphml"].write(bad_graph, tmp_path / "graph.graphml")
    G = FORMATS["graphml"].read(tmp_path / "graph.graphml")
    assert G.nodes["road/topic"]["name"] == "Topic"
    assert G.nodes["https://example.org/intro"]["tags"] == ["tag"]
    assert G.nodes["https://example.org/intro"]["chapters"] == [{"title": "One", "start": 0}]
    assert G.has_edge("https://example.org/intro", "person:Ada", "authored_by")
    assert G.has_edge("road/topic", "road/next", "prerequisite")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["search", "intro"], "Intro[31m to NLP"),
        (["plan", "next"], "Intro[31m to NLP"),
        (["gaps"], "no date"),
        (["next"], "Topic "),
        (["search", "intro", "--json"], "Intro"),
    ],
)
def test_no_escape_sequence_reaches_the_terminal(bad_graph, tmp_path, args, shown):
    # Not write_json, which leaves them out: a graph.json from elsewhere may hold them.
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(nx.node_link_data(bad_graph, edges="edges")), encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert not set(result.output) & set(BAD)


@pytest.mark.parametrize("as_json", [[], ["--json"]])
def test_diff_shows_a_changed_title_without_its_escape_sequences(tmp_path, as_json):
    # Records stored before they were cleaned, as an older learngraph stored them (all but
    # lone surrogates, which UTF-8 cannot store).
    storable = "".join(c for c in BAD if not "\ud800" <= c <= "\udfff")
    state = StateDB(tmp_path / "state.sqlite")
    for title in ("Intro to NLP", f"Intro\x1b[31m to NLP{storable}"):
        run = state.begin_run()
        state.save(
            run,
            {
                "id": "https://example.org/intro",
                "url": "https://example.org/intro",
                "kind": "page",
                "status": "ok",
                "title": title,
            },
        )
        state.finish_run(run, "complete", {})
    state.close()
    result = CliRunner().invoke(main, ["diff", "--out", str(tmp_path), *as_json])
    assert result.exit_code == 0, result.output
    assert "Intro" in result.output and "[31m to NLP" in result.output
    assert not set(result.output) & set(BAD)
