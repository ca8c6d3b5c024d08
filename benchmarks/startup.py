"""How long a command takes from start to exit, as a user runs it: the median of N runs.

- `learngraph plan LoRA` on the graph of the embedded roadmap and the saved crawl, and
  the modules of Scrapy and Twisted it imports;
- `learngraph run` on the embedded roadmap with its links served by the local site
  (127.0.0.1; --full, so every run fetches every link again).

Each is run through the console entry point (`python -m learngraph`), and through
click's own `main()`, which ends like any Python program (the interpreter tears its
modules down), so the cost of that teardown shows beside the total. The run is also timed
with Scrapy's own EXTENSIONS_BASE, to show what leaving the remote-control and telnet
extensions out of it saves.

    python benchmarks/startup.py [--runs 15]

Run it with the Python of the checkout to measure: `python -m learngraph` is imported
from there.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from scrapy.settings import default_settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_server import serve  # noqa: E402

CRAWL = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "fixtures"
    / "crawl"
    / "nlp-roadmap"
    / "resources.jsonl"
)
ENTRY_POINT = ["-m", "learngraph"]
PLAIN_EXIT = ["-c", "from learngraph.cli import main; main()"]
CRAWL_MODULES = [
    "-c",
    "import sys; from learngraph.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n"
    "    print(sum(m.split('.')[0] in ('scrapy', 'twisted') for m in sys.modules), file=sys.stderr)",
]
# Scrapy's own extension list, with the remote control and telnet console that
# ``load_settings`` takes out of it.
SCRAPY_EXTENSIONS = json.dumps(default_settings.EXTENSIONS_BASE)


class Times:
    """Medians of wall time and of CPU time (user + system, of the process and its
    children); CPU time varies less when other work shares the machine."""

    def __init__(self, how: list[str], args: list[str], folder: Path, runs: int):
        walls, cpus = [], []
        for _ in range(runs):
            before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([sys.executable, *how, *args], cwd=folder, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls.append(time.perf_counter() - start)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        self.wall, self.cpu = statistics.median(walls), statistics.median(cpus)

    def __str__(self) -> str:
        return f"{self.wall:.3f} s wall, {self.cpu:.3f} s CPU"

    def saved_by(self, other: Times) -> str:
        return (
            f"{(self.wall - other.wall) / self.wall:+.1%} wall, {(self.cpu - other.cpu) / self.cpu:+.1%} CPU"
        )


def local_roadmap(base: str) -> str:
    """The embedded roadmap with each of its links turned into a page of the local site."""
    text = (files("learngraph.crawler.roadmap") / "data" / "nlp-roadmap.md").read_text(encoding="utf-8")
    numbers = iter(range(10**6))
    return re.sub(r"https?://[^\s)\]>]+", lambda _: f"{base}/pages/{next(numbers)}", text)


def compare(label: str, args: list[str], folder: Path, runs: int) -> Times:
    entry = Times(ENTRY_POINT, args, folder, runs)
    plain = Times(PLAIN_EXIT, args, folder, runs)
    print(
        f"{label}: through the entry point {entry}; with a plain exit {plain} "
        f"(saved by the entry point: {plain.saved_by(entry)})"
    )
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(
            [sys.executable, *ENTRY_POINT, "build", "--resources", str(CRAWL)],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        plan = ["plan", "LoRA"]
        imported = subprocess.run(
            [sys.executable, *CRAWL_MODULES, *plan], cwd=folder, capture_output=True, text=True
        ).stderr.split()[-1]
        print(
            f"median of {runs} runs; `learngraph plan LoRA` imports {imported} modules of Scrapy and Twisted"
        )
        compare("learngraph plan LoRA", plan, folder, runs)

        server, site = serve()
        try:
            roadmap = folder / "roadmap.md"
            roadmap.write_text(local_roadmap(site.base), encoding="utf-8")
            run = [
                "run",
                str(roadmap),
                "--out",
                "out",
                "--full",
                "--quiet",
                "-s",
                "ALLOW_PRIVATE_HOSTS=1",
                "-s",
                "VIDEO_HOSTS=",
            ]
            entry = compare("learngraph run (embedded roadmap, local links)", run, folder, runs)
            listed = Times(ENTRY_POINT, [*run, "-s", f"EXTENSIONS_BASE={SCRAPY_EXTENSIONS}"], folder, runs)
            print(
                f"learngraph run with Scrapy's EXTENSIONS_BASE (remote control and telnet imported, "
                f"switched off): {listed} (saved by leaving them out: {listed.saved_by(entry)})"
            )
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
