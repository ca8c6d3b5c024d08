"""The record contract: its fields as the README documents them, what each status means
wherever it is read, the rule for empty values, and resources.jsonl's reader and writer."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from learngraph.crawler.changes import compare
from learngraph.crawler.records import (
    Kind,
    ResourceItem,
    Status,
    is_dead,
    is_empty,
    is_failed,
    is_final,
    is_transient,
    present,
    read_records,
    write_records,
)
from learngraph.crawler.state import Freshness

ROOT = Path(__file__).parents[2]


def record_table() -> dict[str, str]:
    """The README's record table: each documented field name -> the meaning beside it."""
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("## The resource record")[1].split("\n## ")[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return {name: row[-1] for row in rows for name in re.findall(r"`(\w+)`", row[0])}


def test_the_readme_documents_every_field_of_resources_jsonl_and_no_other():
    written = {f.name for f in fields(ResourceItem) if f.metadata.get("record", True)}
    documented = set(record_table())
    assert written - documented == set(), "fields missing from the README's record table"
    assert documented - written == set(), "documented fields the record does not have"


@pytest.mark.parametrize(("field", "values"), [("status", Status), ("kind", Kind)])
def test_the_readme_lists_every_status_and_kind(field, values):
    assert re.findall(r"`(\w+)`", record_table()[field]) == [value.value for value in values]


# Status: dead, failed, transient (tried again at once, whatever its age).
MEANINGS = {
    "ok": (False, False, False),
    "partial": (False, False, False),
    "not_found": (True, True, False),
    "gone": (True, True, False),
    "http_error": (False, True, True),
    "timeout": (False, True, True),
    "dns_error": (False, True, True),
    "blocked": (False, True, False),
    "rate_limited": (False, True, True),
    "too_large": (False, True, False),
    "unsupported": (False, True, False),
    "pending": (False, True, True),
}


def test_every_status_has_its_meaning():
    assert set(MEANINGS) == {status.value for status in Status}


@pytest.mark.parametrize(("status", "meaning"), MEANINGS.items())
def test_what_a_status_means(status, meaning):
    assert (is_dead(status), is_failed(status), is_transient(status)) == meaning
    assert is_final(status) is not meaning[2]


def record(status: str, **values) -> dict:
    return {"id": "a", "url": "https://a.org/", "kind": "page", "status": status, **values}


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("ok", "not_found", "died"),
        ("partial", "gone", "died"),
        ("ok", "timeout", None),  # a night without an answer is no death
        ("ok", "dns_error", None),
        ("ok", "http_error", None),
        ("gone", "ok", "came_back"),
        ("timeout", "ok", None),
        ("blocked", "not_found", None),
    ],
)
def test_a_link_dies_when_its_site_says_it_is_not_there(before, after, change):
    changes = compare({"a": record(before)}, {"a": record(after)})
    assert [c.kind for c in changes] == ([change] if change else [])


def test_a_title_change_counts_only_while_the_link_gave_metadata():
    before = {"a": record("ok", title="A")}
    assert [c.kind for c in compare(before, {"a": record("partial", title="B")})] == ["retitled"]
    assert compare(before, {"a": record("timeout", title="B")}) == []


@pytest.mark.parametrize(
    ("kind", "source", "days"),
    [
        ("video", "youtube", 7),
        ("playlist", "youtube", 7),
        ("channel", "youtube", 3),
        ("paper", "arxiv", 30),
        ("repo", "github", 1),
        ("article", "web", 3),
    ],
)
def test_a_stored_record_is_fresh_for_its_kinds_days(kind, source, days):
    now = datetime(2026, 1, 31, tzinfo=UTC)
    fetched = (now - timedelta(days=days) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    stored = {"kind": kind, "source": source, "status": "ok", "fetched_at": fetched}
    assert Freshness().is_fresh(stored, now)
    assert not Freshness().is_fresh(stored, now + timedelta(hours=2))
    assert not Freshness().is_fresh({**stored, "status": "timeout"}, now), "tried again at once"


@pytest.mark.parametrize("value", [None, "", "  \n", [], {}])
def test_an_empty_value_is_left_out(value):
    assert is_empty(value)
    assert present({"id": "a", "title": value}) == {"id": "a"}


@pytest.mark.parametrize("value", [0, 0.0, False, "0", [None], {"a": None}])
def test_a_value_that_says_something_is_kept(value):
    assert not is_empty(value)
    assert present({"id": "a", "stars": value}) == {"id": "a", "stars": value}


def test_records_written_are_read_back_in_order(tmp_path):
    records = [{"id": "b", "title": "Übersicht", "stars": 0}, {"id": "a", "done": False}]
    write_records(tmp_path / "resources.jsonl", records)
    assert read_records(tmp_path / "resources.jsonl") == records


def test_a_malformed_line_is_named(tmp_path):
    path = tmp_path / "resources.jsonl"
    path.write_text('{"id": "a"}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: not JSON"):
        read_records(path)
    path.write_text('{"id": "a"}\n["b"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: a resource record needs an 'id'"):
        read_records(path)
