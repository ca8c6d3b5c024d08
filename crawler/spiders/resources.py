"""The resource spider: sends what the sources plan, hands each answer back to the source
that asked for it, and records what it says. It knows no source: the registry and each
source module (crawler/sources/) say what to fetch for a resource and how to read it.
Every resource of the roadmap leaves as exactly one record, whatever happens.

Between scheduled runs the state database remembers each resource's last record: a fresh
one is reused without a request, a stale one with validators is asked for only if it
changed (a 304 keeps it, unparsed), and only new or stale resources are fetched in full.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from datetime import UTC, datetime

import scrapy

from ..records import ResourceItem
from ..roadmap import Roadmap, read_roadmap
from ..settings import set_api_slots
from ..sources import Fetch, Registry
from ..state import Freshness, read_latest, state_path, utc_now
from ..status import status_for_failure
from ..ytdlp import SCHEME_PREFIX, video_url

RECORD_FIELDS = {f.name for f in fields(ResourceItem)}
# Answers are read on a thread of their own, not the reactor's: the first pages of a crawl
# load htmldate's date languages and the language model (seconds, once), a long PDF's page
# tree takes tens of milliseconds, and downloads in flight must not wait for that.
READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer-reader")
# What the roadmap says about a resource: taken from the roadmap, never from a stored record.
ROADMAP_FIELDS = ("topics", "link_texts", "done")


def seeds_from(roadmaps: list[Roadmap]) -> dict[str, ResourceItem]:
    """One pending record per resource, merged across roadmaps, in roadmap order."""
    seeds: dict[str, ResourceItem] = {}
    for roadmap in roadmaps:
        for resource in roadmap.resources:
            seed = seeds.get(resource.id)
            if seed is None:
                seed = seeds[resource.id] = ResourceItem(
                    resource.id,
                    resource.url,
                    resource.kind,
                    resource.source,
                    path=resource.attrs.get("path"),
                    ref=resource.attrs.get("ref"),
                )
            seed.topics += [t for t in resource.topics if t not in seed.topics]
            seed.link_texts += [m.text for m in resource.mentions if m.text and m.text not in seed.link_texts]
            seed.done = seed.done or resource.done
            if not seed.title and resource.title:
                seed.title, seed.provenance = resource.title, {"title": "link-text"}
    return seeds


class ResourceSpider(scrapy.Spider):
    name = "resources"
    registry: Registry

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        set_api_slots(settings)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.registry = spider.registry or Registry(crawler.settings.getlist("VIDEO_HOSTS"))
        return spider

    def __init__(
        self,
        roadmaps: list[Roadmap] | None = None,
        roadmap: str = "",
        registry: Registry | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Scrapyd and `scrapy crawl -a roadmap=a.md,b.md` pass paths; the CLI passes models,
        # read with the registry that knows their sources.
        self.roadmaps = roadmaps
        self.roadmap_paths = [p for p in roadmap.split(",") if p]
        self.registry = registry
        self.seeds: dict[str, ResourceItem] = {}
        self.stored: dict[str, dict] = {}

    async def start(self):
        if self.roadmaps is None:
            self.roadmaps = [
                read_roadmap(p or None, registry=self.registry) for p in self.roadmap_paths or [""]
            ]
        self.seeds = seeds_from(self.roadmaps)
        if not self.settings.getbool("FULL_CRAWL"):
            self.stored = read_latest(state_path(self.settings))
        freshness, now = Freshness.from_settings(self.settings), datetime.now(UTC)
        stale = []
        for seed in self.seeds.values():
            stored = self.stored.get(seed.id)
            if stored and freshness.is_fresh(stored, now):
                yield self.reuse(seed.id, "reused")
            else:
                stale.append(seed)
        limit = self.settings.getint("URLLENGTH_LIMIT")
        for request in self.plan(stale):
            if limit and len(request.url) > limit:  # Scrapy would drop it without a word
                for resource_id in request.meta["ids"]:
                    yield self.record(
                        resource_id,
                        status="unsupported",
                        error=(
                            f"the URL is {len(request.url):,} characters long, more than URLLENGTH_LIMIT ({limit:,})"
                        ),
                    )
            else:
                yield request

    def seed(self, resource_id: str) -> ResourceItem:
        """The roadmap's view of a resource; the distributed spider reads it from Redis."""
        return self.seeds[resource_id]

    def plan(self, seeds: list[ResourceItem]):
        """The requests that fetch ``seeds``, as their sources plan them."""
        for fetch in self.registry.plan(seeds, self.settings):
            yield self.request(fetch)

    def request(self, fetch: Fetch) -> scrapy.Request:
        """The request that sends ``fetch``; its answer goes back to the fetch's steps."""
        meta = {"ids": fetch.ids, "fetch": fetch, **fetch.meta}
        if fetch.api or fetch.yt_dlp:
            meta["dont_obey_robotstxt"] = True
        if fetch.api:
            meta["api"] = True
        # Every fetch is planned once, for its own resources: none is a duplicate to drop.
        request = scrapy.Request(
            video_url(fetch.url) if fetch.yt_dlp else fetch.url,
            method=fetch.method,
            body=fetch.body or None,
            headers=fetch.headers or None,
            meta=meta,
            callback=self.read,
            errback=self.failed,
            dont_filter=True,
        )
        return self.conditional(request)

    def conditional(self, request: scrapy.Request) -> scrapy.Request:
        """Ask only for a change when every resource of ``request`` has a stored record with
        the same validators: a 304 then stands for all of them."""
        stored = [self.stored.get(resource_id) for resource_id in request.meta["ids"]]
        validators = {(r.get("etag"), r.get("last_modified")) if r else None for r in stored}
        if len(validators) == 1 and (found := validators.pop()):
            etag, modified = found
            if etag:
                request.headers["If-None-Match"] = etag
            if modified:
                request.headers["If-Modified-Since"] = modified
        return request

    async def read(self, response):
        """Hand the answer to the step of the fetch that asked for it; record what it found,
        send what it asks for next."""
        fetch: Fetch = response.meta["fetch"]
        outcomes = await asyncio.get_running_loop().run_in_executor(
            READER, lambda: list(fetch.read(response, fetch))
        )
        for record_or_request in self.follow(outcomes, response, fetch.known):
            yield record_or_request

    def failed(self, failure):
        request = failure.request
        response = getattr(failure.value, "response", None)
        if response is not None and response.status == 304:  # not modified: nothing to parse
            for resource_id in request.meta["ids"]:
                yield self.reuse(resource_id, "not_modified", fetched_at=utc_now())
            return
        status, error, http_status = status_for_failure(failure.value)
        if response is not None and response.headers.get(b"X-Learngraph-Error"):
            error = response.headers[b"X-Learngraph-Error"].decode("utf-8", "replace")
        refusal = {"status": status, "error": error, "http_status": http_status}
        fetch: Fetch = request.meta["fetch"]
        if fetch.failed is None:
            for resource_id in fetch.ids:
                yield self.record(resource_id, response, **refusal)
            return
        # The source's own next step: what it records stands on what it knew, not on this failure.
        yield from self.follow(fetch.failed(fetch, refusal))

    def follow(self, outcomes, response=None, known: dict[str, dict] | None = None):
        """The records of what a step found, with what was ``known`` before; the requests
        of the fetches it asks for next."""
        for outcome in outcomes:
            if isinstance(outcome, Fetch):
                yield self.request(outcome)
            else:
                resource_id, found = outcome
                yield self.record(resource_id, response, **{**found, **(known or {}).get(resource_id, {})})

    # Records.
    def record(self, resource_id: str, response=None, **values) -> ResourceItem:
        """The seed's record with what was learned; unknown keys are not record fields."""
        if kind := values.pop("kind_hint", None):
            values["kind"] = kind
        values.setdefault("status", "ok")
        if response is not None:
            values.setdefault("http_status", response.status)
            if not response.meta.get("api"):  # an API's URL is no address of the resource
                values.setdefault("final_url", response.url.removeprefix(SCHEME_PREFIX))
            if 200 <= response.status < 300:
                values.setdefault("etag", header(response, b"ETag"))
                values.setdefault("last_modified", header(response, b"Last-Modified"))
        answered = response is not None and 200 <= response.status < 300
        self.crawler.stats.inc_value("learngraph/parsed" if answered else "learngraph/failed")
        return self.build(resource_id, values)

    def reuse(self, resource_id: str, origin: str, **values) -> ResourceItem:
        """The stored record under the roadmap's current topics and link texts; nothing parsed.

        ``origin`` names why in the crawl stats: ``reused`` (fresh) or ``not_modified`` (304).
        """
        self.crawler.stats.inc_value(f"learngraph/{origin}")
        stored = {k: v for k, v in self.stored[resource_id].items() if k not in ROADMAP_FIELDS}
        return self.build(resource_id, {**stored, **values})

    def build(self, resource_id: str, values: dict) -> ResourceItem:
        seed = self.seed(resource_id)
        item = ResourceItem(**{f: getattr(seed, f) for f in RECORD_FIELDS})
        item.topics, item.link_texts = list(seed.topics), list(seed.link_texts)
        values.setdefault("fetched_at", utc_now())
        if seed.provenance and "provenance" in values:  # the link text's title, unless replaced
            values["provenance"] = {**seed.provenance, **values["provenance"]}
        for key, value in values.items():
            if key in RECORD_FIELDS and value is not None:
                setattr(item, key, value)
        return item


def header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
