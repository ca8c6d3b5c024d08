"""Social posts: statuses on X/Twitter and on Mastodon instances.

A post is read from what its site publishes for embedding: X's oEmbed endpoint (author,
and the text in the blockquote it returns) and a Mastodon instance's public status API
(its oEmbed answer carries no text). Both sites number posts with ids that encode the
moment of posting, so the date needs no request at all. A post whose text links media is
asked of yt-dlp too, and is a video only when yt-dlp finds one in it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from bs4 import BeautifulSoup

from ..records import present
from . import oembed
from .base import Fetch, Found, Identity, Seed, Source
from .fields import moment, text

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

STATUS = re.compile(r"^/(?:(\w{1,15})/status(?:es)?|i/web/status)/(\d{1,20})(?:/(?:photo|video)/\d)?/?$")
# X's snowflake ids: milliseconds since its epoch above bit 22. Ids handed out before
# snowflake (November 2010) stayed below this and carry no date. Both sites' ids are
# signed 64-bit numbers: a larger one is no status id.
TWITTER_EPOCH_MS = 1288834974657
LAST_SEQUENTIAL_TWEET_ID = 30_000_000_000
ID_LIMIT = 2**63
MASTODON_STATUS = re.compile(r"^/(?:@(\w+)(?:@[\w.-]+)?|users/(\w+)/statuses)/(\d{1,20})/?$")
# Mastodon ids: Unix milliseconds above bit 16. Statuses older than Mastodon 2.0 kept small
# sequential ids; an id whose moment falls before Mastodon existed (2016) is one of those.
MASTODON_FIRST_MS = 1451606400000


def tweet_date(status_id: int) -> str | None:
    """When a tweet was posted, from its snowflake id; None for pre-snowflake ids."""
    if not LAST_SEQUENTIAL_TWEET_ID < status_id < ID_LIMIT:
        return None
    return moment(((status_id >> 22) + TWITTER_EPOCH_MS) / 1000)


def toot_date(status_id: int) -> str | None:
    """When a Mastodon status was posted, from its id; None for pre-2.0 ids."""
    milliseconds = status_id >> 16
    return moment(milliseconds / 1000) if MASTODON_FIRST_MS <= milliseconds and status_id < ID_LIMIT else None


def date_from_id(resource_id: str) -> str | None:
    """The posting date of the post ``resource_id`` names, read off its status id."""
    source, _, rest = resource_id.partition(":")
    status_id = int(rest.rpartition("/")[2])
    return tweet_date(status_id) if source == Twitter.name else toot_date(status_id)


def date_fields(resource_id: str) -> dict:
    """The post's date as record fields, traced to its id; {} when the id holds none.
    A post the API cannot give still has them."""
    date = date_from_id(resource_id)
    return {"published": date, "provenance": {"published": "status-id"}} if date else {}


def _text_fields(words: str | None) -> dict:
    """A post has no title: its first line stands for one, and its whole text, when
    longer, is the description."""
    if not words:
        return {}
    title = words.splitlines()[0]
    return {"title": title, "description": words if words != title else None}


def _paragraphs(markup: str | None) -> list[str]:
    """The text of each ``<p>`` of an HTML snippet, ``<br>`` kept as a line break."""
    if not markup:
        return []
    soup = BeautifulSoup(markup, "lxml")
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")
    texts = (
        "\n".join(" ".join(line.split()) for line in p.get_text().splitlines()) for p in soup.find_all("p")
    )
    return [paragraph.strip() for paragraph in texts if paragraph.strip()]


def _record(fields: dict, source: str, date_source: str) -> dict:
    """The known ``fields``, each traced to ``source``, the date to ``date_source``."""
    fields = present(fields)
    provenance = {name: date_source if name == "published" else source for name in fields}
    return {**fields, "status": "ok", "provenance": provenance}


class Post(Source):
    """What posts of every site share: read from the site's embedding API, whose 404 means
    the post was deleted; then, if it links media, from yt-dlp."""

    kind = "post"

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        twitter_oembed = settings.get("TWITTER_OEMBED_URL")
        return [
            Fetch(
                [seed.id],
                api_url(seed.id, seed.url, twitter_oembed),
                cls.read,
                api=True,
                meta={"handle_httpstatus_list": [404]},
                carry={"url": seed.url},
            )
            for seed in seeds
        ]

    @classmethod
    def read(cls, response: Response, fetch: Fetch) -> list[Found | Fetch]:
        [resource_id] = fetch.ids
        posted = date_fields(resource_id)
        if response.status == 404:
            return [(resource_id, {"status": "gone", "error": "the post was deleted or hidden", **posted})]
        try:
            fields = parse_post(resource_id, response.body)
        except ValueError as error:
            return [(resource_id, {"status": "http_error", "error": str(error), **posted})]
        if may_hold_video(fields):  # a post is a video only if yt-dlp finds one in it
            return [
                Fetch(
                    fetch.ids,
                    fetch.carry["url"],
                    cls.read_video,
                    failed=cls.keep_post,
                    yt_dlp=True,
                    carry={"post": fields},
                )
            ]
        return [(resource_id, fields)]

    @classmethod
    def read_video(cls, response: Response, fetch: Fetch) -> list[Found]:
        return fetch.found(with_video(fetch.carry["post"], json.loads(response.text)))

    @classmethod
    def keep_post(cls, fetch: Fetch, refusal: dict) -> list[Found]:
        """No video found (or yt-dlp refused): the post stays what its embedding API said."""
        return fetch.found(fetch.carry["post"])


class Twitter(Post):
    name = "twitter"
    hosts = frozenset(
        {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com", "mobile.x.com"}
    )
    examples = (
        ("https://twitter.com/karpathy/status/1617979122625712128", "twitter:1617979122625712128"),
        ("https://x.com/karpathy/status/1617979122625712128?s=20", "twitter:1617979122625712128"),
        ("https://mobile.twitter.com/dair_ai/status/1618647512421908480", "twitter:1618647512421908480"),
        ("https://twitter.com/omarsar0/status/1641802431035584513/photo/1", "twitter:1641802431035584513"),
        ("https://twitter.com/i/web/status/1617979122625712128", "twitter:1617979122625712128"),
    )
    counter_examples = (
        "https://twitter.com/karpathy",
        "https://x.com/home",
        "https://twitter.com/karpathy/status/",
        "https://twitter.com/karpathy/likes",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname not in cls.hosts or not (match := STATUS.match(url.path)):
            return None
        user, status_id = match.group(1) or "i", match.group(2)
        return Identity(
            f"twitter:{status_id}", "post", cls.name, f"https://twitter.com/{user}/status/{status_id}"
        )


def parse_tweet(body: bytes, resource_id: str) -> dict:
    """Record fields of a tweet from X's oEmbed answer: the author, the text of the
    blockquote's paragraph, the date from the status id. Raises ValueError when the
    answer is not an oEmbed object of a post."""
    data = oembed.read(body)
    paragraphs = _paragraphs(text(data.get("html")))
    words = paragraphs[0] if paragraphs else None  # what follows the <p> is the byline
    author = text(data.get("author_name"))
    if not words and not author:
        raise ValueError("oEmbed answer names no author and no text")
    fields = {
        "authors": [author] if author else None,
        **_text_fields(words),
        "published": date_from_id(resource_id),
    }
    return _record(fields, "oembed", "status-id")


class Mastodon(Post):
    """Fallback for statuses on any Mastodon instance: ``https://<instance>/@user/<id>``."""

    name = "mastodon"
    examples = (
        (
            "https://mastodon.social/@Gargron/109377213917390281",
            "mastodon:mastodon.social/109377213917390281",
        ),
        (
            "https://sigmoid.social/@ai@example.org/110203154712345678/",
            "mastodon:sigmoid.social/110203154712345678",
        ),
        (
            "https://fosstodon.org/users/someone/statuses/109862183451234567",
            "mastodon:fosstodon.org/109862183451234567",
        ),
    )
    counter_examples = (
        "https://mastodon.social/@Gargron",
        "https://example.com/@team/about",
        "https://medium.com/@karpathy/software-2-0-a64152b37c35",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme not in ("http", "https") or not (match := MASTODON_STATUS.match(url.path)):
            return None
        user, status_id = match.group(1) or match.group(2), match.group(3)
        return Identity(
            f"mastodon:{url.netloc}/{status_id}",
            "post",
            cls.name,
            f"{url.scheme}://{url.netloc}/@{user}/{status_id}",
        )


def mastodon_api_url(post_url: str) -> str:
    """The instance's public API address of the status ``post_url`` names."""
    base, _, status_id = post_url.rstrip("/").rpartition("/")
    instance = base.rpartition("/@")[0]
    return f"{instance}/api/v1/statuses/{status_id}"


def parse_toot(body: bytes, resource_id: str) -> dict:
    """Record fields of a Mastodon status from the instance's API answer
    (``GET /api/v1/statuses/:id``). Raises ValueError for anything else."""
    data = oembed.read(body)
    account = data.get("account") if isinstance(data.get("account"), dict) else {}
    author = text(account.get("display_name")) or text(account.get("username"))
    words = "\n".join(_paragraphs(text(data.get("content"))))
    if not words and not author:
        raise ValueError("status answer names no author and no text")
    created = text(data.get("created_at"))
    fields = {
        "authors": [author] if author else None,
        **_text_fields(words),
        "published": created or date_from_id(resource_id),
        "language": text(data.get("language")),
    }
    return _record(fields, "mastodon-api", "mastodon-api" if created else "status-id")


def api_url(resource_id: str, url: str, twitter_oembed: str) -> str:
    """Where the post ``resource_id`` (at ``url``) is read: X's oEmbed endpoint, or the
    status API of the Mastodon instance it lives on."""
    if resource_id.startswith(f"{Twitter.name}:"):
        return oembed.request_url(twitter_oembed, url, omit_script="true", dnt="true")
    return mastodon_api_url(url)


def parse_post(resource_id: str, body: bytes) -> dict:
    """Record fields of the post ``resource_id`` from the answer of its ``api_url``."""
    parse = parse_tweet if resource_id.startswith(f"{Twitter.name}:") else parse_toot
    return parse(body, resource_id)


# X links a post's picture or video as pic.twitter.com/… (pic.x.com/… lately); only
# yt-dlp can tell which of the two it is.
MEDIA_LINK = re.compile(r"\bpic\.(?:twitter|x)\.com/\w+")


def may_hold_video(fields: dict) -> bool:
    """Whether the post's text links media, which may be a video."""
    return bool(MEDIA_LINK.search(fields.get("description") or fields.get("title") or ""))


def with_video(fields: dict, info: dict) -> dict:
    """The post's ``fields`` as a video when yt-dlp's ``info`` found one in it (a
    duration); unchanged otherwise."""
    duration = info.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0:
        return fields
    provenance = {**fields.get("provenance", {}), "duration": "yt-dlp"}
    return {**fields, "duration": duration, "kind_hint": "video", "provenance": provenance}
