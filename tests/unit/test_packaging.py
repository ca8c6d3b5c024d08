"""What a wheel or egg is built from carries every module and data file of the checkout,
where the package mapping puts them: an editable install would hide a package left out of
pyproject.toml, since it reads the checkout itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from learngraph.crawler.roadmap import embedded_roadmap_bytes

ROOT = Path(__file__).parents[2]
# What building the package reads; the copy keeps the build's files out of the checkout.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "src", "crawler", "pipelines", "graph")
# Folder of the checkout -> where its files land in the package (pyproject's package-dir).
MAPPING = {
    "src/learngraph": "learngraph",
    "crawler": "learngraph/crawler",
    "pipelines": "learngraph/pipelines",
    "graph": "learngraph/graph",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The package as ``build_py``, the step of bdist_wheel and bdist_egg that lays out
    modules and data, leaves it."""
    project, lib = tmp_path_factory.mktemp("project"), tmp_path_factory.mktemp("lib")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, project / name)
    build = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(lib)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return lib


def test_every_module_of_the_checkout_is_in_the_built_package(built):
    for folder, package in MAPPING.items():
        for module in (ROOT / folder).rglob("*.py"):
            shipped = built / package / module.relative_to(ROOT / folder)
            assert shipped.is_file(), f"{module.relative_to(ROOT)} is not in the built package"


def test_the_embedded_roadmap_ships_in_the_crawler_package(built):
    shipped = built / "learngraph" / "crawler" / "roadmap" / "data" / "nlp-roadmap.md"
    assert shipped.read_bytes() == embedded_roadmap_bytes()
    assert sorted(p.relative_to(built).as_posix() for p in built.rglob("*.md")) == [
        "learngraph/crawler/roadmap/data/nlp-roadmap.md"
    ]


def test_the_report_assets_ship_beside_the_report(built):
    assets = {p.name for p in (ROOT / "graph" / "report_assets").iterdir()}
    assert assets and {p.name for p in (built / "learngraph" / "graph" / "report_assets").iterdir()} == assets
