"""Any other web page: identity is its canonical URL, the kind is read off host and path.

It is fetched as it is and read by the generic page reader (``pages``), with the rule of
its host laid over where the host keeps its metadata elsewhere: Medium, Substack, CSDN,
WeChat (one module each, naming its hosts in PAGE_HOSTS).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from . import csdn, medium, pages, substack, wechat
from .base import Fetch, Found, Identity, Seed, Source, canonical_url

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

PAPER_HOSTS = frozenset(
    {
        "aclanthology.org",
        "www.aclweb.org",
        "openreview.net",
        "proceedings.neurips.cc",
        "papers.nips.cc",
        "proceedings.mlr.press",
        "www.semanticscholar.org",
        "dl.acm.org",
        "ieeexplore.ieee.org",
        "www.jmlr.org",
        "jmlr.org",
        "paperswithcode.com",
    }
)
ARTICLE_HOSTS = (
    "medium.com",
    "towardsdatascience.com",
    "substack.com",
    "dev.to",
    "lilianweng.github.io",
    "jalammar.github.io",
    "colah.github.io",
    "distill.pub",
    "thegradient.pub",
    "ruder.io",
)
DOCS_PATH = re.compile(r"/(?:docs?|documentation|tutorials?|guides?|api|reference|manual)(?:/|$)")
ARTICLE_PATH = re.compile(r"/(?:blog|blogs|posts?|articles?|news)(?:/|$)|/\d{4}/\d{2}/")


def page_kind(host: str, path: str) -> str:
    """Best guess of what a page is, from where it lives."""
    lowered = path.lower()
    if host in PAPER_HOSTS:
        return "paper"
    if host.startswith(("docs.", "doc.")) or host.endswith((".readthedocs.io", ".readthedocs.org")):
        return "docs"
    if DOCS_PATH.search(lowered):
        return "docs"
    if host.startswith("blog.") or host.endswith(ARTICLE_HOSTS):
        return "article"
    if ARTICLE_PATH.search(lowered):
        return "article"
    return "page"


HOST_RULES = (medium, substack, csdn, wechat)


def host_rule(host: str) -> pages.Rule | None:
    """The ``parse_page`` of the rule for pages of ``host`` (or a subdomain), or None."""
    for rule in HOST_RULES:
        if any(host == known or host.endswith("." + known) for known in rule.PAGE_HOSTS):
            return rule.parse_page
    return None


class Web(Source):
    """Fallback for every http(s) link no other source claims."""

    name = "web"
    kind = "page"
    examples = (
        ("https://www.deepspeed.ai/", "https://www.deepspeed.ai/"),
        ("https://www.deepspeed.ai/tutorials/azure/", "https://www.deepspeed.ai/tutorials/azure/"),
        ("HTTPS://Example.COM:443/a?b=2&a=1&utm_source=x#top", "https://example.com/a?a=1&b=2"),
    )
    counter_examples = ("ftp://example.com/file", "mailto:someone@example.com")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme not in ("http", "https") or not url.hostname:
            return None
        canonical = canonical_url(url)
        return Identity(canonical, page_kind(url.hostname, url.path), cls.name, canonical)

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return pages.fetches(seeds, cls.read)

    @classmethod
    def read(cls, response: Response, fetch: Fetch) -> list[Found]:
        return pages.read(response, fetch, host_rule(urlsplit(response.url).hostname or ""))
