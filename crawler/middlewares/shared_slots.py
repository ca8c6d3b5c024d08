"""Politeness across workers: each download slot's limits held in Redis for all of them.

Scrapy's download slots live in one process: two workers would each open
CONCURRENT_REQUESTS_PER_DOMAIN connections to a host, and arXiv would get two requests
every ARXIV_DELAY instead of one. Here a request first takes a place in its slot's shared
twin in Redis: at most the slot's concurrency at once and starts the slot's delay apart,
for every worker together, timed by Redis's clock. The place is given back when the answer
(or failure) comes; one a dead worker held frees itself after twice the download timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid

import redis.asyncio as redis
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

# Returns 0 when the place is taken, else the milliseconds to wait (-1: wait for a place).
ACQUIRE = """
local now = redis.call('TIME')
now = now[1] * 1000 + math.floor(now[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local wait = tonumber(redis.call('GET', KEYS[2]) or 0) - now
if wait > 0 then return wait end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[1], now + ARGV[4], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], now + ARGV[3], 'PX', ARGV[3]) end
return 0
"""
# How often a request waiting for a place asks again (seconds).
PLACE_POLL = 0.02
# A place is taken as abandoned (its worker dead) after this many download timeouts.
HOLD_TIMEOUTS = 2


class SharedSlotMiddleware:
    def __init__(
        self,
        server: redis.Redis,
        prefix: str,
        slots: dict[str, dict],
        concurrency: int,
        delay: float,
        timeout: float,
    ):
        self.server = server
        self.prefix = prefix
        self.slots = slots
        self.concurrency = concurrency
        self.delay = delay
        self.timeout = timeout
        self.acquire = server.register_script(ACQUIRE)
        self.tokens = (f"{uuid.uuid4().hex[:12]}:{n}" for n in itertools.count())

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured
        middleware = cls(
            redis.Redis.from_url(settings.get("REDIS_URL")),
            settings.get("REDIS_KEY_PREFIX"),
            settings.getdict("DOWNLOAD_SLOTS"),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getfloat("DOWNLOAD_DELAY"),
            settings.getfloat("DOWNLOAD_TIMEOUT"),
        )
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def limits(self, slot: str) -> tuple[int, float]:
        """The slot's concurrency and delay, as Scrapy's downloader reads them."""
        configured = self.slots.get(slot, {})
        return configured.get("concurrency", self.concurrency), configured.get("delay", self.delay)

    async def process_request(self, request, spider=None):
        slot = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        concurrency, delay = self.limits(slot)
        keys = [f"{self.prefix}:slot:{slot}:holders", f"{self.prefix}:slot:{slot}:next-start"]
        token = next(self.tokens)
        hold = HOLD_TIMEOUTS * self.timeout + delay
        args = [token, concurrency, round(delay * 1000), round(hold * 1000)]
        while wait := await self.acquire(keys=keys, args=args):
            await asyncio.sleep(wait / 1000 if wait > 0 else PLACE_POLL)
        request.meta["shared_slot_place"] = (keys[0], token)
        return None

    async def process_response(self, request, response, spider=None):
        await self._give_back(request)
        return response

    async def process_exception(self, request, exception, spider=None):
        await self._give_back(request)

    async def _give_back(self, request) -> None:
        if place := request.meta.pop("shared_slot_place", None):
            await self.server.zrem(*place)

    async def close(self) -> None:
        await self.server.aclose()
