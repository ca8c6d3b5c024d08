"""Fixtures shared by every test: the local stand-in for the internet."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from site_server import serve

# Derandomised in CI so a run is repeatable; HYPOTHESIS_PROFILE=dev explores anew.
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None)
settings.register_profile("dev", deadline=None, database=None)
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "ci"))
# No test asks the real Semantic Scholar: the crawls that want citations point
# SEMANTIC_SCHOLAR_API_URL at the local site, the others leave it empty (off).
os.environ.setdefault("LEARNGRAPH_SEMANTIC_SCHOLAR_API_URL", "")


@pytest.fixture
def site():
    """A fresh local site per test, so request counts start at zero."""
    server, state = serve()
    yield state
    server.shutdown()
    server.server_close()
