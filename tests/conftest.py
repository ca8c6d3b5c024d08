"""Fixtures shared by every test: the local stand-in for the internet."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

from site_server import serve  # noqa: E402

# Derandomized in CI so a run is reproducible; HYPOTHESIS_PROFILE=dev explores anew each time.
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None)
settings.register_profile("dev", deadline=None, database=None)
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def site():
    """A fresh local site per test, so request counts start at zero."""
    server, state = serve()
    yield state
    server.shutdown()
    server.server_close()
