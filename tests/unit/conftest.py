"""The embedded roadmap with its saved crawl, shared by the graph tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from learngraph.crawler.records import read_records
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph.build import build_graph

CRAWL = Path(__file__).parents[1] / "fixtures" / "crawl" / "nlp-roadmap" / "resources.jsonl"


@pytest.fixture(scope="session")
def fixture_records():
    """A saved crawl of the embedded roadmap, as resources.jsonl."""
    return read_records(CRAWL)


@pytest.fixture(scope="session")
def embedded_graph(fixture_records):
    """The embedded NLP roadmap with its saved crawl; tests must not change it."""
    return build_graph(read_roadmap(None), fixture_records)
