"""Bad paths and values on the command line: one line, exit 2, nothing half-written.

Each case runs the real command in its own process, so the exit status and stderr are
what a shell sees. Permission cases run as an unprivileged user: root writes anywhere.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from learngraph_process import assert_one_line_error, run_learngraph

CRAWL = Path(__file__).parents[1] / "fixtures" / "crawl" / "nlp-roadmap" / "resources.jsonl"
GRAPH_COMMANDS = [
    ["prereqs", "llama"],
    ["plan", "llama"],
    ["path", "transformer", "llama"],
    ["next"],
    ["unlocks", "transformer"],
    ["search", "attention"],
    ["gaps"],
    ["report"],
    ["export", "--format", "gexf"],
]


def learngraph(*args, cwd, unprivileged=False):
    """learngraph with HOME in the test's folder, a home the unprivileged user can read."""
    return run_learngraph(*args, cwd=cwd, env={"HOME": str(cwd)}, unprivileged=unprivileged)


def files_under(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    """A real graph.json, built from the embedded roadmap and the saved crawl."""
    folder = tmp_path_factory.mktemp("built")
    result = learngraph("build", "--resources", CRAWL, "--out", folder, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "graph.json"


@pytest.fixture
def shared():
    """A folder an unprivileged user can enter but not write in (pytest's own are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="learngraph-bad-paths-"))
    (folder / "locked").mkdir()
    (folder / "a-file").write_text("not a folder\n")
    shutil.copy(CRAWL, folder / "resources.jsonl")
    for path in (folder, folder / "resources.jsonl", folder / "a-file"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "locked").chmod(0o555)
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize(
    "target, words",
    [
        ("a-file", ["a-file", "not a folder"]),
        ("a-file/graph", ["a-file is a file"]),
        ("locked", ["no permission", "locked"]),
        ("locked/deeper", ["no permission", "locked"]),
    ],
)
def test_build_out_that_cannot_be_a_folder_is_one_line(shared, target, words):
    result = learngraph(
        "build", "--resources", "resources.jsonl", "--out", target, cwd=shared, unprivileged=True
    )
    assert_one_line_error(result, *words)
    assert files_under(shared / "locked") == []
    assert (shared / "a-file").read_text() == "not a folder\n"


@pytest.mark.parametrize("command", ["run", "crawl"])
@pytest.mark.parametrize("target", ["a-file", "locked"])
def test_a_crawl_into_a_bad_out_stops_before_fetching_anything(shared, command, target):
    result = learngraph(command, "--out", target, "-s", "OUTPUT_DIR=ignored", cwd=shared, unprivileged=True)
    assert_one_line_error(result, target)
    assert files_under(shared / "locked") == [] and not (shared / "ignored").exists()


def test_the_out_setting_is_checked_like_the_option(shared):
    result = learngraph("crawl", "-s", "OUTPUT_DIR=a-file/out", cwd=shared)
    assert_one_line_error(result, "a-file is a file")


@pytest.mark.parametrize("command", GRAPH_COMMANDS, ids=lambda c: c[0])
def test_every_graph_command_refuses_what_is_not_a_learngraph_graph(tmp_path, command):
    path = tmp_path / "graph.json"
    path.write_text('{"nodes": 5}')
    result = learngraph(*command, "--graph", path, cwd=tmp_path)
    assert_one_line_error(result, str(path), "not a learngraph graph")
    assert files_under(tmp_path) == [Path("graph.json")]


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "this is not JSON",
        b"\xff\xfe\x00",
        '{"directed": true, "multigraph": true, "graph": {}, "nodes": [{"id": 1}], "edges": []}',
    ],
    ids=["a list", "not JSON", "not UTF-8", "another graph"],
)
def test_other_files_are_not_learngraph_graphs(tmp_path, content):
    path = tmp_path / "graph.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert_one_line_error(
        learngraph("gaps", "--graph", path, cwd=tmp_path), str(path), "not a learngraph graph"
    )


def test_a_missing_graph_is_one_line(tmp_path):
    assert_one_line_error(
        learngraph("next", "--graph", tmp_path / "nowhere.json", cwd=tmp_path),
        "nowhere.json",
        "no graph there",
    )


def test_an_unreadable_graph_is_one_line(shared, graph):
    secret = shared / "graph.json"
    shutil.copy(graph, secret)
    secret.chmod(0o000)
    result = learngraph("gaps", "--graph", secret, cwd=shared, unprivileged=True)
    assert_one_line_error(result, str(secret), "Permission denied")


@pytest.mark.parametrize("speed", ["nan", "inf", "-inf", "0", "-1", "fast"])
def test_a_speed_that_is_not_a_positive_number_is_one_line(tmp_path, graph, speed):
    result = learngraph("plan", "llama", "--speed", speed, "--graph", graph, cwd=tmp_path)
    assert_one_line_error(result, "--speed", repr(speed))


def test_a_small_finite_speed_still_plans(tmp_path, graph):
    result = learngraph("plan", "llama", "--speed", "0.05", "--json", "--graph", graph, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["speeds"][0] == 0.05


@pytest.mark.parametrize("format_name", ["json", "graphml", "jsonld", "gexf", "cytoscape"])
def test_export_of_one_file_to_a_folder_is_one_line(tmp_path, graph, format_name):
    folder = tmp_path / "exports"
    folder.mkdir()
    result = learngraph("export", "--format", format_name, "--graph", graph, "--out", folder, cwd=tmp_path)
    assert_one_line_error(result, str(folder), "is a folder")
    assert files_under(folder) == []


def test_export_to_neo4j_takes_a_folder_but_not_a_file(tmp_path, graph):
    (tmp_path / "a-file").write_text("x")
    result = learngraph("export", "--format", "neo4j", "--graph", graph, "--out", "a-file", cwd=tmp_path)
    assert_one_line_error(result, "a-file")
    result = learngraph("export", "--format", "neo4j", "--graph", graph, "--out", "neo4j", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "neo4j" / "relationships.csv").is_file()


def test_report_into_a_locked_folder_or_onto_a_folder_is_one_line(shared, graph):
    assert_one_line_error(
        learngraph("report", "--graph", graph, "--out", "locked/report.html", cwd=shared, unprivileged=True),
        "no permission",
    )
    assert_one_line_error(
        learngraph("report", "--graph", graph, "--out", "locked", cwd=shared), "is a folder"
    )
    assert files_under(shared / "locked") == []
