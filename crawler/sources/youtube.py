"""YouTube: videos in all their URL spellings, playlists and channels.

A video's or playlist's metadata (title, channel, duration, chapters) is asked of yt-dlp
(``video_info``); when YouTube refuses yt-dlp, its oEmbed endpoint (YOUTUBE_OEMBED_URL)
still gives title, channel and thumbnail. A channel is fetched as its page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from . import pages, video_info
from .base import Fetch, Identity, Seed, Source, query_params

if TYPE_CHECKING:
    from scrapy.settings import Settings

VIDEO_ID = re.compile(r"^[0-9A-Za-z_-]{11}$")
PATH_VIDEO = re.compile(r"^/(?:live|shorts|embed|v|e)/([0-9A-Za-z_-]{11})(?:[/?]|$)")
CHANNEL = re.compile(r"^/(@[^/]+|channel/[^/]+|c/[^/]+|user/[^/]+)/?")
OFFSET = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


def start_offset(value: str | None) -> int | None:
    """``t=90``, ``t=90s`` or ``t=1h2m3s`` as seconds."""
    match = OFFSET.match(value or "")
    if not value or not match:
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


class YouTube(Source):
    name = "youtube"
    kind = "video"
    hosts = frozenset(
        {
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "music.youtube.com",
            "youtu.be",
            "www.youtube-nocookie.com",
            "youtube-nocookie.com",
        }
    )
    examples = (
        ("https://www.youtube.com/watch?v=nzqlFIcCSWQ", "youtube:nzqlFIcCSWQ"),
        ("https://youtu.be/BR9h47Jtqyw", "youtube:BR9h47Jtqyw"),
        ("https://youtu.be/BR9h47Jtqyw?si=abc&t=42", "youtube:BR9h47Jtqyw"),
        ("https://www.youtube.com/live/p9IxoSkvZ-M?feature=share", "youtube:p9IxoSkvZ-M"),
        ("https://youtube.com/shorts/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=10", "youtube:dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&pp=ygU", "youtube:dQw4w9WgXcQ"),
        ("https://music.youtube.com/watch?v=dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=1h2m3s", "youtube:dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch/?v=dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ",
            "youtube:dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/playlist?list=PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ",
            "youtube:playlist:PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ",
        ),
        ("https://www.youtube.com/@karpathy", "youtube:channel:@karpathy"),
        (
            "https://www.youtube.com/channel/UCXUPKJO5MZQN11PqgIvyuvQ",
            "youtube:channel:channel/UCXUPKJO5MZQN11PqgIvyuvQ",
        ),
    )
    counter_examples = (
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/results?search_query=lora",
        "https://www.youtube.com/",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.example.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/",
        "https://www.youtube.com/feed/subscriptions",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname not in cls.hosts:
            return None
        params = query_params(url)
        if url.hostname == "youtu.be":
            video_id = url.path.strip("/").split("/")[0]
        elif url.path in ("/watch", "/watch/"):
            video_id = params.get("v", "")
        elif match := PATH_VIDEO.match(url.path):
            video_id = match.group(1)
        elif url.path == "/playlist" and params.get("list"):
            playlist = params["list"]
            return Identity(
                f"youtube:playlist:{playlist}",
                "playlist",
                cls.name,
                f"https://www.youtube.com/playlist?list={playlist}",
            )
        elif match := CHANNEL.match(url.path):
            channel = match.group(1)
            return Identity(
                f"youtube:channel:{channel}",
                "channel",
                cls.name,
                f"https://www.youtube.com/{channel}",
            )
        else:
            return None
        if not VIDEO_ID.match(video_id):
            return None
        attrs = {}
        if (start := start_offset(params.get("t") or params.get("start"))) is not None:
            attrs["start"] = start
        if params.get("list"):
            attrs["playlist"] = params["list"]
        return Identity(
            f"youtube:{video_id}",
            "video",
            cls.name,
            f"https://www.youtube.com/watch?v={video_id}",
            attrs,
        )

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        channels = [seed for seed in seeds if seed.kind == "channel"]
        videos = [seed for seed in seeds if seed.kind != "channel"]
        return [*video_info.fetches(videos, settings.get("YOUTUBE_OEMBED_URL")), *pages.fetches(channels)]
