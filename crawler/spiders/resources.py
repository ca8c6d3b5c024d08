"""The resource spider: one request per source call, routed by kind; no parsing here.

Papers go to Semantic Scholar for what they cite, then to the arXiv API in batches (or
to their DOI), repositories to the GitHub API (one call per repository, shared by every
link into it), videos through yt-dlp (and to the site's oEmbed endpoint when yt-dlp cannot
read them), posts to their site's embedding API, everything else as a plain page. Every
resource of the roadmap leaves as exactly one record, whatever happens.

Between scheduled runs the state database remembers each resource's last record: a fresh
one is reused without a request, a stale one with validators is asked for only if it
changed (a 304 keeps it, unparsed), and only new or stale resources are fetched in full.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.utils.request import request_from_dict

from ..records import VIDEO_KINDS, ResourceItem
from ..roadmap import Roadmap, read_roadmap
from ..settings import set_api_slots
from ..sources import Registry, arxiv, github, oembed, page_rule, pdf, post, semantic_scholar, video, web
from ..sources.fields import overlay
from ..state import Freshness, read_latest, state_path, utc_now
from ..status import status_for_failure
from ..ytdlp import SCHEME_PREFIX, video_url

logger = logging.getLogger(__name__)

RECORD_FIELDS = {f.name for f in fields(ResourceItem)}
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
        limit = self.settings.getint("URLLENGTH_LIMIT")
        for request in self.plan(stale):
            if limit and len(request.url) > limit:  # Scrapy would drop it without a word
                for resource_id in request.meta["ids"]:
                    yield self.record(resource_id, status="unsupported", error=(
                        f"the URL is {len(request.url):,} characters long, more than URLLENGTH_LIMIT ({limit:,})"))
            else:
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
        dois = [self.page_request(s.id, s.url) for s in seeds if s.source == "doi"]
        yield from self.after_citations([*self.paper_requests(papers), *dois])
        yield from self.repo_requests(repos)
        for seed in seeds:
            if seed.source in ("arxiv", "github", "doi"):
                continue
            if seed.kind in VIDEO_KINDS and not is_short_link(seed):
                yield self.video_request(seed.id, seed.url)
            elif seed.kind == "post":
                yield self.post_request(seed)
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

    def after_citations(self, requests: list[scrapy.Request]):
        """The papers' ``requests``, each sent once Semantic Scholar has said what their
        papers cite, one batch for every BATCH_LIMIT papers; its answer travels in their
        meta. At once when it is not to be asked (SEMANTIC_SCHOLAR_API_URL empty)."""
        api = self.settings.get("SEMANTIC_SCHOLAR_API_URL")
        if not api:
            yield from requests
            return
        batches: list[tuple[list[scrapy.Request], list[str]]] = []
        for request in requests:
            if not batches or len(batches[-1][1]) + len(request.meta["ids"]) > semantic_scholar.BATCH_LIMIT:
                batches.append(([], []))
            batches[-1][0].append(request)
            batches[-1][1].extend(request.meta["ids"])
        for group, papers in batches:
            url, body = semantic_scholar.batch_request(api, papers)
            yield scrapy.Request(
                url, method="POST", body=body, headers={"Content-Type": "application/json"},
                callback=self.parse_citations, errback=self.citations_failed, dont_filter=True,
                meta={"ids": [], "papers": papers, "download_slot": "semantic-scholar-api",
                      "api": True, "semantic_scholar_api": True, "dont_obey_robotstxt": True,
                      # Requests travel as dicts, as a distributed frontier pickles them.
                      "then": [self.conditional(r).to_dict(spider=self) for r in group]},
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

    def post_request(self, seed: ResourceItem) -> scrapy.Request:
        """A post's embedding API; its 404 means the post was deleted, so it reaches the callback."""
        url = post.api_url(seed.id, seed.url, self.settings.get("TWITTER_OEMBED_URL"))
        return scrapy.Request(url, callback=self.parse_post, errback=self.failed, dont_filter=True,
                              meta={"ids": [seed.id], "api": True, "dont_obey_robotstxt": True,
                                    "handle_httpstatus_list": [404]})

    def video_oembed_request(self, resource_id: str, endpoint: str, refusal: dict) -> scrapy.Request:
        """The oEmbed answer for a video yt-dlp could not read; ``refusal`` is what yt-dlp's
        attempt would have recorded, kept if oEmbed has nothing either."""
        return scrapy.Request(
            oembed.request_url(endpoint, self.seed(resource_id).url, format="json"),
            callback=self.parse_video_oembed,
            errback=self.video_oembed_failed, dont_filter=True,
            meta={"ids": [resource_id], "api": True, "dont_obey_robotstxt": True, "refusal": refusal},
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
        citations = response.meta.get("citations", {})
        for resource_id in response.meta["ids"]:
            paper = found.get(resource_id.removeprefix("arxiv:"))
            if paper is None:
                paper = {"status": "not_found", "error": "arXiv has no paper with this id"}
            yield self.record(resource_id, response, **paper, **citations.get(resource_id, {}))

    def parse_citations(self, response):
        try:
            found = semantic_scholar.parse_batch(response.body, response.meta["papers"])
        except ValueError as error:
            logger.warning("Semantic Scholar: %s", error)
            found = {}
        for data in response.meta["then"]:
            request = request_from_dict(data, spider=self)
            request.meta["citations"] = {i: found[i] for i in request.meta["ids"] if i in found}
            yield request

    def citations_failed(self, failure):
        """The papers are fetched all the same, without citations, when Semantic Scholar
        cannot answer."""
        logger.warning("Semantic Scholar: %s", failure.value)
        for data in failure.request.meta["then"]:
            yield request_from_dict(data, spider=self)

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

    def parse_post(self, response):
        resource_id = response.meta["ids"][0]
        posted = post.date_fields(resource_id)
        if response.status == 404:
            yield self.record(resource_id, response, status="gone", error="the post was deleted or hidden",
                              **posted)
            return
        try:
            fields = post.parse_post(resource_id, response.body)
        except ValueError as error:
            yield self.record(resource_id, response, status="http_error", error=str(error), **posted)
            return
        if post.may_hold_video(fields):  # a post is a video only if yt-dlp finds one in it
            yield scrapy.Request(video_url(self.seed(resource_id).url), callback=self.parse_post_video,
                                 errback=self.post_video_failed, dont_filter=True,
                                 meta={"ids": [resource_id], "dont_obey_robotstxt": True, "post": fields})
            return
        yield self.record(resource_id, response, **fields)

    def parse_post_video(self, response):
        yield from self.records(response, **post.with_video(response.meta["post"], json.loads(response.text)))

    def post_video_failed(self, failure):
        """No video found (or yt-dlp refused): the post stays what its embedding API said."""
        for resource_id in failure.request.meta["ids"]:
            yield self.record(resource_id, None, **failure.request.meta["post"])

    def parse_video_oembed(self, response):
        refusal = response.meta["refusal"]
        try:
            fields = oembed.parse_video(response.body)
        except ValueError:
            yield from self.records(response, **refusal)
            return
        yield from self.records(response, **fields, status="partial", error=refusal["error"],
                                http_status=refusal["http_status"])

    def video_oembed_failed(self, failure):
        for resource_id in failure.request.meta["ids"]:
            yield self.record(resource_id, getattr(failure.value, "response", None),
                              **failure.request.meta["refusal"])

    async def parse_page(self, response):
        resource_id = response.meta["ids"][0]
        seed = self.seed(resource_id)
        if is_short_link(seed):
            yield self.video_request(resource_id, response.url)  # the short link, resolved
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if pdf.is_pdf(content_type, response.body):
            # Reading a long PDF's page tree takes tens of milliseconds: not on the reactor.
            document = await asyncio.get_running_loop().run_in_executor(PAGE_PARSER, self.read_pdf, seed, response.body)
            yield self.record(resource_id, response, **document)
            return
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
        if rule := page_rule(urlsplit(response.url).hostname or ""):
            page = overlay(page, rule(response.url, response.text))
        yield self.record(resource_id, response, **page,
                          **response.meta.get("citations", {}).get(resource_id, {}))

    @staticmethod
    def read_pdf(seed: ResourceItem, body: bytes) -> dict:
        try:
            document = pdf.parse_pdf(body)
        except ValueError as error:
            return {"status": "partial", "error": str(error)}
        if seed.kind == "paper":  # a paper host's PDF is a paper whatever its first page says
            document.pop("kind_hint")
        return document

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
        for resource_id in request.meta["ids"]:
            endpoint = request.url.startswith(SCHEME_PREFIX) and oembed.video_endpoint(resource_id, self.settings)
            if endpoint:  # yt-dlp could not read the video: ask the site's oEmbed endpoint
                yield self.video_oembed_request(resource_id, endpoint, refusal)
            else:
                yield self.record(resource_id, response, **refusal)

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
