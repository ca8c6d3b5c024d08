"""Incremental runs on a generated 1,000-link roadmap over local hosts: wall time and
request count of the second run (nothing changed) against the first, printed.

Links spread over 127.0.0.2-127.0.0.11 (each its own Scrapy slot): 800 pages with ETags,
100 pages with Last-Modified, 100 arXiv papers. Run 2 uses the default freshness (nothing
is asked); run 3 makes pages stale at once (FRESHNESS_PAGES_DAYS=0: every page is
revalidated with a conditional request).

    python benchmarks/rerun.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from site_server import serve  # noqa: E402

HOSTS = [f"127.0.0.{n}" for n in range(2, 12)]


def roadmap(sites) -> str:
    lines = ["# Benchmark"]
    for n in range(900):
        site = sites[n % len(sites)]
        prefix = "pages" if n < 800 else "dated"
        lines.append(f"- [page {n}]({site.base}/{prefix}/p{n})")
    lines += [f"- [paper {n}](https://arxiv.org/abs/2301.{n:05d})" for n in range(100)]
    return "\n".join(lines) + "\n"


def run(folder: Path, sites, *settings: str) -> tuple[float, int, dict]:
    before = sum(sum(site.requests.values()) for site in sites)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "learngraph",
            "crawl",
            "roadmap.md",
            "--out",
            "out",
            "--quiet",
            "-s",
            f"ARXIV_API_URL={sites[0].base}/api/query",
            "-s",
            "ARXIV_DELAY=0.2",
            "-s",
            "ALLOW_PRIVATE_HOSTS=1",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            *settings,
        ],
        cwd=folder,
        check=True,
    )
    wall = time.monotonic() - started
    requests = sum(sum(site.requests.values()) for site in sites) - before
    newest = max((folder / "out" / "runs").iterdir())
    return wall, requests, json.loads((newest / "changes.json").read_text())["counts"]


def main() -> None:
    servers = [serve(host) for host in HOSTS]
    sites = [site for _, site in servers]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "roadmap.md").write_text(roadmap(sites), encoding="utf-8")
        results = {
            "run 1 (empty state)": run(folder, sites),
            "run 2 (nothing changed)": run(folder, sites),
            "run 3 (pages revalidated)": run(folder, sites, "-s", "FRESHNESS_PAGES_DAYS=0"),
        }
    first_wall, first_requests, _ = results["run 1 (empty state)"]
    print(f"1,000 links (900 pages on {len(HOSTS)} local hosts, 100 arXiv papers)")
    for name, (wall, requests, counts) in results.items():
        print(
            f"{name:<27} {wall:6.2f} s  {requests:5d} requests  "
            f"({wall / first_wall:.0%} of run 1's time, {requests / first_requests:.0%} of its requests)  "
            + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "requests")
        )
    for server, _ in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
