"""Write ``resources.jsonl``: one record per resource of the roadmap, in roadmap order.

The file is replaced atomically when the crawl closes; a resource the crawl never
answered for is still written, with status ``pending`` (nothing is lost).
"""

from __future__ import annotations

import json
from pathlib import Path

from itemadapter import ItemAdapter

from learngraph.crawler.files import atomic_write


def record_dict(item) -> dict:
    """The record as written: fields without a value, and fetch details kept only in the
    state database (``record=False`` in their metadata), are left out."""
    adapter = ItemAdapter(item)
    return {k: v for k, v in adapter.items()
            if v is not None and adapter.get_field_meta(k).get("record", True)}


def write_jsonl_atomic(path: Path, records) -> None:
    with atomic_write(path) as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_write(path) as out:
        out.write(text)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class JsonLinesStorePipeline:
    def __init__(self, output_dir: str, crawler=None):
        self.path = Path(output_dir) / "resources.jsonl"
        self.crawler = crawler
        self.records: dict[str, dict] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("OUTPUT_DIR"), crawler)

    def process_item(self, item):
        self.records[ItemAdapter(item)["id"]] = item
        return item

    def close_spider(self):
        spider = self.crawler.spider if self.crawler else None
        seeds = getattr(spider, "seeds", {})
        ordered = [self.records.get(i, seed) for i, seed in seeds.items()]
        ordered += [r for i, r in self.records.items() if i not in seeds]
        write_jsonl_atomic(self.path, (record_dict(r) for r in ordered))
