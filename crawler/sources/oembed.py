"""oEmbed: the metadata a site publishes for embedding a link, read defensively.

Providers answer with a small JSON object (https://oembed.com/), but not always: a
refused or private item can come back as plain text ("Forbidden", "Not Found") even
with status 200, so anything that is not a JSON object is refused with ValueError.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from ..records import present
from .fields import text


def request_url(endpoint: str, url: str, **params: str) -> str:
    """The endpoint asked about ``url``, with ``params``."""
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode({"url": url, **params})


def read(body: bytes) -> dict:
    """The oEmbed object in ``body``. Raises ValueError for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than any answer
        raise ValueError("oEmbed answer is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("oEmbed answer is not a JSON object")
    return data


def parse_video(body: bytes) -> dict:
    """Record fields of a video from its oEmbed answer: title, channel, thumbnail.
    Raises ValueError when the answer names no title (an error page, a refusal)."""
    data = read(body)
    fields = present(
        {
            "title": text(data.get("title")),
            "channel": text(data.get("author_name")),
            "thumbnail": text(data.get("thumbnail_url")),
        }
    )
    if "title" not in fields:
        raise ValueError("oEmbed answer has no title")
    return {**fields, "provenance": dict.fromkeys(fields, "oembed")}
