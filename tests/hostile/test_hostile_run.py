"""End to end: `learngraph run` on a roadmap whose every linked page is hostile. The run
ends 0 or 1, accounts for every link with a final status, and every file it and every
export write parses. Real crawl, real local servers on loopback."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
import yaml

from learngraph.crawler.records import Status
from learngraph.graph.formats import FORMATS
from learngraph.pipelines.normalize import TITLE_LIMIT
from learngraph_process import read_records, run_learngraph
from site_content import hostile_pages
from site_server import serve

ROADMAP = """# [/r/MachineLearning] hostile web
## list[str] titles
- [Control title]({base}/raw/control-title)
- [Markup title]({base}/raw/markup-title)
- [Type title]({base}/raw/type-title)
- [Huge title]({base}/raw/huge-title)
## Odd bodies
- [JSON-LD list]({base}/raw/json-ld-list)
- [NUL after 8 KB]({base}/raw/nul-after-8k)
- [Many links]({base}/raw/many-links)
- [Garbage bytes]({base}/junk)
- [Empty]({base}/empty)
## Redirects
- [Redirect loop]({base}/loop)
- [Private redirect]({base}/redirect?to={private}/posts/attention)
"""
LINKS = ROADMAP.count("](")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One run for every test here: the site on 127.0.0.1 is allowlisted, 127.0.0.2 is not."""
    server, site = serve()
    private_server, private = serve("127.0.0.2")
    site.bodies.update(hostile_pages())
    folder = tmp_path_factory.mktemp("hostile-run")
    (folder / "roadmap.md").write_text(ROADMAP.format(base=site.base, private=private.base), encoding="utf-8")
    try:
        result = run_learngraph(
            "run",
            "roadmap.md",
            "--out",
            "out",
            "-s",
            "PRIVATE_HOST_ALLOWLIST=127.0.0.1",
            "-s",
            "VIDEO_HOSTS=",
            "-s",
            "PROGRESS_ENABLED=0",
            "-s",
            "DOWNLOAD_TIMEOUT=10",
            cwd=folder,
        )
    finally:
        for running in (server, private_server):
            running.shutdown()
            running.server_close()
    return folder, result, site, private


def test_the_run_ends_in_one_of_its_exit_codes_without_a_traceback(hostile_run):
    _, result, _, _ = hostile_run
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_every_link_has_one_record_with_a_final_status(hostile_run):
    folder, _, _, _ = hostile_run
    lines = (folder / "out" / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == LINKS
    records = read_records(folder / "out")
    assert len(records) == LINKS
    for text, record in records.items():
        assert record["status"] in set(Status) and record["status"] != Status.PENDING, text


def test_hostile_titles_are_kept_as_clean_text(hostile_run):
    folder, _, _, _ = hostile_run
    records = read_records(folder / "out")
    assert records["Control title"]["title"] == "Intro[31m to NLP"
    assert "title: control characters or noncharacters removed" in records["Control title"]["error"]
    assert records["Markup title"]["title"] == "[/r/MachineLearning] thread"
    assert records["Type title"]["title"] == "list[str] and [d]"
    assert records["NUL after 8 KB"]["status"] == "ok"
    assert records["JSON-LD list"]["title"] == "Ten thousand things"
    huge = records["Huge title"]["title"]
    assert len(huge) == TITLE_LIMIT and huge == "t" * (TITLE_LIMIT - 1) + "…", "cut, marked as cut"


def test_the_redirect_to_a_private_address_reaches_nothing(hostile_run):
    folder, _, site, private = hostile_run
    record = read_records(folder / "out")["Private redirect"]
    assert site.requests["/redirect"] >= 1
    assert sum(private.requests.values()) == 0
    assert record["status"] == "blocked"
    assert "127.0.0.2 resolves to a private address" in record["error"]


def test_the_redirect_loop_ends_as_a_failure(hostile_run):
    folder, _, _, _ = hostile_run
    record = read_records(folder / "out")["Redirect loop"]
    assert record["status"] not in ("ok", "partial") and record["error"]


def parse_file(path: Path) -> None:
    """Read ``path`` with the parser its format calls for; it raises if the file is broken."""
    if path.suffix in (".json", ".jsonld", ".cyjs"):
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix in (".graphml", ".gexf"):
        ElementTree.parse(path)
    elif path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as rows:
            assert list(csv.reader(rows)), f"{path.name} has no header"
    elif path.suffix == ".html":
        HTMLParser().feed(path.read_text(encoding="utf-8"))
    elif path.suffix == ".ttl":
        rdflib.Graph().parse(path, format="turtle")
    elif path.suffix == ".md":
        note = path.read_text(encoding="utf-8")
        assert not note.startswith("---\n") or yaml.safe_load(note.split("---\n")[1])["id"]
    elif path.suffix == ".mmd":
        FORMATS["mermaid"].read(path)
    else:
        raise AssertionError(f"no parser for {path.name}")


def test_the_graph_and_the_report_are_written_and_parse(hostile_run):
    folder, _, _, _ = hostile_run
    for name in ("graph.json", "graph.graphml", "report.html"):
        parse_file(folder / "out" / name)
    graph = json.loads((folder / "out" / "graph.json").read_text(encoding="utf-8"))
    names = {node.get("name") for node in graph["nodes"]}
    assert "[/r/MachineLearning] hostile web" in names and "list[str] titles" in names


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_export_is_written_and_parses(hostile_run, name):
    folder, result, _, _ = hostile_run
    out = folder / "exports" / FORMATS[name].filename
    exported = run_learngraph(
        "export", "--format", name, "--graph", "out/graph.json", "--out", str(out), cwd=folder
    )
    assert exported.returncode == 0, exported.stderr
    written = sorted(out.iterdir()) if out.is_dir() else [out]
    assert written, f"{name} wrote nothing"
    for path in written:
        parse_file(path)
    FORMATS[name].read(out)
    if name == "neo4j":
        with (out / "resources.csv").open(newline="", encoding="utf-8") as rows:
            assert len(list(csv.reader(rows))) == LINKS + 1, "a header and one row per link"
