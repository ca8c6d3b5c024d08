"""The distributed crawl against a real redis-server: the frontier's leases, two
`learngraph worker` processes over the local site, a worker killed half-way, and the graph
compared with a single-process run's."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis

from learngraph.crawler.frontier import Frontier
from learngraph.graph.formats import read_json
from learngraph_process import run_learngraph, site_settings, start_learngraph
from redis_server import start_redis

# Workers that leave soon after the frontier empties and take over a dead one's requests fast.
WORKER_SETTINGS = {"WORKER_IDLE_TIMEOUT": "2", "WORKER_LEASE_TIMEOUT": "2"}


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free loopback port, in a temporary folder, saving nothing."""
    process, url = start_redis(tmp_path)
    yield url
    process.terminate()
    process.wait(timeout=10)


def frontier(url: str, lease_timeout: float = 30.0) -> Frontier:
    return Frontier(redis.Redis.from_url(url), "learngraph", lease_timeout)


def write_roadmap(tmp_path: Path, site, pages: int, papers: int = 0) -> Path:
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        "# Distributed\n## Pages\n"
        + "".join(f"- [p{n}]({site.base}/pages/{n})\n" for n in range(pages))
        + "## Papers\n"
        + "".join(f"- [a{n}](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(papers)),
        encoding="utf-8",
    )
    return roadmap


