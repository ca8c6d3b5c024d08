"""The resource spider: one request per source call, routed by kind; no parsing here.

Papers go to the arXiv API in batches, repositories to the GitHub API (one call per
repository, shared by every link into it), videos through yt-dlp, everything else as a
plain page. Every resource of the roadmap leaves as exactly one record, whatever happens.

Between scheduled runs the state database remembers each resource's last record: a fresh
one is reused without a request, a stale one with validators is asked for only if it
changed (a 304 keeps it, unparsed), and only new or stale resources are fetched in full.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from datetime import datetime, timezone

import scrapy

from ..items import ResourceItem
from ..roadmap import Roadmap, read_roadmap
from ..settings import set_api_slots
from ..sources import Registry, arxiv, github, video, web
from ..state import Freshness, read_latest, state_path, utc_now
from ..status import status_for_failure
from ..ytdlp import video_url

RECORD_FIELDS = {f.name for f in fields(ResourceItem)}
VIDEO_KINDS = ("video", "playlist")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Pages are parsed on a thread of their own, not the reactor's: the first pages of a crawl
# load htmldate's date languages and the language model (seconds, once), and downloads in
# flight must not wait for that.
PAGE_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-parser")
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
                    resource.id, resource.url, resource.kind, resource.source,
                    path=resource.attrs.get("path"), ref=resource.attrs.get("ref"),
                )
            seed.topics += [t for t in resource.topics if t not in seed.topics]
            seed.link_texts += [m.text for m in resource.mentions if m.text and m.text not in seed.link_texts]
            seed.done = seed.done or resource.done
            if not seed.title and resource.title:
                seed.title, seed.provenance = resource.title, {"title": "link-text"}
    return seeds


class ResourceSpider(scrapy.Spider):
    name = "resources"

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        set_api_slots(settings)

    def __init__(self, roadmaps: list[Roadmap] | None = None, roadmap: str = "", **kwargs):
        super().__init__(**kwargs)
        # Scrapyd and `scrapy crawl -a roadmap=a.md,b.md` pass paths; the CLI passes models.
        self.roadmaps = roadmaps
        self.roadmap_paths = [p for p in roadmap.split(",") if p]
        self.seeds: dict[str, ResourceItem] = {}
        self.stored: dict[str, dict] = {}

    async def start(self):
        if self.roadmaps is None:
            registry = Registry(self.settings.getlist("VIDEO_HOSTS"))
            self.roadmaps = [read_roadmap(p or None, registry=registry) for p in self.roadmap_paths or [""]]
        self.seeds = seeds_from(self.roadmaps)
        if not self.settings.getbool("FULL_CRAWL"):
            self.stored = read_latest(state_path(self.settings))
        freshness, now = Freshness.from_settings(self.settings), datetime.now(timezone.utc)
        stale = []
        for seed in self.seeds.values():
            stored = self.stored.get(seed.id)
            if stored and freshness.is_fresh(stored, now):
                yield self.reuse(seed.id, "reused")
            else:
                stale.append(seed)
        for request in self.plan(stale):
            yield self.conditional(request)

    def seed(self, resource_id: str) -> ResourceItem:
        """The roadmap's view of a resource; the distributed spider reads it from Redis."""
        return self.seeds[resource_id]

    def plan(self, seeds: list[ResourceItem]):
        """The requests that fetch ``seeds``: API calls batched, one request per page."""
        papers = [s for s in seeds if s.source == "arxiv"]
        repos: dict[str, list[str]] = defaultdict(list)
        for seed in seeds:
            if seed.source == "github":
                repos["/".join(seed.id.removeprefix("github:").split("/")[:2])].append(seed.id)
        yield from self.paper_requests(papers)
        yield from self.repo_requests(repos)
        for seed in seeds:
            if seed.source in ("arxiv", "github"):
                continue
            if seed.kind in VIDEO_KINDS and not is_short_link(seed):
                yield self.video_request(seed.id, seed.url)
            else:
                yield self.page_request(seed.id, seed.url)

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

    def paper_requests(self, papers: list[ResourceItem]):
        api = self.settings.get("ARXIV_API_URL")
        size = self.settings.getint("ARXIV_BATCH_SIZE")
        for start in range(0, len(papers), size):
            batch = papers[start:start + size]
            ids = [p.id.removeprefix("arxiv:") for p in batch]
            yield scrapy.Request(
                arxiv.query_url(api, ids), callback=self.parse_papers, errback=self.failed,
                meta={"ids": [p.id for p in batch], "download_slot": "arxiv-api", "api": True,
                      "dont_obey_robotstxt": True, "autothrottle_dont_adjust_delay": True},
            )

    def repo_requests(self, repos: dict[str, list[str]]):
        api = self.settings.get("GITHUB_API_URL").rstrip("/")
        for owner_repo, ids in repos.items():
            yield scrapy.Request(
                api + github.api_path(owner_repo), callback=self.parse_repo, errback=self.failed,
                headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
                meta={"ids": ids, "download_slot": "github-api", "github_api": True, "api": True,
                      "dont_obey_robotstxt": True},
            )

    def video_request(self, resource_id: str, url: str) -> scrapy.Request:
        return scrapy.Request(
            video_url(url), callback=self.parse_video, errback=self.failed,
            meta={"ids": [resource_id], "dont_obey_robotstxt": True}, dont_filter=True,
        )

    def page_request(self, resource_id: str, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed,
                              meta={"ids": [resource_id]}, dont_filter=True)

    # Callbacks: hand the response to the source's pure parser, record what it says.
    def parse_papers(self, response):
        try:
            found = arxiv.parse_feed(response.body)
        except ValueError as error:
            yield from self.records(response, status="http_error", error=f"arXiv API: {error}")
            return
        for resource_id in response.meta["ids"]:
            paper = found.get(resource_id.removeprefix("arxiv:"))
            if paper is None:
                paper = {"status": "not_found", "error": "arXiv has no paper with this id"}
            yield self.record(resource_id, response, **paper)

    def parse_repo(self, response):
        try:
            repo = github.parse_repo(json.loads(response.text))
        except (ValueError, AttributeError, TypeError) as error:
            yield from self.records(response, status="http_error", error=f"GitHub API: {error}")
            return
        yield from self.records(response, **repo)

    def parse_video(self, response):
        fields_ = video.parse_info(json.loads(response.text))
        yield from self.records(response, **fields_)

    async def parse_page(self, response):
        resource_id = response.meta["ids"][0]
        seed = self.seed(resource_id)
        if is_short_link(seed):
            yield self.video_request(resource_id, response.url)  # the short link, resolved
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if content_type and not content_type.startswith(HTML_TYPES):
            kind = content_type.split(";")[0]
            yield self.record(resource_id, response, status="partial", error=f"{kind}: no metadata read")
            return
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        loop = asyncio.get_running_loop()
        try:
            page = await loop.run_in_executor(PAGE_PARSER, web.parse_page, response.url, headers, response.body)
        except ValueError as error:
            empty = not response.body.strip()
            yield self.record(resource_id, response, status="partial" if empty else "unsupported",
                              error=str(error))
            return
        yield self.record(resource_id, response, **page)

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
        for resource_id in request.meta["ids"]:
            yield self.record(resource_id, response, status=status, error=error,
                              http_status=http_status)

    # Records.
    def records(self, response, **values):
        for resource_id in response.meta["ids"]:
            yield self.record(resource_id, response, **values)

    def record(self, resource_id: str, response=None, **values) -> ResourceItem:
        """The seed's record with what was learned; unknown keys are not record fields."""
        if kind := values.pop("kind_hint", None):
            values["kind"] = kind
        values.setdefault("status", "ok")
        if response is not None:
            values.setdefault("http_status", response.status)
            if not response.meta.get("api"):  # an API's URL is no address of the resource
                values.setdefault("final_url", response.url.removeprefix("ytdlp+"))
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


def is_short_link(seed: ResourceItem) -> bool:
    """A b23.tv link names its video only once followed: fetched as a page first."""
    return seed.id.startswith("bilibili:b23:")
