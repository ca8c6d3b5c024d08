"""A DNS resolver for tests: the crawl's guarded resolver with made-up names.

FAKE_DNS (JSON) maps a name, or "*" for every other name, to the answers of its successive
lookups; the last answer repeats. An answer is an IPv4 address, "temporary" (the resolver
fails for now), "missing" (no such name) or "silent" (no answer, ever). Names it does not map are looked up for real.
Each lookup is logged, so a test can count them in the crawl log. A test enables it with
``run_learngraph(..., fake_dns=TABLE)`` (tests/learngraph_process.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections import Counter

from learngraph.crawler.resolver import GuardedResolver

logger = logging.getLogger(__name__)

FAILURES = {
    "temporary": (socket.EAI_AGAIN, "Temporary failure in name resolution"),
    "missing": (socket.EAI_NONAME, "Name or service not known"),
}


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
