"""StatePipeline as a component: the run's lock, every record kept, and the change report of
a finished run, built from the crawl's settings and called as Scrapy calls it."""

from __future__ import annotations

import json

import pytest
from scrapy.utils.misc import build_from_crawler

from learngraph.crawler.lock import RunLocked
from learngraph.crawler.state import StateDB
from learngraph.pipelines.state import StatePipeline
from project_crawler import project_crawler

PAGE = {"id": "https://example.org/a", "url": "https://example.org/a", "kind": "page", "source": "web"}


def run(out, records: list[dict], reason: str = "finished", **stats) -> str:
    """One crawl's life of the pipeline; the id of its run."""
    crawler = project_crawler(OUTPUT_DIR=out)
    for origin, count in stats.items():
        crawler.stats.set_value(f"learngraph/{origin}", count)
    state = build_from_crawler(StatePipeline, crawler)
    state.open_spider()
    for record in records:
        assert state.process_item(record) is record
    state.spider_closed(reason)
    return state.run_id


def changes(out, run_id: str) -> dict:
    return json.loads((out / "runs" / run_id / "changes.json").read_text(encoding="utf-8"))


def test_a_finished_run_is_complete_and_reports_what_changed_since_the_last_one(tmp_path):
    first = run(tmp_path, [{**PAGE, "status": "ok", "title": "Old title"}], parsed=1)
    second = run(tmp_path, [{**PAGE, "status": "ok", "title": "New title"}], parsed=1)
    report = changes(tmp_path, second)
    assert report["previous"] == first
    assert report["counts"] == {"parsed": 1, "failed": 0, "not_modified": 0, "reused": 0, "requests": 0}
    assert [(c["kind"], c["before"], c["after"]) for c in report["changes"]] == [
        ("retitled", "Old title", "New title")
    ]
    assert "## Titles changed (1)" in (tmp_path / "runs" / second / "changes.md").read_text(encoding="utf-8")
    state = StateDB(tmp_path / "state.sqlite")
    assert state.complete_runs() == [first, second]
    assert state.latest()[PAGE["id"]]["title"] == "New title"
    state.close()


def test_a_run_that_did_not_finish_is_recorded_as_such_without_a_report(tmp_path):
    run_id = run(tmp_path, [{**PAGE, "status": "ok"}], reason="shutdown")
    state = StateDB(tmp_path / "state.sqlite")
    assert [(r["id"], r["outcome"]) for r in state.runs()] == [(run_id, "shutdown")]
    state.close()
    assert not (tmp_path / "runs").exists()


def test_empty_fields_are_not_kept(tmp_path):
    run(tmp_path, [{**PAGE, "status": "ok", "title": None, "stars": None}])
    state = StateDB(tmp_path / "state.sqlite")
    assert state.latest()[PAGE["id"]] == {**PAGE, "status": "ok"}
    state.close()


def test_the_output_folder_is_locked_from_the_moment_the_pipeline_is_built(tmp_path):
    crawler = project_crawler(OUTPUT_DIR=tmp_path)
    holding = build_from_crawler(StatePipeline, crawler)
    with pytest.raises(RunLocked, match="another learngraph run"):
        build_from_crawler(StatePipeline, project_crawler(OUTPUT_DIR=tmp_path))
    holding.open_spider()
    holding.spider_closed("finished")
    build_from_crawler(StatePipeline, project_crawler(OUTPUT_DIR=tmp_path)).lock.release()
