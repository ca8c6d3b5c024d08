"""Build, export and query generated graphs: 100,000 resources under 5,000 topics, and a
roadmap of 3,000 links under 150 topics.

    python benchmarks/graph.py [--sizes 100000:5000,3000:150] [--runs 7] [--cli-runs 3]

For each size, prints the build and JSON export times; for each query, its latency in a
process that loaded the graph (through ``graph.payloads``, as the commands and the HTTP
API call it) and the time of the command run as a process on the written graph.json,
printing JSON as tools read it: the first run, then the median wall and CPU time of the
next ones; then the median time of the command printing its table, as a person reads it.
A query is repeated at most until it has taken ``BUDGET`` seconds. Last, the peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from learngraph.crawler.roadmap import Mention, Resource, Roadmap, Topic
from learngraph.graph import payloads, queries
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_graphml, write_json
from learngraph.graph.store import load_graph

SECTIONS = 50
# Seconds one query may take in all, however many runs were asked for.
BUDGET = 20.0


def generate(n_resources: int, n_topics: int, seed: int = 1) -> tuple[Roadmap, list[dict]]:
    """A roadmap of SECTIONS sections under "Roadmap", and one crawl record per resource."""
    rng = random.Random(seed)
    root = Topic("roadmap", "Roadmap", 1, None, 0, ["Roadmap"], 1)
    topics = [root]
    sections = []
    for i in range(n_topics - 1):
        if i < SECTIONS:
            parent, level = root, 2
        else:
            parent, level = sections[i % SECTIONS], 3
        topic = Topic(
            f"{parent.id}/concept-{i}",
            f"Concept {i}",
            level,
            parent.id,
            len(parent.children),
            parent.path + [f"Concept {i}"],
            i + 2,
        )
        parent.children.append(topic.id)
        topics.append(topic)
        if level == 2:
            sections.append(topic)
    roadmap = Roadmap("Generated", "generated.md", topics=topics)
    records = []
    kinds = ("video", "paper", "page", "repo")
    for i in range(n_resources):
        topic = topics[1 + i % (n_topics - 1)]
        kind = kinds[i % 4]
        rid = f"https://example.org/{kind}/{i}"
        roadmap.resources.append(
            Resource(
                rid,
                rid,
                kind,
                "web",
                {},
                [Mention(topic.id, f"{kind} {i}", topic.line + 1, rid, i % 10 == 0)],
            )
        )
        earlier = rng.randrange(1, n_topics - 1)
        record = {
            "id": rid,
            "url": rid,
            "kind": kind,
            "source": "web",
            "topics": [topic.id],
            "status": "ok",
            "title": f"A {kind} about concept {i % 997}",
            "description": f"This builds on Concept {earlier}. See https://example.org/paper/{i // 2 * 2 + 1}.",
        }
        record.update(
            {
                "video": {"duration": 300 + i % 3000, "channel": f"Channel {i % 500}"},
                "paper": {"authors": [f"Author {i % 3001}", f"Author {i % 1009}"]},
                "page": {"reading_time": 60 + i % 900},
                "repo": {"full_name": f"owner{i % 800}/repo{i}", "stars": i % 5000},
            }[kind]
        )
        records.append(record)
    return roadmap, records


def timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<28} {time.perf_counter() - start:8.2f} s")
    return result


def children_cpu() -> float:
    """CPU seconds of the finished child processes, which process_time does not count."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def latencies(function, runs: int, cpu=time.process_time) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of up to ``runs`` calls, fewer when they pass BUDGET.
    On a shared machine the CPU time says what the wall time would be on an idle one."""
    seconds: list[tuple[float, float]] = []
    while len(seconds) < runs and sum(wall for wall, _ in seconds) < BUDGET:
        start, used = time.perf_counter(), cpu()
        function()
        seconds.append((time.perf_counter() - start, cpu() - used))
    return seconds


def figures(seconds: list[tuple[float, float]], scale: float) -> str:
    """The first run's wall time, then the median wall and CPU time of the others (of the
    first alone when there was one), and the number of runs."""
    rest = seconds[1:] or seconds
    wall, cpu = statistics.median(w for w, _ in rest), statistics.median(c for _, c in rest)
    return f"{seconds[0][0] * scale:8.2f} {wall * scale:8.2f} {cpu * scale:8.2f} {len(seconds):3d}"


def queries_of(roadmap: Roadmap, G) -> dict[str, tuple]:
    """Each query as (the payload function and its arguments, the command line): ``plan``
    and ``prereqs`` of the last topic (a leaf), ``path`` to it from the first topic it
    builds on, ``unlocks`` of that first topic, ``next`` and ``search``."""
    leaf = roadmap.topics[-1]
    first = G.nodes[queries.prerequisites(G, leaf.id)[0]]["name"]
    return {
        "plan": ((payloads.plan, G, leaf.name), ["plan", leaf.name, "--passes", "3"]),
        "prereqs": ((payloads.prerequisites, G, leaf.name), ["prereqs", leaf.name]),
        "path": ((payloads.path, G, first, leaf.name), ["path", first, leaf.name]),
        "next": ((payloads.next_topics, G), ["next"]),
        "search": ((payloads.search, G, "concept 123"), ["search", "concept 123"]),
        "unlocks": ((payloads.unlocks, G, first), ["unlocks", first]),
    }


def benchmark(n_resources: int, n_topics: int, runs: int, cli_runs: int) -> None:
    print(f"\n== {n_resources:,} resources, {n_topics:,} topics")
    roadmap, records = timed("generate", generate, n_resources, n_topics)
    G = timed("build_graph", build_graph, roadmap, records)
    kinds = {}
    for _, _, key in G.edges(keys=True):
        kinds[key] = kinds.get(key, 0) + 1
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges {kinds}")
    with tempfile.TemporaryDirectory() as folder:
        graph = Path(folder) / "graph.json"
        timed("write JSON (node-link)", write_json, G, graph)
        timed("write GraphML", write_graphml, G, Path(folder) / "graph.graphml")
        for path in sorted(Path(folder).iterdir()):
            print(f"  {path.name}: {path.stat().st_size / 2**20:.1f} MiB")
        del G
        # The first read indexes the graph and writes the cache; the server reads that whole.
        timed("load graph.json", load_graph, graph)
        G = timed("load its cache, whole", partial(load_graph, whole=True), graph)
        # As `learngraph serve` does: the graph's objects stay out of the cycle collector's walks.
        gc.freeze()
        print(f"{'':8}   {'in-process ms:':<14} {'first':>8} {'median':>8} {'CPU':>8} {'n':>3}   ", end="")
        print(f"{'command s:':<10} {'first':>8} {'median':>8} {'CPU':>8} {'n':>3}   {'table s':>8}")
        for name, ((function, *args), command) in queries_of(roadmap, G).items():
            in_process = latencies(partial(function, *args), runs)
            process = [sys.executable, "-m", "learngraph", *command, "--graph", str(graph)]
            run = partial(subprocess.run, [*process, "--json"], check=True, stdout=subprocess.DEVNULL)
            commands = latencies(run, cli_runs, cpu=children_cpu)
            table = partial(subprocess.run, process, check=True, stdout=subprocess.DEVNULL)
            tables = statistics.median(wall for wall, _ in latencies(table, cli_runs, cpu=children_cpu))
            print(
                f"{name:<8}   {'':<14} {figures(in_process, 1000)}   {'':<10} {figures(commands, 1)}"
                f"   {tables:8.2f}"
            )
        gc.unfreeze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000:5000,3000:150", help="RESOURCES:TOPICS, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="in-process runs of each query")
    parser.add_argument("--cli-runs", type=int, default=3, help="command runs of each query")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        n_resources, n_topics = map(int, size.split(":"))
        benchmark(n_resources, n_topics, args.runs, args.cli_runs)
        # The graph just measured goes now, not in a collection during the next build.
        gc.collect()
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
