"""A DNS resolver for tests: the crawl's guarded resolver with made-up names.

FAKE_DNS (JSON) maps a name, or "*" for every other name, to the answers of its successive
lookups; the last answer repeats. An answer is an IPv4 address, "temporary" (the resolver
fails for now), "missing" (no such name) or "silent" (no answer, ever). Names it does not map are looked up for real.
Each lookup is logged, so a test can count them in the crawl log. Enable it with
``-s TWISTED_DNS_RESOLVER=fake_dns.FakeResolver`` and this folder on PYTHONPATH.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from collections import Counter

from learngraph.crawler.resolver import GuardedResolver

logger = logging.getLogger(__name__)

FAILURES = {"temporary": (socket.EAI_AGAIN, "Temporary failure in name resolution"),
            "missing": (socket.EAI_NONAME, "Name or service not known")}


class FakeResolver(GuardedResolver):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = json.loads(os.environ.get("FAKE_DNS", "{}"))
        self.asked: Counter[str] = Counter()

    async def lookup(self, name: str) -> str:
        answers = self.table.get(name, self.table.get("*"))
        if answers is None:
            return await super().lookup(name)
        logger.info("fake DNS lookup: %s", name)
        answers = [answers] if isinstance(answers, str) else answers
        answer = answers[min(self.asked[name], len(answers) - 1)]
        self.asked[name] += 1
        if answer == "silent":
            await asyncio.Event().wait()
        if answer in FAILURES:
            raise socket.gaierror(*FAILURES[answer])
        return answer


def run_learngraph(*args: str, cwd, fake_dns: dict | None = None, env: dict | None = None):
    """`learngraph ARGS` in a subprocess; with ``fake_dns``, its names resolved by FakeResolver."""
    env = {**os.environ, **(env or {})}
    if fake_dns is not None:
        env.update(FAKE_DNS=json.dumps(fake_dns), PYTHONPATH=os.path.dirname(__file__))
        args = (*args, "-s", "TWISTED_DNS_RESOLVER=fake_dns.FakeResolver")
    return subprocess.run([sys.executable, "-m", "learngraph", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def read_records(out) -> dict[str, dict]:
    """The records of a crawl's OUT/resources.jsonl, by their first link text."""
    lines = (out / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["link_texts"][0]: r for r in map(json.loads, lines)}
