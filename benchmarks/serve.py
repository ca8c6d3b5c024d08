"""Requests per second and latency of `learngraph serve` under concurrent clients.

    python benchmarks/serve.py [--clients 16] [--seconds 10] [--resources 100000] [--topics 5000]

Serves two graphs, each from a real `learngraph serve` process: the embedded roadmap with
its saved crawl, and the generated graph of benchmarks/graph.py. Asks /api/plan/{topic}
and /api/search?q= from ``--clients`` concurrent httpx connections for ``--seconds`` each
(requests under way then finish), and prints requests per second and the p50 and p99
latency. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from graph import generate  # benchmarks/graph.py

from learngraph.crawler.records import read_records
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_json

SAVED_CRAWL = Path(__file__).resolve().parent.parent / "tests/fixtures/crawl/nlp-roadmap/resources.jsonl"


@contextmanager
def serving(graph: Path) -> Iterator[str]:
    """`learngraph serve` of ``graph`` on a free port of 127.0.0.1; yields its URL once it answers."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "learngraph", "serve", "--graph", str(graph), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = re.search(r"at (http://\S+/) ", process.stdout.readline()).group(1)
        print(f"  server ready in {time.perf_counter() - started:.1f} s (start-up and reading the graph)")
        yield url
    finally:
        process.terminate()
        process.wait()


async def load(url: str, path: str, clients: int, seconds: float) -> tuple[list[float], float]:
    """Latencies of ``path`` asked by ``clients`` at once for ``seconds``, and the time taken."""
    latencies = []
    stop = time.perf_counter() + seconds

    async def ask(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            (await client.get(path)).raise_for_status()
            latencies.append(time.perf_counter() - sent)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=None, limits=limits) as client:
        (await client.get(path)).raise_for_status()  # one answer first: a warm server
        started = time.perf_counter()
        await asyncio.gather(*(ask(client) for _ in range(clients)))
    return latencies, time.perf_counter() - started


def report(label: str, latencies: list[float], elapsed: float) -> None:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"  {label:<44} {len(latencies):>6} requests  {len(latencies) / elapsed:8.1f}/s  "
        f"p50 {cuts[49] * 1000:9.1f} ms  p99 {cuts[98] * 1000:9.1f} ms"
    )


def bench(name: str, G, plan_topic: str, search: str, args) -> None:
    print(f"{name}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    with tempfile.TemporaryDirectory() as folder:
        graph = Path(folder) / "graph.json"
        write_json(G, graph)
        with serving(graph) as url:
            for path in (f"api/plan/{plan_topic}", f"api/search?q={search}"):
                report(path, *asyncio.run(load(url, path, args.clients, args.seconds)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=5_000)
    args = parser.parse_args()
    print(f"{args.clients} concurrent clients, {args.seconds:g} s per endpoint")
    bench(
        "embedded roadmap, saved crawl",
        build_graph(read_roadmap(None), read_records(SAVED_CRAWL)),
        "roadmap/llama",
        "transformer",
        args,
    )
    roadmap, records = generate(args.resources, args.topics)
    # The deepest topic, as benchmarks/graph.py plans it; the search matches about 100 titles.
    bench("generated", build_graph(roadmap, records), roadmap.topics[-1].id, "about concept 996", args)


if __name__ == "__main__":
    main()
