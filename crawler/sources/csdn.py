"""CSDN blog posts (blog.csdn.net): metadata in the article header, not in meta tags.

The page title carries the blog's name (``Title_nick的博客-CSDN博客``), the meta
description starts with view and like counts (``文章浏览阅读1.2w次，点赞12次。``), and
the dates are text in China's time zone: ``于 2023-05-06 10:20:30 发布`` for a post never
edited, ``已于 … 修改`` plus ``于 … 首次发布`` for an edited one.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml.cssselect import CSSSelector

from ..records import present
from .fields import html_tree, text

PAGE_HOSTS = ("blog.csdn.net",)
STAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})")
COUNTS_PREFIX = re.compile(r"^文章浏览阅读[^。]*。")
CHINA_OFFSET = "+08:00"
TITLE = CSSSelector(".article-title-box .title-article, h1#articleContentId")
AUTHOR = CSSSelector(".article-bar-top .follow-nickName, .follow-nickName")
DESCRIPTION = CSSSelector('meta[name="description"]')
STAMPS = CSSSelector(".article-bar-top .time, .up-time span")


def parse_page(url: str, page: str) -> dict:
    """Record fields of a CSDN post from its article header."""
    if (tree := html_tree(page)) is None:
        return {}
    title, author, description = (_first(selector(tree)) for selector in (TITLE, AUTHOR, DESCRIPTION))
    stamps = {"published": None, "updated": None}
    for span in STAMPS(tree):
        label = " ".join(span.text_content().split())
        if (match := STAMP.search(label)) and _is_time(f"{match[1]}T{match[2]}"):
            stamps["updated" if "修改" in label else "published"] = f"{match[1]}T{match[2]}{CHINA_OFFSET}"
    nick = text(author.text_content().strip()) if author is not None else None
    fields = present(
        {
            "title": title.text_content().strip() if title is not None else None,
            "authors": [nick] if nick else None,
            "description": COUNTS_PREFIX.sub("", (description.get("content") or "").strip())
            if description is not None
            else None,
            **stamps,
        }
    )
    provenance = {name: "meta" if name == "description" else "csdn-header" for name in fields}
    return {**fields, "provenance": provenance} if fields else {}


def _first(elements: list):
    return elements[0] if elements else None


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
