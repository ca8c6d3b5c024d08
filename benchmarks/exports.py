"""Write the Turtle, Obsidian and Mermaid exports (and the JSON-LD that Turtle converts)
of a generated graph, with the generator of ``benchmarks/graph.py``.

    python benchmarks/exports.py [--resources 100000] [--topics 5000]

Prints each export's time and size, and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from graph import generate, timed  # noqa: E402

from learngraph.graph.build import build_graph  # noqa: E402
from learngraph.graph.formats import FORMATS  # noqa: E402


def size(path: Path) -> str:
    files = list(path.iterdir()) if path.is_dir() else [path]
    mib = sum(f.stat().st_size for f in files) / 2**20
    return f"{mib:,.1f} MiB" + (f" in {len(files):,} files" if path.is_dir() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=5_000)
    args = parser.parse_args()
    G = build_graph(*generate(args.resources, args.topics))
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    with tempfile.TemporaryDirectory() as folder:
        for name in ("jsonld", "turtle", "obsidian", "mermaid"):
            path = Path(folder) / FORMATS[name].filename
            timed(f"write {name}", FORMATS[name].write, G, path)
            print(f"  {path.name}: {size(path)}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
