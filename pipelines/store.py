"""Write ``resources.jsonl``: one record per resource of the roadmap, in roadmap order.

The file is replaced atomically when the crawl closes; a resource the crawl never
answered for is still written, with status ``pending`` (nothing is lost).
"""

from __future__ import annotations

from pathlib import Path

from itemadapter import ItemAdapter

from learngraph.crawler.records import present, write_records


def record_dict(item) -> dict:
    """The record as written: empty fields, and fetch details kept only in the state
    database (``record=False`` in their metadata), are left out."""
    adapter = ItemAdapter(item)
    return present({k: v for k, v in adapter.items() if adapter.get_field_meta(k).get("record", True)})


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
        write_records(self.path, (record_dict(r) for r in ordered))
