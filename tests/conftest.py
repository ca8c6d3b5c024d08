"""Fixtures shared by every test: the local stand-in for the internet."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from site_server import serve  # noqa: E402


@pytest.fixture
def site():
    """A fresh local site per test, so request counts start at zero."""
    server, state = serve()
    yield state
    server.shutdown()
    server.server_close()
