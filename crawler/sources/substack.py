"""Substack posts (*.substack.com): the post as Substack stores it, in ``window._preloads``.

A paid post's page holds only a preview, so words counted on the page undercount it;
the preloads, a JSON text passed to ``JSON.parse("…")``, carry the post's own word count,
its bylines, subtitle and publication time.
"""

from __future__ import annotations

import json
import re

from ..records import present
from .fields import number, text
from .pages import LATIN_WORDS_PER_MINUTE

PAGE_HOSTS = ("substack.com",)
PRELOADS = re.compile(r'window\._preloads\s*=\s*JSON\.parse\(("(?:[^"\\]|\\.)*")\)', re.S)


def parse_page(url: str, page: str) -> dict:
    """Record fields of a Substack post from its page's preloads; {} without them."""
    match = PRELOADS.search(page)
    if match is None:
        return {}
    try:
        preloads = json.loads(json.loads(match[1]))  # a JSON string holding JSON page
    except (ValueError, RecursionError, TypeError):
        return {}
    item = preloads.get("post") if isinstance(preloads, dict) else None
    if not isinstance(item, dict):
        return {}
    bylines = item.get("publishedBylines") if isinstance(item.get("publishedBylines"), list) else []
    names = [b["name"] for b in bylines if isinstance(b, dict) and isinstance(b.get("name"), str)]
    words = number(item.get("wordcount"))
    words = int(words) if words and words > 0 else None
    fields = present(
        {
            "title": text(item.get("title")),
            "description": text(item.get("subtitle")) or text(item.get("description")),
            "authors": names,
            "published": text(item.get("post_date")),
            "word_count": words,
            "reading_time": round(words / LATIN_WORDS_PER_MINUTE * 60) if words else None,
        }
    )
    return {**fields, "provenance": dict.fromkeys(fields, "substack-preloads")} if fields else {}
