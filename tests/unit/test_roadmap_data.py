"""The embedded roadmap ships inside the crawler package, where the library reads it: what
a wheel or egg is built from, not only the checkout an editable install points at, has it
there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from learngraph.crawler.roadmap import embedded_roadmap_bytes

ROOT = Path(__file__).parents[2]
# What building the package reads; the copy keeps the build's files out of the checkout.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "src", "crawler", "pipelines", "graph")


def test_the_built_package_carries_the_embedded_roadmap_in_the_crawler_package(tmp_path):
    project, lib = tmp_path / "project", tmp_path / "lib"
    project.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, project / name)
    # build_py is the step of bdist_wheel and bdist_egg that lays out modules and data.
    build = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(lib)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    shipped = lib / "learngraph" / "crawler" / "roadmap" / "data" / "nlp-roadmap.md"
    assert shipped.read_bytes() == embedded_roadmap_bytes()
    assert sorted(p.relative_to(lib).as_posix() for p in lib.rglob("*.md")) == [
        "learngraph/crawler/roadmap/data/nlp-roadmap.md"
    ]
