"""`prereqs` and `path` on a study list whose sections are nested and whose introduction
says it is read in order."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from learngraph.cli import main

STUDY_LIST = """# My deep learning notes

Everything below is in the order I study it.

## Neural Networks
[Zero to Hero](https://example.org/zero-to-hero)

## Tips
[How I take notes](https://example.org/notes)

## Transformers
[The Illustrated Transformer](https://example.org/illustrated)

### Fine-tuning
[LoRA paper](https://arxiv.org/abs/2106.09685)
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    (folder / "notes.md").write_text(STUDY_LIST, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder / "notes.md"), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Prerequisites: order 1, parent 1" in result.output
    return str(folder / "graph.json")


def test_prereqs_of_a_subsection_lists_the_earlier_sections_and_its_parent_with_its_links(graph):
    result = CliRunner().invoke(main, ["prereqs", "fine-tuning", "--json", "--graph", graph])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["prerequisites"]
    assert [r["name"] for r in rows] == ["Neural Networks", "Transformers"]
    assert rows[-1]["resources"] == ["https://example.org/illustrated"]
    assert rows[-1]["reasons"][0]["basis"] == "parent"


def test_path_finds_the_chain_past_the_tips(graph):
    result = CliRunner().invoke(main, ["path", "Neural Networks", "Fine-tuning", "--graph", graph])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Neural Networks -> Transformers -> Fine-tuning"
