"""A damaged state database or resources.jsonl: the run goes on, nothing is lost or hidden.

A state.sqlite that is not a database, is truncated or has an older schema is moved aside
(state.sqlite.corrupt-<time>), said in one line, and the run fetches every link again.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from learngraph.crawler.state import DamagedState, StateDB
from learngraph_process import read_records, run_learngraph

PAGES = ("a", "b", "c")


def crawl(site, folder: Path) -> subprocess.CompletedProcess:
    """`learngraph crawl --quiet` of three local pages into folder/out."""
    roadmap = folder / "roadmap.md"
    roadmap.write_text("# R\n" + "".join(f"- [{p}]({site.base}/pages/{p})\n" for p in PAGES))
    return run_learngraph(
        "crawl",
        roadmap,
        "--out",
        folder / "out",
        "--quiet",
        "-s",
        "ALLOW_PRIVATE_HOSTS=1",
        "-s",
        "DOWNLOAD_TIMEOUT=5",
        cwd=folder,
    )


def not_a_database(path: Path) -> None:
    path.write_bytes(b"these are not the bytes of an SQLite database\n" * 100)


def truncated(path: Path) -> None:
    """The first pages of a real state database with many records, the rest cut off."""
    path.unlink(missing_ok=True)
    state = StateDB(path)
    run = state.begin_run()
    for n in range(300):
        state.save(run, {"id": f"https://example.org/{n}", "status": "ok", "title": "x" * 400})
    state.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def older_schema(path: Path) -> None:
    """The state database before content hashes and histories: records only."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL);"
        "CREATE TABLE resources (id TEXT PRIMARY KEY, status TEXT, record TEXT);"
        "INSERT INTO resources VALUES ('https://example.org/', 'ok', '{}');"
    )
    db.commit()
    db.close()


DAMAGE = [not_a_database, truncated, older_schema]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_opening_a_damaged_state_database_says_so_in_one_line(tmp_path, damage):
    path = tmp_path / "state.sqlite"
    damage(path)
    with pytest.raises(DamagedState) as error:
        StateDB(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_a_run_moves_a_damaged_state_aside_and_fetches_everything(site, tmp_path, damage):
    first = crawl(site, tmp_path)
    assert first.returncode == 0, first.stderr
    state = tmp_path / "out" / "state.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{state}{suffix}").unlink(missing_ok=True)
    damage(state)
    damaged = state.read_bytes()

    second = crawl(site, tmp_path)

    assert second.returncode == 0, second.stderr
    [line] = second.stderr.strip().splitlines()
    assert line.startswith("learngraph: warning: ") and "damaged" in line
    [aside] = (tmp_path / "out").glob("state.sqlite.corrupt-*")
    assert aside.name in line and aside.read_bytes() == damaged, "kept as it was, for a look"
    assert all(site.requests[f"/pages/{p}"] == 2 for p in PAGES), "a full crawl"
    assert {name: r["status"] for name, r in read_records(tmp_path / "out").items()} == dict.fromkeys(
        PAGES, "ok"
    )
    fresh = StateDB(state)
    assert len(fresh.complete_runs()) == 1 and set(fresh.latest()) == {
        f"{site.base}/pages/{p}" for p in PAGES
    }
    fresh.close()

    third = crawl(site, tmp_path)
    assert third.returncode == 0 and third.stderr == "", "the new state database is sound"
    assert all(site.requests[f"/pages/{p}"] == 2 for p in PAGES), "and remembered the run"


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_diff_on_a_damaged_state_is_one_line_and_touches_nothing(tmp_path, damage):
    state = tmp_path / "out" / "state.sqlite"
    state.parent.mkdir()
    damage(state)
    damaged = state.read_bytes()
    result = run_learngraph("diff", "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("learngraph: error: ") and "damaged" in line and str(state) in line
    assert state.read_bytes() == damaged
    assert sorted(p.name for p in state.parent.iterdir()) == ["state.sqlite"]


def test_a_resources_jsonl_cut_mid_line(site, tmp_path):
    """The crawl rewrites it whole; `build` on the cut file names the line in one line."""
    assert crawl(site, tmp_path).returncode == 0
    jsonl = tmp_path / "out" / "resources.jsonl"
    whole = jsonl.read_text(encoding="utf-8")
    jsonl.write_text(whole[: len(whole) - 40], encoding="utf-8")

    build = run_learngraph(
        "build", tmp_path / "roadmap.md", "--resources", jsonl, "--out", tmp_path / "graph", cwd=tmp_path
    )
    assert build.returncode == 2
    [line] = build.stderr.strip().splitlines()
    assert line.startswith(f"learngraph: error: {jsonl} line 3: not JSON")
    assert not (tmp_path / "graph").exists()

    again = crawl(site, tmp_path)
    assert again.returncode == 0, again.stderr
    assert set(read_records(tmp_path / "out")) == set(PAGES)
