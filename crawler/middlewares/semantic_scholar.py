"""The Semantic Scholar API key, sent as ``x-api-key`` on its requests only.

It is added here, at the last moment before download, so it never sits in a spider, a
request's meta or a log line.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured


class SemanticScholarKeyMiddleware:
    def __init__(self, key: str):
        self.key = key

    @classmethod
    def from_crawler(cls, crawler):
        key = crawler.settings.get("SEMANTIC_SCHOLAR_API_KEY")
        if not key:
            raise NotConfigured("no SEMANTIC_SCHOLAR_API_KEY")
        return cls(key)

    def process_request(self, request, spider=None):
        if request.meta.get("semantic_scholar_api"):
            request.headers["x-api-key"] = self.key
