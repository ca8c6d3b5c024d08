"""JsonLinesStorePipeline as a component: resources.jsonl written at close, in roadmap order."""

from __future__ import annotations

import json

from scrapy.utils.misc import build_from_crawler

from learngraph.crawler.records import ResourceItem
from learngraph.pipelines.store import JsonLinesStorePipeline
from project_crawler import project_crawler


def item(n: int, **fields) -> ResourceItem:
    return ResourceItem(
        id=f"https://example.org/{n}",
        url=f"https://example.org/{n}",
        kind="page",
        source="web",
        link_texts=[f"Page {n}"],
        **fields,
    )


def stored(tmp_path, seeds: list[ResourceItem], answered: list[ResourceItem]) -> list[dict]:
    crawler = project_crawler(OUTPUT_DIR=tmp_path)
    crawler.spider.seeds = {seed.id: seed for seed in seeds}
    store = build_from_crawler(JsonLinesStorePipeline, crawler)
    for record in answered:
        assert store.process_item(record) is record
    store.close_spider()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resources.jsonl"], "no temporary file left"
    return [
        json.loads(line) for line in (tmp_path / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def test_records_are_written_in_roadmap_order_whatever_order_they_came_in(tmp_path):
    seeds = [item(n) for n in range(4)]
    answered = [item(n, status="ok", title=f"Title {n}") for n in (2, 0, 3, 1)]
    assert [r["title"] for r in stored(tmp_path, seeds, answered)] == [
        "Title 0",
        "Title 1",
        "Title 2",
        "Title 3",
    ]


def test_a_resource_never_answered_is_written_pending_and_an_extra_one_after_the_roadmap(tmp_path):
    seeds = [item(0), item(1)]
    extra = item(9, status="ok")
    records = stored(tmp_path, seeds, [extra, item(1, status="gone")])
    assert [(r["id"], r["status"]) for r in records] == [
        ("https://example.org/0", "pending"),
        ("https://example.org/1", "gone"),
        ("https://example.org/9", "ok"),
    ]


def test_empty_fields_and_fetch_validators_stay_out_of_the_file(tmp_path):
    answered = item(0, status="ok", title="Kept", etag='"abc"', last_modified="Tue, 01 Dec 2026 00:00:00 GMT")
    [record] = stored(tmp_path, [item(0)], [answered])
    assert record["title"] == "Kept" and "topics" not in record  # empty: left out, as every empty value
    assert not {"etag", "last_modified", "description", "http_status"} & record.keys()
    assert None not in record.values()


def test_an_earlier_file_is_replaced_whole(tmp_path):
    (tmp_path / "resources.jsonl").write_text('{"id": "from an earlier run"}\n' * 50, encoding="utf-8")
    records = stored(tmp_path, [item(0)], [item(0, status="ok")])
    assert [r["id"] for r in records] == ["https://example.org/0"]
