"""Scheduled runs end to end: incremental and revalidating runs, the change report, a run
killed with SIGKILL and completed by the next, the lock, exit codes for cron."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from learngraph_process import run_learngraph, site_settings, start_learngraph


def scheduled_run(site, tmp_path: Path, markdown: str, *args: str, **settings) -> dict:
    """One `learngraph crawl` into tmp_path/out; its changes.json."""
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(markdown, encoding="utf-8")
    runs = tmp_path / "out" / "runs"
    before = set(runs.iterdir()) if runs.exists() else set()
    result = run_learngraph(
        "crawl",
        str(roadmap),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        *args,
        *site_settings(site, **settings),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", "--quiet prints nothing"
    [folder] = set(runs.iterdir()) - before
    assert (folder / "changes.md").is_file()
    return json.loads((folder / "changes.json").read_text(encoding="utf-8"))


def records(tmp_path: Path) -> list[dict]:
    lines = (tmp_path / "out" / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_three_runs_fetch_revalidate_and_report_exactly_what_changed(site, tmp_path):
    base, video = site.base, site.base.replace("127.0.0.1", "localhost")
    roadmap = f"""# Scheduled
- [Page A]({base}/pages/a)
- [Page B]({base}/pages/b)
- [Page C]({base}/dated/c)
- [Transformers](https://github.com/huggingface/transformers)
- [LLaMA](https://arxiv.org/abs/2302.13971)
- [Video]({video}/videos/lora)
"""
    # Pages and repositories are stale at once (revalidated); papers and videos stay fresh.
    revalidate = {"FRESHNESS_PAGES_DAYS": "0", "FRESHNESS_REPOS_DAYS": "0"}
    fetched = ["/pages/a", "/pages/b", "/dated/c", "/github/repos/huggingface/transformers", "/api/query"]

    first = scheduled_run(site, tmp_path, roadmap, **revalidate)
    assert {path: site.requests[path] for path in fetched} == dict.fromkeys(fetched, 1)
    assert site.requests["/videos/lora"] >= 1  # yt-dlp's own requests (it may probe first)
    assert first["counts"]["parsed"] == 6 and first["previous"] is None
    assert {c["kind"] for c in first["changes"]} == {"added"} and len(first["changes"]) == 6

    after_first = Counter(site.requests)
    headers_before = len(site.headers_seen)
    second = scheduled_run(site, tmp_path, roadmap, **revalidate)
    sent = Counter(site.requests) - after_first
    del sent["/robots.txt"]
    assert sent == Counter(["/pages/a", "/pages/b", "/dated/c", "/github/repos/huggingface/transformers"])
    conditional = site.headers_seen[headers_before:]
    assert sum("If-None-Match" in h for h in conditional) == 3  # two pages and the repository
    assert sum("If-Modified-Since" in h for h in conditional) == 1
    assert second["counts"] == {
        "parsed": 0,
        "failed": 0,
        "not_modified": 4,
        "reused": 2,
        "requests": second["counts"]["requests"],
    }
    assert second["previous"] == first["run"] and second["changes"] == []

    site.titles["a"] = "Page A, revised"
    site.missing.add("b")
    third = scheduled_run(site, tmp_path, roadmap, **revalidate)
    changes = {(c["kind"], c["id"]) for c in third["changes"]}
    assert changes == {("retitled", f"{base}/pages/a"), ("died", f"{base}/pages/b")}
    assert third["previous"] == second["run"]

    final = {r["link_texts"][0]: r for r in records(tmp_path)}
    assert len(final) == 6
    assert final["Page A"]["title"] == "Page A, revised"
    assert final["Page B"]["status"] == "not_found"
    assert final["LLaMA"]["title"].startswith("LLaMA") and final["Video"]["duration"] == 630
    assert not any("etag" in r or "last_modified" in r for r in final.values()), (
        "validators stay in the state database"
    )

    diff = run_learngraph("diff", "--out", str(tmp_path / "out"), "--json", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["changes"] == third["changes"]
    again = run_learngraph("diff", first["run"], third["run"], "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "## Titles changed (1)" in again.stdout and "## Links that died (1)" in again.stdout


def test_a_run_right_after_a_finished_run_requests_nothing(site, tmp_path):
    roadmap = "# R\n" + "".join(f"- [p{n}]({site.base}/pages/p{n})\n" for n in range(5))
    scheduled_run(site, tmp_path, roadmap + "- [Repo](https://github.com/huggingface/transformers)\n")
    after_first = Counter(site.requests)
    second = scheduled_run(
        site, tmp_path, roadmap + "- [Repo](https://github.com/huggingface/transformers)\n"
    )
    assert Counter(site.requests) == after_first
    assert second["counts"] == {"parsed": 0, "failed": 0, "not_modified": 0, "reused": 6, "requests": 0}

    full = scheduled_run(site, tmp_path, roadmap, "--full")
    assert full["counts"]["parsed"] == 5 and site.requests["/pages/p0"] == 2
    assert [c["kind"] for c in full["changes"]] == ["removed"], "the repository left the roadmap"


def start_crawl(site, tmp_path: Path, markdown: str, **settings) -> subprocess.Popen:
    (tmp_path / "roadmap.md").write_text(markdown, encoding="utf-8")
    return start_learngraph(
        "crawl",
        "roadmap.md",
        "--out",
        "out",
        "--quiet",
        *site_settings(site, **settings),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def stored_ids(tmp_path: Path) -> set[str]:
    path = tmp_path / "out" / "state.sqlite"
    if not path.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return {row[0] for row in db.execute("SELECT id FROM resources")}
    except sqlite3.OperationalError:  # the crawl has not created its tables yet
        return set()


def test_a_run_killed_mid_crawl_loses_nothing_and_the_next_completes_it(site, tmp_path):
    urls = [f"{site.base}/pages/k{n}" for n in range(40)]
    site.delays = {f"k{n}": 30 for n in range(20, 40)}  # half the site hangs: killed mid-crawl
    markdown = "# Slow\n" + "".join(f"- [k{n}]({url})\n" for n, url in enumerate(urls))
    crawl = start_crawl(site, tmp_path, markdown, DOWNLOAD_TIMEOUT="60")
    wait_for(lambda: len(stored_ids(tmp_path)) >= 20)
    time.sleep(0.3)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    kept = stored_ids(tmp_path)
    assert kept == set(urls[:20]), "every answered page was stored before the kill"
    at_kill = Counter(site.requests)

    site.delays = {}
    completing = scheduled_run(site, tmp_path, markdown)
    final = records(tmp_path)
    assert sorted(r["url"] for r in final) == sorted(urls), "every link exactly once"
    assert {r["status"] for r in final} == {"ok"}
    for url in urls:
        path = url.removeprefix(site.base)
        if url in kept:
            assert site.requests[path] == 1, f"{path} was fetched before the kill: not again"
        else:
            assert site.requests[path] - at_kill[path] == 1, f"{path} fetched once by the rerun"
    assert completing["counts"]["reused"] == len(kept)
    assert completing["previous"] is None, "the killed run is no complete run to compare with"


def test_a_second_run_is_refused_and_a_dead_runs_lock_is_taken_over(site, tmp_path):
    site.delays = {"s0": 30}
    markdown = "# R\n" + "".join(f"- [s{n}]({site.base}/pages/s{n})\n" for n in range(20))
    first = start_crawl(site, tmp_path, markdown, DOWNLOAD_TIMEOUT="60")
    lock = tmp_path / "out" / ".lock"
    wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid))
    second = run_learngraph("crawl", "roadmap.md", "--out", "out", *site_settings(site), cwd=tmp_path)
    assert second.returncode == 2
    assert second.stderr == (
        f"learngraph: error: another learngraph run (pid {first.pid}) is using out; wait for it to end\n"
    )
    assert not (tmp_path / "out" / "resources.jsonl").exists(), "the refused run wrote nothing"

    first.send_signal(signal.SIGKILL)
    first.wait()
    assert lock.read_text().strip() == str(first.pid), "the dead run's lock file is still there"
    site.delays = {}
    scheduled_run(site, tmp_path, markdown)
    assert len(records(tmp_path)) == 20


def test_exit_status_1_when_more_links_fail_than_the_threshold(site, tmp_path):
    (tmp_path / "roadmap.md").write_text(
        f"# R\n- [ok]({site.base}/pages/x)\n- [dead]({site.base}/status/404)\n", encoding="utf-8"
    )
    args = ("crawl", "roadmap.md", "--out", "out", "--quiet")
    failing = run_learngraph(*args, *site_settings(site, FAIL_THRESHOLD="0.4"), cwd=tmp_path)
    assert failing.returncode == 1 and failing.stdout == ""
    assert failing.stderr == "learngraph: 1 of 2 links failed, more than FAIL_THRESHOLD=0.4 allows\n"
    tolerated = run_learngraph(*args, *site_settings(site, FAIL_THRESHOLD="0.5"), cwd=tmp_path)
    assert tolerated.returncode == 0, tolerated.stderr
    assert os.path.exists(tmp_path / "out" / "crawl.log")
