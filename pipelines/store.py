"""Write ``resources.jsonl``: one record per resource of the roadmap, in roadmap order.

The file is replaced atomically when the crawl closes; a resource the crawl never
answered for is still written, with status ``pending`` (nothing is lost).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from itemadapter import ItemAdapter


def record_dict(item) -> dict:
    """The record as written: fields without a value are left out."""
    return {k: v for k, v in ItemAdapter(item).items() if v is not None}


def write_jsonl_atomic(path: Path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     prefix=f".{path.name}.", delete=False) as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(out.name, path)


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