def enqueue(roadmap: Path, redis_url: str, settings: list[str]) -> str:
    result = run_learngraph("enqueue", str(roadmap), "--redis", redis_url, *settings, cwd=roadmap.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_worker(name: str, redis_url: str, settings: list[str], tmp_path: Path) -> subprocess.Popen:
    """A worker with an output folder of its own, as on a machine of its own."""
    with open(tmp_path / f"{name}.out", "w") as out, open(tmp_path / f"{name}.log", "w") as log:
        return start_learngraph(
            "worker",
            "--redis",
            redis_url,
            *settings,
            "-s",
            f"OUTPUT_DIR={name}",
            cwd=tmp_path,
            stdout=out,
            stderr=log,
        )


def records_stored(worker: subprocess.Popen, name: str, tmp_path: Path) -> int:
    """Wait for a worker to leave on its own; how many records it stored."""
    assert worker.wait(timeout=90) == 0, (tmp_path / f"{name}.log").read_text()[-3000:]
    said = (tmp_path / f"{name}.out").read_text()
    return int(re.search(r"(\d+) records stored", said).group(1))


def test_a_lease_ends_with_its_last_record_or_goes_back_to_the_queue(redis_url):
    shared = frontier(redis_url, lease_timeout=0.3)
    shared.push(b"batch", 0, ["a", "b"])
    shared.push(b"urgent", 5, ["c"])
    urgent, urgent_token = shared.pop()
    batch, batch_token = shared.pop()
    assert (urgent, batch, shared.pop()) == (b"urgent", b"batch", None)
    shared.hold(urgent_token, ["c"])
    shared.hold(batch_token, ["a", "b"])
    assert shared.pending() == 2

    shared.store({"id": "a", "status": "ok"})
    assert shared.server.zcard(shared.processing) == 2, "b is not recorded yet: the batch stays leased"
    shared.store({"id": "b", "status": "ok"})
    assert shared.server.zcard(shared.processing) == 1, "its last record ends the lease"

    other = frontier(redis_url, lease_timeout=0.3)  # another worker, which renews nothing
    time.sleep(0.2)
    shared.renew()
    time.sleep(0.2)
    assert other.requeue_expired() == 0, "a renewed lease is not taken away"
    time.sleep(0.4)
    assert other.requeue_expired() == 1
    assert other.pop()[0] == b"urgent", "an expired lease goes back to the queue, with its priority"
    assert json.loads(shared.server.hget(shared.records, "a")) == {"id": "a", "status": "ok"}


def test_requests_of_one_priority_leave_in_the_order_they_came(redis_url):
    """Not in the order of their pickled bytes, which would crawl one host after another."""
    shared = frontier(redis_url)
    for request in (b"z", b"m", b"a"):
        shared.push(request, 0, [])
    assert [shared.pop()[0] for _ in range(3)] == [b"z", b"m", b"a"]


def test_a_request_pushed_on_carries_its_lease(redis_url):
    """A retry, a redirect or a followed short link ends the lease of the request it came from."""
    shared = frontier(redis_url)
    shared.push(b"page", 0, ["x"])
    encoded, token = shared.pop()
    shared.hold(token, ["x"])
    shared.push(b"page, retried", 0, ["x"])
    assert shared.server.zcard(shared.processing) == 0
    assert shared.pop()[0] == b"page, retried"
    shared.server.flushdb()

    shared.push(b"page", 0, ["y"])
    encoded, token = shared.pop()
    shared.hold(token, ["y"])
    assert shared.give_back() == 1, "a worker that stops gives its leases back at once"
    assert shared.pop()[0] == b"page"


def test_two_workers_fetch_every_link_once_politely_and_build_the_single_process_graph(
    site, redis_url, tmp_path
):
    site.page_delay = 0.05
    roadmap = write_roadmap(tmp_path, site, pages=24, papers=6)
    settings = site_settings(
        site,
        **WORKER_SETTINGS,
        DOWNLOAD_DELAY="0.1",
        ARXIV_DELAY="1",
        ARXIV_BATCH_SIZE="2",
        CONCURRENT_REQUESTS="8",
    )
    assert "Enqueued 27 new requests for 30 resources" in enqueue(roadmap, redis_url, settings)
    assert "Enqueued 0 new requests" in enqueue(roadmap, redis_url, settings), "pushed once only"

    workers = {name: start_worker(name, redis_url, settings, tmp_path) for name in ("a", "b")}
    stored = {name: records_stored(worker, name, tmp_path) for name, worker in workers.items()}
    assert sum(stored.values()) == 30 and min(stored.values()) > 0, f"both workers crawled: {stored}"

    pages = [f"/pages/{n}" for n in range(24)]
    assert [site.requests[page] for page in pages] == [1] * 24, "every link fetched exactly once"
    assert site.requests["/api/query"] == 3
    starts = sorted(t for page in pages for t in site.times[page])
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.08, "DOWNLOAD_DELAY held across workers"
    papers = site.times["/api/query"]
    assert min(b - a for a, b in zip(papers, papers[1:])) >= 0.9, "ARXIV_DELAY held across workers"
    assert frontier(redis_url).pending() == 0

    built = run_learngraph("build", str(roadmap), "--redis", redis_url, "--out", "distributed", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    single = run_learngraph("crawl", str(roadmap), "--out", "single", *settings, cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    built = run_learngraph(
        "build", str(roadmap), "--resources", "single/resources.jsonl", "--out", "single", cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    distributed, alone = (read_json(tmp_path / out / "graph.json") for out in ("distributed", "single"))
    assert set(distributed.nodes) == set(alone.nodes)
    assert set(distributed.edges(keys=True)) == set(alone.edges(keys=True))
    for node, data in alone.nodes(data=True):
        if data["type"] == "resource":
            assert (distributed.nodes[node]["status"], distributed.nodes[node]["title"]) == (
                data["status"],
                data["title"],
            ), node


def test_the_requests_of_a_killed_worker_are_fetched_by_the_other(site, redis_url, tmp_path):
    site.page_delay = 1.0
    roadmap = write_roadmap(tmp_path, site, pages=24)
    settings = site_settings(site, **WORKER_SETTINGS, CONCURRENT_REQUESTS_PER_DOMAIN="8")
    enqueue(roadmap, redis_url, settings)
    pages = [f"/pages/{n}" for n in range(24)]

    doomed = start_worker("doomed", redis_url, settings, tmp_path)
    deadline = time.monotonic() + 30
    while sum(site.requests[page] for page in pages) < 8:  # eight pages answering, slowly
        assert time.monotonic() < deadline and doomed.poll() is None, "the first worker never fetched"
        time.sleep(0.05)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    shared = frontier(redis_url)
    recorded = {f"/pages/{r['title'].split()[-1]}" for r in shared.read_records()}
    in_flight = {page for page in pages if site.requests[page]} - recorded
    assert in_flight, "killed while requests were in flight"

    survivor = start_worker("survivor", redis_url, settings, tmp_path)
    assert records_stored(survivor, "survivor", tmp_path) == 24 - len(recorded)
    records = shared.read_records()
    assert sorted(r["title"] for r in records) == sorted(f"Page {n}" for n in range(24)), "none lost"
    assert {r["status"] for r in records} == {"ok"}
    assert {page for page in pages if site.requests[page] == 2} == in_flight, (
        "exactly the killed worker's requests were fetched again"
    )
    assert all(site.requests[page] == 1 for page in pages if page not in in_flight)
    assert shared.pending() == 0


def test_a_worker_without_redis_says_so_in_one_line(tmp_path):
    result = run_learngraph("worker", "--redis", "redis://127.0.0.1:1/0", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("learngraph: error: cannot reach Redis at redis://127.0.0.1:1/0")
    assert "Traceback" not in result.stderr
