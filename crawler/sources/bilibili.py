"""bilibili: BV and av videos, with their part number; b23.tv short links.

Each video is asked of yt-dlp (``video_info``). A b23.tv short link names its video only
once followed: it is fetched as a page first, and the address it leads to goes to yt-dlp.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from . import video_info
from .base import Fetch, Identity, Seed, Source, query_params

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

VIDEO = re.compile(r"^/video/(BV[0-9A-Za-z]{10}|av\d+)/?$", re.IGNORECASE)
SHORT_LINK = "bilibili:b23:"


class Bilibili(Source):
    name = "bilibili"
    kind = "video"
    hosts = frozenset({"bilibili.com", "www.bilibili.com", "m.bilibili.com", "b23.tv"})
    examples = (
        (
            "https://www.bilibili.com/video/BV1ts4y1T7UH/?share_source=copy_web"
            "&vd_source=1aea27c12a97d57f180ca22afea77cce",
            "bilibili:BV1ts4y1T7UH",
        ),
        ("https://www.bilibili.com/video/BV1ts4y1T7UH", "bilibili:BV1ts4y1T7UH"),
        ("https://m.bilibili.com/video/BV1ts4y1T7UH?spm_id_from=333.1", "bilibili:BV1ts4y1T7UH"),
        ("https://www.bilibili.com/video/BV1ts4y1T7UH?p=3", "bilibili:BV1ts4y1T7UH/p3"),
        ("https://www.bilibili.com/video/av170001/", "bilibili:av170001"),
        ("https://b23.tv/xYz12Ab", "bilibili:b23:xYz12Ab"),
    )
    counter_examples = (
        "https://www.bilibili.com/",
        "https://space.bilibili.com/12345",
        "https://www.bilibili.com/video/",
        "https://www.bilibili.com/read/cv123",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname not in cls.hosts:
            return None
        if url.hostname == "b23.tv":
            code = url.path.strip("/")
            if not code or "/" in code:
                return None
            return Identity(f"{SHORT_LINK}{code}", "video", cls.name, f"https://b23.tv/{code}")
        match = VIDEO.match(url.path)
        if not match:
            return None
        video = match.group(1)
        video = "BV" + video[2:] if video[:2].lower() == "bv" else video.lower()
        part = query_params(url).get("p", "")
        part = int(part) if part.isdigit() and int(part) > 1 else None
        suffix, query = (f"/p{part}", f"?p={part}") if part else ("", "")
        return Identity(
            f"bilibili:{video}{suffix}",
            "video",
            cls.name,
            f"https://www.bilibili.com/video/{video}/{query}",
            {"part": part} if part else {},
        )

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return [
            Fetch([seed.id], seed.url, cls.follow_short_link)
            if seed.id.startswith(SHORT_LINK)
            else video_info.fetch([seed.id], seed.url)
            for seed in seeds
        ]

    @classmethod
    def follow_short_link(cls, response: Response, fetch: Fetch) -> list[Fetch]:
        """The video the short link led to, asked of yt-dlp."""
        return [video_info.fetch(fetch.ids, response.url)]
