"""The source registry: which source a URL belongs to, and its canonical identity.

Adding a source is adding a module with a ``Source`` subclass and one line in SOURCES.
SOURCES never overlap (the registry test proves it), so their order does not matter;
the fallbacks come after them, in order.

PAGE_RULES are the modules that know where a host keeps its metadata when the generic
page parser would miss it: each names its hosts in PAGE_HOSTS and reads a page with
``parse_page(url, page)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import SplitResult

from . import csdn, medium, substack, wechat, zhihu
from .arxiv import Arxiv
from .base import Identity, Source, split_url
from .bilibili import Bilibili
from .doi import Doi
from .github import GitHub
from .google_docs import GoogleDocs
from .post import Mastodon, Twitter
from .video import VideoHost
from .web import Web
from .youtube import YouTube
from .zhihu import Zhihu

SOURCES: tuple[type[Source], ...] = (YouTube, Bilibili, Arxiv, GitHub, Doi, GoogleDocs, Zhihu, Twitter)
FALLBACKS = (Mastodon, VideoHost, Web)
SCHEMES = {"arxiv": Arxiv, "doi": Doi}
PAGE_RULES = (medium, substack, zhihu, csdn, wechat)

__all__ = ["FALLBACKS", "PAGE_RULES", "SOURCES", "Identity", "Registry", "Source", "page_rule"]


class Registry:
    """Resolves URLs to identities; ``video_hosts`` are hosts to treat as video sites."""

    def __init__(self, video_hosts: Iterable[str] = ()):
        self.video_hosts = frozenset(h.strip().lower() for h in video_hosts if h.strip())
        self._by_host = {host: source for source in SOURCES for host in source.hosts}

    def identify(self, url: str | SplitResult) -> Identity | None:
        """The identity of ``url`` (text, or already split by ``split_url``), or None when
        no source can take it (``ftp:``, a malformed port or host)."""
        try:
            parts = split_url(url) if isinstance(url, str) else url
        except ValueError:
            return None
        specific = SCHEMES.get(parts.scheme) or self._by_host.get(parts.hostname or "")
        if specific and (identity := specific.identify(parts)):
            return identity
        return (Mastodon.identify(parts) or VideoHost.identify(parts, self.video_hosts)
                or Web.identify(parts))


def page_rule(host: str):
    """The ``parse_page`` of the rule module for pages of ``host`` (or a subdomain), or None."""
    for rule in PAGE_RULES:
        if any(host == known or host.endswith("." + known) for known in rule.PAGE_HOSTS):
            return rule.parse_page
    return None
