"""Any other web page: identity is its canonical URL; the kind is read off host and path."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

from .base import Identity, canonical_url

PAPER_HOSTS = frozenset(
    {"aclanthology.org", "www.aclweb.org", "openreview.net", "proceedings.neurips.cc",
     "papers.nips.cc", "proceedings.mlr.press", "www.semanticscholar.org",
     "dl.acm.org", "ieeexplore.ieee.org", "www.jmlr.org", "jmlr.org", "paperswithcode.com"}
)
ARTICLE_HOSTS = (
    "medium.com", "towardsdatascience.com", "substack.com", "dev.to", "lilianweng.github.io",
    "jalammar.github.io", "colah.github.io", "distill.pub", "thegradient.pub", "ruder.io",
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


class Web:
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
