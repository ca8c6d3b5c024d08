"""Any other video host: yt-dlp's own extractor registry, and hosts named in VIDEO_HOSTS.

Matching runs yt-dlp's URL patterns only, never the network. Checking all of yt-dlp's
extractors costs milliseconds per URL, so each host first narrows them to those whose
pattern names its site label (``vimeo`` of ``player.vimeo.com``) as a whole word, looked up
in an index of the words of every pattern (scanning every pattern cost 26 ms a new host).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import SplitResult, urlunsplit

from .base import Identity, canonical_url
from .fields import from_one_source, known

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


class VideoHost:
    """Fallback for video links: yt-dlp knows the site, or the user said it is a video host."""

    name = "video"
    kind = "video"
    examples = (
        ("https://vimeo.com/76979871", "vimeo:76979871"),
        ("https://www.ted.com/talks/andrew_ng_how_ai_could_empower_any_business",
         "tedtalk:andrew_ng_how_ai_could_empower_any_business"),
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


def parse_info(info: dict) -> dict:
    """Record fields of a video or playlist from a yt-dlp info dict
    (``YoutubeDL.extract_info(url, download=False)``)."""
    fields = {
        "title": info.get("title"),
        "channel": info.get("channel") or info.get("uploader"),
        "published": info.get("upload_date"),
        "view_count": info.get("view_count"),
        "description": info.get("description"),
        "language": info.get("language"),
        "status": "ok",
    }
    if info.get("_type") == "playlist":
        fields |= _playlist_fields(info)
    else:
        fields["duration"] = info.get("duration")
        fields["chapters"] = [
            {"title": chapter.get("title"), "start": chapter.get("start_time")}
            for chapter in info.get("chapters") or []
        ]
    return from_one_source(known(fields), "yt-dlp")


def _playlist_fields(info: dict) -> dict:
    """Item count and total duration; ``partial`` when some entries have no duration."""
    entries = list(info.get("entries") or [])
    durations = [entry.get("duration") if entry else None for entry in entries]
    known_durations = [duration for duration in durations if duration is not None]
    fields = {
        "playlist_count": info.get("playlist_count") or len(entries),
        "duration": sum(known_durations) if known_durations else None,
    }
    if unknown := len(durations) - len(known_durations):
        fields["status"] = "partial"
        fields["error"] = f"duration unknown for {unknown} of {len(entries)} playlist entries"
    return fields
