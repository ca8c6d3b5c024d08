"""Retries with exponential backoff that honour ``Retry-After``.

Scrapy's RetryMiddleware retries at once; a server that says 429 or 503 wants time.
The wait is an asyncio sleep, so the reactor keeps serving other requests.
"""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware

from ..retry_after import retry_after_seconds


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(self.delay(request, response))
        return retry

    def delay(self, request, response) -> float:
        attempt = request.meta.get("retry_times", 0)
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        wait = asked if asked is not None else self.backoff_base * 2**attempt
        return min(wait, self.backoff_max)
