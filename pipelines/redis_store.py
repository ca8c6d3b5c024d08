"""Store records in the shared Redis of a distributed crawl, keyed by resource id.

A hash rather than scrapy-redis's items list: a request of a worker that died is fetched
again, and its record then replaces the first instead of doubling it. Storing a record
also ends its request's lease (see ``crawler/frontier.py``), in one transaction.
"""

from __future__ import annotations

from .store import record_dict


class RedisStorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        self.crawler.spider.frontier.store(record_dict(item))
        return item
