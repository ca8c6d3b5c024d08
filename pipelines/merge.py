"""Merge records that turn out to be one resource (a short link that resolves to a video
already in the roadmap, the same resource from two roadmaps)."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from learngraph.crawler.records import is_empty


class MergePipeline:
    def __init__(self):
        self.first: dict[str, ItemAdapter] = {}

    def process_item(self, item):
        adapter = ItemAdapter(item)
        earlier = self.first.get(adapter["id"])
        if earlier is None:
            self.first[adapter["id"]] = adapter
            return item
        merge_into(earlier, adapter)
        raise DropItem(f"merged into the earlier record of {adapter['id']}")


def merge_into(earlier: ItemAdapter, later: ItemAdapter) -> None:
    """Lists are united, maps too (the earlier key wins); other fields keep the earlier
    value unless it is empty."""
    for key, value in later.items():
        if isinstance(value, list) and isinstance(earlier.get(key), list):
            earlier[key] = earlier[key] + [v for v in value if v not in earlier[key]]
        elif isinstance(value, dict) and isinstance(earlier.get(key), dict):
            earlier[key] = value | earlier[key]
        elif is_empty(earlier.get(key)) and not is_empty(value):
            earlier[key] = value
