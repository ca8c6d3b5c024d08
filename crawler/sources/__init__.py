"""The source registry: which source a URL belongs to, its canonical identity, and what
to fetch for the resources of a roadmap.

Adding a source is adding a module with a ``Source`` subclass and one line in SOURCES (or
passing it to a ``Registry``). SOURCES never overlap (the registry test proves it), so
their order does not matter; the fallbacks come after them, in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from . import semantic_scholar
from .arxiv import Arxiv
from .base import Fetch, Identity, Seed, Source, split_url
from .bilibili import Bilibili
from .doi import Doi
from .github import GitHub
from .google_docs import GoogleDocs
from .post import Mastodon, Twitter
from .video import VideoHost
from .web import Web
from .youtube import YouTube
from .zhihu import Zhihu

if TYPE_CHECKING:
    from scrapy.settings import Settings

SOURCES: tuple[type[Source], ...] = (YouTube, Bilibili, Arxiv, GitHub, Doi, GoogleDocs, Zhihu, Twitter)
FALLBACKS = (Mastodon, VideoHost, Web)
SCHEMES = {"arxiv": Arxiv, "doi": Doi}

__all__ = ["FALLBACKS", "SOURCES", "Fetch", "Identity", "Registry", "Source"]


class Registry:
    """Resolves URLs to identities and plans their fetches; ``video_hosts`` are hosts to
    treat as video sites, ``sources`` the specific sources to ask before the fallbacks."""

    def __init__(self, video_hosts: Iterable[str] = (), sources: Iterable[type[Source]] = SOURCES):
        self.video_hosts = frozenset(h.strip().lower() for h in video_hosts if h.strip())
        self.sources = tuple(sources)
        self._by_host = {host: source for source in self.sources for host in source.hosts}
        self._by_name = {source.name: source for source in (*self.sources, *FALLBACKS)}

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
        return Mastodon.identify(parts) or VideoHost.identify(parts, self.video_hosts) or Web.identify(parts)

    def source(self, name: str) -> type[Source]:
        """The source called ``name``, as an identity of this registry names it."""
        return self._by_name[name]

    def plan(self, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        """What to fetch for ``seeds``, as their sources plan it, in roadmap order; the
        papers' citations are asked first."""
        by_source: dict[str, list[Seed]] = defaultdict(list)
        for seed in seeds:
            by_source[seed.source].append(seed)
        fetches = [
            fetch for name, group in by_source.items() for fetch in self.source(name).fetches(group, settings)
        ]
        position = {seed.id: n for n, seed in enumerate(seeds)}
        fetches.sort(key=lambda fetch: position[fetch.ids[0]])
        return semantic_scholar.first(fetches, settings)
