"""Mermaid's own parser, run with Node.js on a flowchart: the tests check the Mermaid
export against what Mermaid itself reads, not only against our reading of its grammar.
.ci/run installs it (``npm ci --prefix tests/mermaid``); jsdom stands in for a browser."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

FOLDER = Path(__file__).parent / "mermaid"


def mermaid_reads(path) -> dict:
    """What Mermaid reads in the flowchart at ``path``: ``labels`` (node id -> label as
    shown), ``edges`` ([from, to, label]) and ``sections`` ([title, node ids]). A flowchart
    Mermaid refuses fails the test with Mermaid's message."""
    assert (FOLDER / "node_modules" / "mermaid").is_dir(), "install Mermaid: npm ci --prefix tests/mermaid"
    result = subprocess.run(
        ["node", str(FOLDER / "parse.mjs"), str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
