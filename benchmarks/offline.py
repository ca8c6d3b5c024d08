"""Offline: `learngraph run` on a roadmap of N links to distinct hosts that do not resolve.

Every host is under the reserved .invalid top-level domain. By default the crawl's resolver
is the test resolver of tests/fake_dns.py answering every lookup with a temporary failure,
as a machine without a working resolver does; ``--real-dns`` asks this machine's resolver
instead (each name then fails as not found, at whatever rate that resolver answers). Prints
the wall time of the whole run (parse, crawl, graph, exports, report) and of its crawl,
the links by status, and how many lookups the test resolver served.

    python benchmarks/offline.py [--links 2600] [--real-dns]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def roadmap(links: int) -> str:
    lines = ["# Offline roadmap"]
    for n in range(links):
        if n % 100 == 0:
            lines.append(f"## Part {n // 100}")
        lines.append(f"- [Page {n}](https://site{n}.invalid/page/{n})")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2600)
    parser.add_argument("--real-dns", action="store_true", help="use this machine's resolver")
    args = parser.parse_args()
    settings, env = [], dict(os.environ)
    if not args.real_dns:
        settings = ["-s", "TWISTED_DNS_RESOLVER=fake_dns.FakeResolver"]
        env.update(PYTHONPATH=str(TESTS), FAKE_DNS=json.dumps({"*": "temporary"}))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roadmap.md"
        path.write_text(roadmap(args.links), encoding="utf-8")
        out = Path(tmp) / "out"
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "learngraph", "run", str(path), "--out", str(out), "--quiet", *settings],
            capture_output=True,
            text=True,
            env=env,
        )
        wall = time.perf_counter() - started
        records = [json.loads(line) for line in (out / "resources.jsonl").read_text().splitlines()]
        log = (out / "crawl.log").read_text()
        lookups = log.count("fake DNS lookup:")
        crawl_seconds = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))
    statuses = Counter(r["status"] for r in records)
    resolver = "this machine's resolver" if args.real_dns else "a resolver that always fails for now"
    print(
        f"{args.links} links to hosts that do not resolve, {resolver}: `learngraph run` took "
        f"{wall:.1f} s (exit {result.returncode}), of which the crawl {crawl_seconds:.1f} s"
    )
    if not args.real_dns:
        print(f"lookups: {lookups} for {args.links} names")
    print("records by status: " + ", ".join(f"{s} {n}" for s, n in statuses.most_common()))


if __name__ == "__main__":
    main()
