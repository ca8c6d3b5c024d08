"""GitHub API manners: the token, and never a flood of 403s once the rate limit is spent.

Scrapy runs process_request before a request waits in its download slot, so a budget
check there would pass every queued request at once. This middleware therefore holds
its own concurrency limit: a request takes a place, then checks the budget, and gives
the place back when its answer (or failure) comes.

The token is added here, at the last moment before download, so it never sits in a
spider, a request's meta or a log line; and only to a request for the API's own origin
(scheme, host and port of GITHUB_API_URL). A redirect is a new request that passes here
again, so a 301 from the API to another host arrives there without the token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy.utils.httpobj import urlparse_cached

from ..status import RateLimited

logger = logging.getLogger(__name__)


def origin(url) -> tuple[str, str | None, int | None]:
    """(scheme, host, port) of a URL, a URL's split parts, or a request's parsed URL."""
    parts = urlsplit(url) if isinstance(url, str) else url
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


class GitHubApiMiddleware:
    def __init__(
        self,
        token: str = "",
        max_wait: float = 60.0,
        concurrency: int = 4,
        clock=time.time,
        api_url: str = "https://api.github.com",
    ):
        self.token = token
        self.api_origin = origin(api_url)
        self.max_wait = max_wait
        self.places = asyncio.Semaphore(concurrency)
        self.clock = clock
        self.remaining: int | None = None
        self.reset: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.get("GITHUB_TOKEN") or "",
            settings.getfloat("GITHUB_RATE_LIMIT_MAX_WAIT"),
            settings.getint("GITHUB_CONCURRENCY"),
            api_url=settings.get("GITHUB_API_URL"),
        )

    async def process_request(self, request, spider=None):
        if not request.meta.get("github_api"):
            return None
        await self.places.acquire()
        try:
            await self._wait_for_budget()
        except RateLimited:
            self.places.release()
            raise
        request.meta["github_place"] = True
        if self.remaining:
            self.remaining -= 1
        if self.token and origin(urlparse_cached(request)) == self.api_origin:
            request.headers["Authorization"] = f"Bearer {self.token}"
        else:
            request.headers.pop("Authorization", None)
        return None

    def process_exception(self, request, exception, spider=None):
        self._give_back(request)

    def _give_back(self, request) -> None:
        if request.meta.pop("github_place", False):
            self.places.release()

    async def process_response(self, request, response, spider=None):
        if not request.meta.get("github_api"):
            return response
        self._give_back(request)
        remaining = response.headers.get(b"X-RateLimit-Remaining")
        reset = response.headers.get(b"X-RateLimit-Reset")
        if remaining is not None and remaining.isdigit():
            self.remaining = int(remaining)
        if reset is not None and reset.isdigit():
            self.reset = float(reset)
        if response.status in (403, 429) and self.remaining == 0:
            await self._wait_for_budget()
            return request.replace(dont_filter=True)
        return response

    async def _wait_for_budget(self) -> None:
        """Sleep until the reset when it is near; refuse the request when it is far."""
        if self.remaining != 0 or self.reset is None:
            return
        wait = self.reset - self.clock()
        if wait <= 0:
            self.remaining = None
            return
        if wait > self.max_wait:
            when = datetime.fromtimestamp(self.reset, UTC).strftime("%H:%M:%SZ")
            raise RateLimited(f"GitHub API rate limit spent until {when}; set GITHUB_TOKEN")
        logger.info("GitHub rate limit spent: waiting %.0f s for the reset", wait)
        await asyncio.sleep(wait)
        self.remaining = None
