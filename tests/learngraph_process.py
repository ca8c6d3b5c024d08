"""`learngraph` as a user runs it: a process of its own, started from the test's interpreter.

Every end-to-end test starts learngraph through here, so how it is started (the interpreter,
the encoding, the time limit, a made-up DNS) is decided once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent


def command(*args) -> list[str]:
    return [sys.executable, "-m", "learngraph", *map(str, args)]


def run_learngraph(
    *args,
    cwd,
    env: dict | None = None,
    fake_dns: dict | None = None,
    timeout: float = 120,
    unprivileged: bool = False,
) -> subprocess.CompletedProcess:
    """`learngraph ARGS` run to its end in ``cwd``, with ``env`` added to the environment.
    With ``fake_dns``, tests/fake_dns.py's FakeResolver answers the crawl's lookups from that
    table; ``unprivileged`` drops root to nobody, so file permissions apply as to a user."""
    env = {**os.environ, **(env or {})}
    if fake_dns is not None:
        env.update(FAKE_DNS=json.dumps(fake_dns), PYTHONPATH=str(TESTS))
        args = (*args, "-s", "TWISTED_DNS_RESOLVER=fake_dns.FakeResolver")
    argv = command(*args)
    if unprivileged and os.geteuid() == 0:
        argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )


def start_learngraph(*args, cwd, **popen) -> subprocess.Popen:
    """`learngraph ARGS` started in ``cwd`` and left running; ``popen`` says where its output goes."""
    return subprocess.Popen(command(*args), cwd=cwd, **popen)


def site_settings(site, **extra) -> list[str]:
    """`-s` options that point a crawl at the local site and keep it quick."""
    settings = {
        "ARXIV_API_URL": f"{site.base}/api/query",
        "GITHUB_API_URL": f"{site.base}/github",
        "VIDEO_HOSTS": "localhost",
        "ALLOW_PRIVATE_HOSTS": "1",
        "DOWNLOAD_TIMEOUT": "2",
        "RETRY_TIMES": "1",
        "RETRY_BACKOFF_BASE": "0.1",
        "ARXIV_DELAY": "0.2",
        "AUTOTHROTTLE_ENABLED": "0",
        **extra,
    }
    return [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]


def read_records(out: Path) -> dict[str, dict]:
    """The records of a crawl's OUT/resources.jsonl, by their first link text."""
    lines = (out / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len({r["id"] for r in records}) == len(records), "one record per resource"
    return {r["link_texts"][0]: r for r in records}


def crawl(site, tmp_path: Path, markdown: str, **settings) -> dict[str, dict]:
    """`learngraph crawl` of ``markdown`` against the local site; its records by link text."""
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(markdown, encoding="utf-8")
    result = run_learngraph(
        "crawl", roadmap, "--out", tmp_path / "out", *site_settings(site, **settings), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return read_records(tmp_path / "out")


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    """The run ended as a user's mistake should: exit 2 and one `learngraph: error:` line."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("learngraph: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
