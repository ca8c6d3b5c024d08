"""Saved responses for the source parsers: ``tests/fixtures/<source>/<case>/``.

Each case folder holds a response as the source sends it (``input.*``) and
``expected.json``: the record fields a person reading that response would write down,
or ``{"raises": "<message>"}`` when the parser must refuse it. Adding a case is adding
a folder.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from learngraph.crawler.records import ResourceItem
from learngraph.pipelines.normalize import NormalizePipeline

FIXTURES = Path(__file__).parent.parent / "fixtures"
RECORD_FIELDS = {field.name for field in fields(ResourceItem)}


def cases(source: str) -> list:
    """The case folders of ``source``, as pytest parameters named after the folder."""
    folders = sorted(path for path in (FIXTURES / source).iterdir() if path.is_dir())
    return [pytest.param(folder, id=folder.name) for folder in folders]


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def as_record(parsed: dict, kind: str, extra: frozenset[str] = frozenset()) -> dict:
    """What a parser's fields become in resources.jsonl: record fields only (``extra``
    aside), normalised for an item of ``kind``."""
    assert set(parsed) <= RECORD_FIELDS | extra, set(parsed) - RECORD_FIELDS - extra
    item = NormalizePipeline().process_item({"kind": kind, **parsed})
    del item["kind"]
    return item


def check_case(case: Path, parse, to_record) -> None:
    """``parse()`` refuses the response as expected, or ``to_record`` of its result is
    the expected record."""
    expected = read_json(case / "expected.json")
    if "raises" in expected:
        with pytest.raises(ValueError, match=expected["raises"]):
            parse()
    else:
        assert to_record(parse()) == expected
