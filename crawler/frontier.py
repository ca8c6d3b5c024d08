"""The shared crawl in Redis: a frontier whose pops are leases, the seeds, the records.

scrapy-redis pops a request off the queue, so a worker killed mid-download would take its
requests with it. Here a pop moves the request into a lease (``<prefix>:leases``, timed in
``<prefix>:processing`` by Redis's own clock) that the worker renews while it lives. A
lease ends only in the same transaction that stores the records of all its resources, or
that pushes the request carrying them on (a retry, a redirect, a followed short link). A
lease left unrenewed for ``WORKER_LEASE_TIMEOUT`` goes back to the queue with its priority,
for any worker: every request is fetched at least once, and once unless a worker dies.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import redis
from scrapy_redis.queue import PriorityQueue

from .records import ResourceItem

# Queue a request after those of its priority (the order a zset alone gives equal scores is
# that of the pickled bytes: by URL, one host after another), ending the leases it carries on.
PUSH = """
local order = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[1], -ARGV[2] * 4294967296 + order, ARGV[1])
for i = 3, #ARGV do
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[3], ARGV[i])
end
"""
# Pop the best request and lease it. A token is "<serial>:<queue score>", so a lease that
# goes back to the queue keeps its priority.
POP = """
local top = redis.call('ZPOPMIN', KEYS[1])
if #top == 0 then return nil end
local token = redis.call('INCR', KEYS[4]) .. ':' .. top[2]
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1] + now[2] / 1e6 + ARGV[1], token)
redis.call('HSET', KEYS[3], token, top[1])
return {token, top[1]}
"""
RENEW = """
local now = redis.call('TIME')
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now[1] + now[2] / 1e6 + ARGV[1], ARGV[i])
end
"""
# Put leases back in the queue: the tokens given, or without tokens every expired one.
REQUEUE = """
local tokens = ARGV
if #tokens == 0 then
  local now = redis.call('TIME')
  tokens = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now[1] + now[2] / 1e6)
end
local moved = 0
for _, token in ipairs(tokens) do
  local request = redis.call('HGET', KEYS[3], token)
  if request and redis.call('ZREM', KEYS[2], token) == 1 then
    redis.call('ZADD', KEYS[1], string.match(token, ':(.*)$'), request)
    redis.call('HDEL', KEYS[3], token)
    moved = moved + 1
  end
end
return moved
"""


class Frontier:
    """One crawl's shared state under a key prefix, and this worker's leases."""

    def __init__(self, server: redis.Redis, prefix: str, lease_timeout: float):
        self.server = server
        self.lease_timeout = lease_timeout
        self.queue = f"{prefix}:requests"
        self.processing, self.leases = f"{prefix}:processing", f"{prefix}:leases"
        self.push_serial, self.lease_serial = f"{prefix}:push-serial", f"{prefix}:lease-serial"
        self.seeds, self.records = f"{prefix}:seeds", f"{prefix}:records"
        self._push, self._pop, self._renew, self._requeue = map(
            server.register_script, (PUSH, POP, RENEW, REQUEUE)
        )
        self.held: dict[str, set[str]] = {}  # lease token -> resource ids not yet recorded
        self.holder: dict[str, str] = {}  # resource id -> its lease token

    @classmethod
    def from_settings(cls, settings) -> Frontier:
        return cls(
            redis.Redis.from_url(settings.get("REDIS_URL")),
            settings.get("REDIS_KEY_PREFIX"),
            settings.getfloat("WORKER_LEASE_TIMEOUT"),
        )

    # The queue.
    def push(self, encoded: bytes, priority: int, ids: list[str]) -> None:
        """Queue a request; if it carries on resources this worker holds, release them."""
        self._push(
            keys=[self.queue, self.processing, self.leases, self.push_serial],
            args=[encoded, priority, *self._ended(ids)],
        )

    def pop(self) -> tuple[bytes, str] | None:
        """The best queued request and its lease token, or None when the queue is empty."""
        leased = self._pop(
            keys=[self.queue, self.processing, self.leases, self.lease_serial], args=[self.lease_timeout]
        )
        if not leased:
            return None
        token, encoded = leased
        return encoded, token.decode()

    def hold(self, token: str, ids: list[str]) -> None:
        self.held[token] = set(ids)
        self.holder.update(dict.fromkeys(ids, token))

    def release(self, ids: list[str]) -> None:
        """Let go of resources without a record (a dropped request, a spider error)."""
        if ended := self._ended(ids):
            self._end(self.server.pipeline(), ended).execute()

    def _ended(self, ids: list[str]) -> list[str]:
        """Forget ``ids``; the tokens of the leases that have none left."""
        ended = []
        for resource_id in ids:
            token = self.holder.pop(resource_id, None)
            if token is None:
                continue
            self.held[token].discard(resource_id)
            if not self.held[token]:
                del self.held[token]
                ended.append(token)
        return ended

    def _end(self, pipe, tokens: list[str]):
        if tokens:
            pipe.zrem(self.processing, *tokens)
            pipe.hdel(self.leases, *tokens)
        return pipe

    def renew(self) -> None:
        if self.held:
            self._renew(keys=[self.processing], args=[self.lease_timeout, *self.held])

    def requeue_expired(self) -> int:
        return self._requeue(keys=[self.queue, self.processing, self.leases])

    def give_back(self) -> int:
        """Requeue this worker's leases now, rather than when they expire."""
        tokens = list(self.held)
        self.held.clear()
        self.holder.clear()
        return self._requeue(keys=[self.queue, self.processing, self.leases], args=tokens) if tokens else 0

    def pending(self) -> int:
        """Requests queued or leased: 0 means the crawl is over, for every worker."""
        pipe = self.server.pipeline()
        pipe.zcard(self.queue)
        pipe.zcard(self.processing)
        return sum(pipe.execute())

    # Seeds and records.
    def add_seeds(self, seeds: dict[str, ResourceItem]) -> None:
        if seeds:
            self.server.hset(
                self.seeds, mapping={i: json.dumps(asdict(s), ensure_ascii=False) for i, s in seeds.items()}
            )

    def seed(self, resource_id: str) -> ResourceItem:
        found = self.server.hget(self.seeds, resource_id)
        if found is None:
            raise KeyError(f"no seed for {resource_id} in {self.seeds}")
        return ResourceItem(**json.loads(found))

    def store(self, record: dict) -> None:
        """Store a record and, in the same transaction, end its lease if it was the last."""
        pipe = self.server.pipeline()
        pipe.hset(self.records, record["id"], json.dumps(record, ensure_ascii=False))
        self._end(pipe, self._ended([record["id"]])).execute()

    def read_records(self) -> list[dict]:
        return [json.loads(value) for value in self.server.hvals(self.records)]


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are leases of the spider's frontier."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.frontier: Frontier = spider.frontier
        self.key = self.frontier.queue

    def push(self, request) -> None:
        self.frontier.push(self._encode_request(request), request.priority, request.meta["ids"])

    def pop(self, timeout=0):
        leased = self.frontier.pop()
        if leased is None:
            return None
        encoded, token = leased
        request = self._decode_request(encoded)
        self.frontier.hold(token, request.meta["ids"])
        return request
