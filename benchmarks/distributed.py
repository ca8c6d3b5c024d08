"""One process against two workers: N links over H loopback hosts, each answer delayed by L.

Runs `learngraph crawl` once, then `learngraph enqueue` and two `learngraph worker`s on a
real redis-server, over the same asyncio server bound to 127.0.0.1..127.0.0.H. Prints
links/s, the peak RSS of every process, requests per host per second and the most
requests one host saw at once (the politeness limits, which must hold for both), then
the graph side at that scale: build, JSON and GraphML export times.

    python benchmarks/distributed.py [--links 10000] [--hosts 50] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import redis

from learngraph.crawler.frontier import Frontier
from learngraph.crawler.roadmap import read_roadmap
from learngraph.crawler.settings import load_settings
from learngraph.graph.build import build_graph
from learngraph.graph.formats import write_graphml, write_json

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from redis_server import start_redis  # noqa: E402

PAGE = (
    "<html lang='en'><head><title>Page {n}</title><meta name='description' "
    "content='About topic {n}.'></head><body><p>" + "word " * 300 + "</p></body></html>"
)


class Hosts:
    """An asyncio HTTP/1.1 server on 127.0.0.1..127.0.0.H that notes when each page was asked."""

    def __init__(self, hosts: int, latency: float):
        self.latency = latency
        self.loop = asyncio.new_event_loop()
        self.ports: dict[str, int] = {}
        self.reset()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        for h in range(1, hosts + 1):
            host = f"127.0.0.{h}"
            server = asyncio.run_coroutine_threadsafe(
                asyncio.start_server(lambda r, w, host=host: self.serve(host, r, w), host, 0), self.loop
            ).result()
            self.ports[host] = server.sockets[0].getsockname()[1]

    def reset(self) -> None:
        self.starts: dict[str, list[float]] = defaultdict(list)
        self.active: dict[str, int] = defaultdict(int)
        self.most_at_once: dict[str, int] = defaultdict(int)
        self.robots = 0

    async def serve(self, host: str, reader, writer) -> None:
        try:
            while True:
                path = (await reader.readuntil(b"\r\n\r\n")).split(b" ", 2)[1].decode()
                robots = path == "/robots.txt"
                if robots:
                    self.robots += 1
                else:
                    self.starts[host].append(time.monotonic())
                    self.active[host] += 1
                    self.most_at_once[host] = max(self.most_at_once[host], self.active[host])
                await asyncio.sleep(self.latency)
                body = (
                    b"User-agent: *\nAllow: /\n"
                    if robots
                    else PAGE.format(n=path.rsplit("/", 1)[-1]).encode()
                )
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                await writer.drain()
                if not robots:
                    self.active[host] -= 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def politeness(self) -> dict:
        """Requests per host per second (mean over its busy time, and the busiest second)."""
        mean, busiest = [], 0
        for times in self.starts.values():
            times.sort()
            if len(times) > 1:
                mean.append(len(times) / (times[-1] - times[0]))
            first = 0
            for last, t in enumerate(times):
                while t - times[first] >= 1.0:
                    first += 1
                busiest = max(busiest, last - first + 1)
        fetched = [t for times in self.starts.values() for t in times]
        return {
            "pages": len(fetched),
            "span": max(fetched) - min(fetched),
            "robots": self.robots,
            "mean_per_host": sum(mean) / len(mean),
            "busiest_second": busiest,
            "most_at_once": max(self.most_at_once.values()),
        }


def run(args: list[str], cwd: Path) -> tuple[subprocess.Popen, float]:
    out = open(cwd / f"{args[0]}-{time.monotonic_ns()}.log", "w")
    return subprocess.Popen(
        [sys.executable, "-m", "learngraph", *args], cwd=cwd, stdout=out, stderr=subprocess.STDOUT
    ), time.perf_counter()


def finish(process: subprocess.Popen, started: float) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, from its own rusage."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{process.args[3]} failed: see {Path(process.stdout.name)}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def report(name: str, links: int, wall: float, politeness: dict, rss: dict[str, float]) -> None:
    print(f"{name}:")
    print(f"  pages fetched:      {politeness['pages']} of {links} (+{politeness['robots']} robots.txt)")
    print(
        f"  links/s:            {links / politeness['span']:.0f} (first to last request), "
        f"{links / wall:.0f} (whole run, start-up and idle wait included: {wall:.1f} s)"
    )
    print(
        f"  per host:           {politeness['mean_per_host']:.1f} req/s mean, "
        f"{politeness['busiest_second']} in its busiest second, at most {politeness['most_at_once']} at once"
    )
    for process, mb in rss.items():
        print(f"  peak RSS {process + ':':<10} {mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    hosts = Hosts(args.hosts, args.latency)
    names = list(hosts.ports)
    settings = ["-s", "ALLOW_PRIVATE_HOSTS=1", "-s", "PROGRESS_ENABLED=0"]
    print(
        f"{args.links} links over {args.hosts} hosts, {args.latency * 1000:.0f} ms each, "
        f"{os.cpu_count()} CPUs; limits: CONCURRENT_REQUESTS=32 per process, "
        f"{load_settings().getint('CONCURRENT_REQUESTS_PER_DOMAIN')} per host for all together"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roadmap = folder / "roadmap.md"
        with open(roadmap, "w") as out:
            out.write("# Bench\n")
            for n in range(args.links):
                if n % 100 == 0:
                    out.write(f"## Topic {n // 100}\n")
                host = names[n % len(names)]
                out.write(f"- [p{n}](http://{host}:{hosts.ports[host]}/pages/{n})\n")

        wall, rss = finish(*run(["crawl", str(roadmap), "--out", "single", *settings], folder))
        report("one process (learngraph crawl)", args.links, wall, hosts.politeness(), {"crawl": rss})
        single = [json.loads(line) for line in (folder / "single" / "resources.jsonl").open()]

        hosts.reset()
        server, url = start_redis(folder)
        shared = ["--redis", url, *settings, "-s", "WORKER_IDLE_TIMEOUT=3"]
        enqueue_wall, enqueue_rss = finish(*run(["enqueue", str(roadmap), *shared], folder))
        started = time.perf_counter()
        workers = [run(["worker", *shared, "-s", f"OUTPUT_DIR=worker{w}"], folder) for w in (1, 2)]
        rss = {"enqueue": enqueue_rss, **{f"worker {w}": finish(*p)[1] for w, p in enumerate(workers, 1)}}
        wall = time.perf_counter() - started
        rss["redis"] = (
            int(
                next(
                    line.split()[1] for line in open(f"/proc/{server.pid}/status") if line.startswith("VmHWM")
                )
            )
            / 1024
        )
        print(f"enqueue: {args.links} requests pushed in {enqueue_wall:.1f} s")
        report("two workers (learngraph worker x2, one Redis)", args.links, wall, hosts.politeness(), rss)
        records = Frontier(redis.Redis.from_url(url), "learngraph", 30).read_records()
        server.terminate()
        print(
            f"  records in Redis:   {len(records)} ({sum(r['status'] == 'ok' for r in records)} ok); "
            f"one process wrote {len(single)} ({sum(r['status'] == 'ok' for r in single)} ok)"
        )

        started = time.perf_counter()
        model = read_roadmap(str(roadmap))
        parsed = time.perf_counter() - started
        started = time.perf_counter()
        G = build_graph(model, records)
        built = time.perf_counter() - started
        timings = {}
        for name, write in (("graph.json", write_json), ("graph.graphml", write_graphml)):
            started = time.perf_counter()
            write(G, folder / name)
            timings[name] = (time.perf_counter() - started, (folder / name).stat().st_size / 1e6)
        print(
            f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges; parse roadmap {parsed:.2f} s, "
            f"build {built:.2f} s, "
            + ", ".join(f"write {n} {t:.2f} s ({mb:.1f} MB)" for n, (t, mb) in timings.items())
        )


if __name__ == "__main__":
    main()
