"""Build, export and query a generated graph of 100,000 resources under 5,000 topics.

    python benchmarks/graph.py [--resources 100000] [--topics 5000]

Prints build time, JSON and GraphML export times, `plan` query time and peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from learngraph.crawler.roadmap import Mention, Resource, Roadmap, Topic
from learngraph.graph import queries
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_graphml, write_json

SECTIONS = 50


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=5_000)
    args = parser.parse_args()
    roadmap, records = timed("generate", generate, args.resources, args.topics)
    G = timed("build_graph", build_graph, roadmap, records)
    kinds = {}
    for _, _, key in G.edges(keys=True):
        kinds[key] = kinds.get(key, 0) + 1
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges {kinds}")
    with tempfile.TemporaryDirectory() as folder:
        timed("write JSON (node-link)", write_json, G, Path(folder) / "graph.json")
        timed("write GraphML", write_graphml, G, Path(folder) / "graph.graphml")
        for path in sorted(Path(folder).iterdir()):
            print(f"  {path.name}: {path.stat().st_size / 2**20:.0f} MiB")
    deepest = roadmap.topics[-1].id
    result = timed(f"plan {deepest}", queries.plan, G, deepest, passes=3)
    print(
        f"  {len(result['steps'])} steps, {result['resources']:,} resources, "
        f"study time {result['study_time'] / 3600:,.0f} h"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
