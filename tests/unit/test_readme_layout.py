"""The README's Layout section names real places: every path it gives exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def layout_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def test_every_path_the_layout_names_exists():
    named = 0
    for row in layout_rows():
        code = re.findall(r"`([^`]+)`", row)
        folders = [c for c in code if c.endswith("/")]
        for item in code:
            if "/" in item and not item.startswith("learngraph"):
                assert (ROOT / item).exists(), f"README Layout names {item}, which does not exist"
                named += 1
            elif item.endswith(".py"):  # a file of a folder the row names
                assert any((ROOT / folder / item).is_file() for folder in folders), (
                    f"README Layout names {item}, found in none of {folders}"
                )
                named += 1
    assert named >= 20, "the Layout section names where each thing lives"


def test_the_layout_names_every_layer():
    packages = {re.findall(r"`([^`]+)`", row)[1] for row in layout_rows()[2:6]}
    assert packages == {"learngraph.crawler", "learngraph.pipelines", "learngraph.graph", "learngraph"}
