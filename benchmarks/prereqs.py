"""How far the inferred prerequisites agree with a practitioner's judged pairs.

    python benchmarks/prereqs.py [tests/fixtures/prereqs/*.judged.json]

For each judged roadmap (the embedded one with its saved crawl, and the three real ones)
prints, per basis and over all: the pairs inferred, how many were judged wrong, precision
(inferred pairs not judged wrong) and recall (accepted pairs found, through chains too).
"""

from __future__ import annotations

import sys
from pathlib import Path

from learngraph.graph.judged import measure

ROOT = Path(__file__).resolve().parents[1]
JUDGED = sorted((ROOT / "tests" / "fixtures" / "prereqs").glob("*.judged.json"))


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def main(paths: list[str]) -> None:
    print(f"{'roadmap':22} {'basis':9} {'pairs':>5} {'wrong':>5} {'precision':>9} {'recall':>12}")
    for path in paths or JUDGED:
        name = Path(path).name.removesuffix(".judged.json")
        for basis, s in measure(path, ROOT).items():
            recall = f"{percent(s['recall'])} ({s['accepted_found']}/{s['accepted']})"
            print(
                f"{name:22} {basis:9} {s['pairs']:5} {s['judged_wrong']:5} "
                f"{percent(s['precision']):>9} {recall:>12}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
