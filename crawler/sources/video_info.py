"""A video or playlist asked of yt-dlp: the fetch, and the record fields of the info dict
yt-dlp answers with (title, channel, duration, chapters, a playlist's entries).

When yt-dlp cannot read a video (refused, gone), the site's oEmbed endpoint, where the
source names one, still gives its title, channel and thumbnail.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import present
from . import oembed
from .base import Fetch, Found, Seed
from .fields import from_one_source

if TYPE_CHECKING:
    from scrapy.http import Response


def fetches(seeds: list[Seed], oembed_endpoint: str | None = None) -> list[Fetch]:
    """One yt-dlp call for each seed, falling back on ``oembed_endpoint`` when it fails."""
    return [fetch([seed.id], seed.url, oembed_endpoint) for seed in seeds]


def fetch(ids: list[str], url: str, oembed_endpoint: str | None = None) -> Fetch:
    """The yt-dlp call for the video at ``url``."""
    if oembed_endpoint:
        return Fetch(ids, url, read, failed=ask_oembed, yt_dlp=True, carry={"oembed": oembed_endpoint})
    return Fetch(ids, url, read, yt_dlp=True)


def read(response: Response, fetch: Fetch) -> list[Found]:
    return fetch.found(parse_info(json.loads(response.text)))


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
    return from_one_source(present(fields), "yt-dlp")


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


def ask_oembed(fetch: Fetch, refusal: dict) -> list[Fetch]:
    """The site's oEmbed answer instead; ``refusal``, what yt-dlp's attempt means for the
    record, stands if oEmbed has nothing either."""
    url = oembed.request_url(fetch.carry["oembed"], fetch.url, format="json")
    return [
        replace(
            fetch,
            url=url,
            read=read_oembed,
            failed=keep_refusal,
            api=True,
            yt_dlp=False,
            carry={"refusal": refusal},
        )
    ]


def read_oembed(response: Response, fetch: Fetch) -> list[Found]:
    refusal = fetch.carry["refusal"]
    try:
        fields = oembed.parse_video(response.body)
    except ValueError:
        return fetch.found(refusal)
    return fetch.found(
        {**fields, "status": "partial", "error": refusal["error"], "http_status": refusal["http_status"]}
    )


def keep_refusal(fetch: Fetch, refusal: dict) -> list[Found]:
    return fetch.found(fetch.carry["refusal"])
