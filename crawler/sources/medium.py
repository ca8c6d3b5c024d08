"""Medium: what its posts' pages keep in ``window.__APOLLO_STATE__``.

A Medium page's JSON-LD and meta tags give title and author, but a member-only post's
page holds only its first paragraphs, so words counted on the page undercount it. The
Apollo state holds the post as Medium stores it: reading time, subtitle, first
publication and the author's name.
"""

from __future__ import annotations

import json
import re

from ..records import present
from .fields import moment, number, text

PAGE_HOSTS = ("medium.com",)
APOLLO_STATE = re.compile(r"window\.__APOLLO_STATE__\s*=\s*(\{.*?\})\s*</script>", re.S)
# A post's URL ends in its id: /@user/some-title-a64152b37c35, /p/a64152b37c35.
POST_ID = re.compile(r"(?:-|/p/)([0-9a-f]{8,16})/?$")


def parse_page(url: str, page: str) -> dict:
    """Record fields of a Medium post from its page's Apollo state; {} without one."""
    match = APOLLO_STATE.search(page)
    if match is None:
        return {}
    try:
        state = json.loads(match[1])
    except (ValueError, RecursionError):
        return {}
    post = _post(state, url)
    if not post:
        return {}
    creator = post.get("creator") if isinstance(post.get("creator"), dict) else {}
    author = state.get(creator.get("__ref")) if isinstance(creator.get("__ref"), str) else None
    preview = post.get("previewContent") if isinstance(post.get("previewContent"), dict) else {}
    reading_minutes = number(post.get("readingTime"))
    published = number(post.get("firstPublishedAt"))
    updated = number(post.get("latestPublishedAt")) or number(post.get("updatedAt"))
    fields = present(
        {
            "title": text(post.get("title")),
            "authors": [author["name"]] if isinstance(author, dict) and text(author.get("name")) else None,
            "description": text(preview.get("subtitle")),
            "published": moment(published / 1000) if published else None,
            "updated": moment(updated / 1000) if updated else None,
            "reading_time": round(reading_minutes * 60) if reading_minutes and reading_minutes > 0 else None,
        }
    )
    return {**fields, "provenance": dict.fromkeys(fields, "medium-apollo-state")} if fields else {}


def _post(state, url: str) -> dict:
    """The state's entry for the post ``url`` names, else its only post."""
    if not isinstance(state, dict):
        return {}
    if (match := POST_ID.search(url.split("?")[0])) and isinstance(
        post := state.get(f"Post:{match[1]}"), dict
    ):
        return post
    posts = [value for key, value in state.items() if key.startswith("Post:") and isinstance(value, dict)]
    return posts[0] if len(posts) == 1 else {}
