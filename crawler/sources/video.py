"""Any other video host: yt-dlp's own extractor registry, and hosts named in VIDEO_HOSTS.

Matching runs yt-dlp's URL patterns only, never the network. Checking all of yt-dlp's
extractors costs milliseconds per URL, so each host first narrows them to those whose
pattern names its site label (``vimeo`` of ``player.vimeo.com``) as a whole word, looked up
in an index of the words of every pattern (scanning every pattern cost 26 ms a new host).

Each video or playlist is asked of yt-dlp (``video_info``); a site with an oEmbed
endpoint is asked there when yt-dlp cannot read it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlunsplit

from . import video_info
from .base import Fetch, Identity, Seed, Source, canonical_url

if TYPE_CHECKING:
    from scrapy.settings import Settings

# The setting holding the oEmbed endpoint of a site, as yt-dlp's extractor names its ids
# (``vimeo:…``; YouTube pages the YouTube source does not take are ``youtube:…`` too).
OEMBED_ENDPOINTS = {"youtube": "YOUTUBE_OEMBED_URL", "vimeo": "VIMEO_OEMBED_URL"}
# Second-level labels under which sites register (example.co.uk, example.com.cn).
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "edu", "gov", "ne", "or"})


@cache
def _extractors_by_word() -> dict[str, tuple]:
    """Each word of yt-dlp's URL patterns, with the extractors whose pattern has it, in
    yt-dlp's order."""
    from yt_dlp.extractor import gen_extractor_classes

    index: dict[str, list] = {}
    for ie in gen_extractor_classes():
        if ie.ie_key() != "Generic" and ie._VALID_URL:
            for word in dict.fromkeys(re.findall(r"[a-z0-9]+", str(ie._VALID_URL).lower())):
                index.setdefault(word, []).append(ie)
    return {word: tuple(extractors) for word, extractors in index.items()}


def site_label(host: str) -> str:
    """The label a site is known by: ``vimeo`` for player.vimeo.com, ``bbc`` for bbc.co.uk."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


@cache
def _candidates(host: str) -> tuple:
    if not any(c.isalpha() for c in host):
        return ()  # an IP address: no video site is known by one
    # A label with a hyphen narrows by its first word: the candidates are only a shortlist
    # for ``suitable``.
    return _extractors_by_word().get(re.split(r"[^a-z0-9]", site_label(host))[0], ())


def extractor_for(url: str, host: str):
    """The yt-dlp extractor class that claims ``url``, or None."""
    return next((ie for ie in _candidates(host) if ie.suitable(url)), None)


class VideoHost(Source):
    """Fallback for video links: yt-dlp knows the site, or the user said it is a video host."""

    name = "video"
    kind = "video"
    examples = (
        ("https://vimeo.com/76979871", "vimeo:76979871"),
        (
            "https://www.ted.com/talks/andrew_ng_how_ai_could_empower_any_business",
            "tedtalk:andrew_ng_how_ai_could_empower_any_business",
        ),
    )
    counter_examples = ("https://example.com/blog/post", "https://vimeo.com/")

    @classmethod
    def identify(cls, url: SplitResult, video_hosts: frozenset[str] = frozenset()) -> Identity | None:
        host = url.hostname or ""
        if host in video_hosts:
            canonical = canonical_url(url)
            return Identity(f"video:{canonical}", "video", cls.name, canonical, {"extractor": "generic"})
        if url.scheme not in ("http", "https") or not _candidates(host):
            return None
        text = urlunsplit(url)
        ie = extractor_for(text, host)
        if ie is None:
            return None
        kind = "playlist" if getattr(ie, "_RETURN_TYPE", None) == "playlist" else "video"
        temp_id = ie.get_temp_id(text)
        canonical = canonical_url(url)
        identity = f"{ie.ie_key().lower()}:{temp_id}" if temp_id else f"video:{canonical}"
        return Identity(identity, kind, cls.name, canonical, {"extractor": ie.ie_key()})

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return [video_info.fetch([seed.id], seed.url, oembed_endpoint(seed.id, settings)) for seed in seeds]


def oembed_endpoint(resource_id: str, settings: Settings) -> str | None:
    """The oEmbed endpoint of the site of the video ``resource_id``, or None."""
    setting = OEMBED_ENDPOINTS.get(resource_id.partition(":")[0])
    return settings.get(setting) if setting else None
