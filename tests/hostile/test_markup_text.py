"""Names that look like terminal markup (``[/r/MachineLearning]``, ``list[str]``, ``[d]``):
every command prints them as written, never reads them as styles."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from learngraph.cli import main

ROADMAP = """# [/r/MachineLearning] thread
## [d] basics
- [Thread [/r/MachineLearning]](https://example.org/thread)
## list[str] and :smile:
Prerequisites: [d] basics
"""


def learngraph(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def graph(tmp_path) -> str:
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(ROADMAP, encoding="utf-8")
    learngraph("build", str(roadmap), "--out", str(tmp_path))
    return str(tmp_path / "graph.json")


def test_parse_prints_the_title_as_written(tmp_path):
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(ROADMAP, encoding="utf-8")
    assert "[/r/MachineLearning] thread" in learngraph("parse", str(roadmap))


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (
            ["plan", "list[str] and :smile:"],
            ["[d] basics", "list[str] and :smile:", "Thread [/r/MachineLearning]"],
        ),
        (["prereqs", "list[str] and :smile:"], ["Before list[str] and :smile:", "[d] basics"]),
        (["path", "[d] basics", "list[str] and :smile:"], ["[d] basics -> list[str] and :smile:"]),
        (["unlocks", "[d] basics"], ["[d] basics leads to", "list[str] and :smile:"]),
        (["next"], ["[d] basics"]),
        (["search", "machinelearning"], ["[/r/MachineLearning]"]),  # a narrow table wraps the names
        (["gaps"], ["list[str] and :smile:", "Thread [/r/MachineLearning]"]),
    ],
)
def test_queries_print_names_as_written(graph, args, shown):
    output = learngraph(*args, "--graph", graph)
    for text in shown:
        assert text in output
