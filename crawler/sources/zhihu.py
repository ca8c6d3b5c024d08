"""Zhihu: answers, column articles and questions, and what their pages say of them."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from ..records import present
from . import pages
from .base import Fetch, Found, Identity, Seed, Source, split_url
from .fields import moment

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

ANSWER = re.compile(r"^/question/(\d+)/answer/(\d+)/?$")
QUESTION = re.compile(r"^/question/(\d+)/?$")
COLUMN = re.compile(r"^/p/(\d+)/?$")


class Zhihu(Source):
    name = "zhihu"
    kind = "article"
    hosts = frozenset({"zhihu.com", "www.zhihu.com", "zhuanlan.zhihu.com"})
    examples = (
        ("https://www.zhihu.com/question/604134581/answer/3063230236", "zhihu:answer:3063230236"),
        ("https://zhuanlan.zhihu.com/p/403433120", "zhihu:article:403433120"),
        ("https://zhuanlan.zhihu.com/p/403433120?utm_source=wechat", "zhihu:article:403433120"),
        ("https://www.zhihu.com/question/604134581", "zhihu:question:604134581"),
    )
    counter_examples = ("https://www.zhihu.com/", "https://www.zhihu.com/people/someone")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname == "zhuanlan.zhihu.com" and (match := COLUMN.match(url.path)):
            return Identity(
                f"zhihu:article:{match[1]}", "article", cls.name, f"https://zhuanlan.zhihu.com/p/{match[1]}"
            )
        if url.hostname not in ("zhihu.com", "www.zhihu.com"):
            return None
        if match := ANSWER.match(url.path):
            return Identity(
                f"zhihu:answer:{match[2]}",
                "article",
                cls.name,
                f"https://www.zhihu.com/question/{match[1]}/answer/{match[2]}",
            )
        if match := QUESTION.match(url.path):
            return Identity(
                f"zhihu:question:{match[1]}",
                "article",
                cls.name,
                f"https://www.zhihu.com/question/{match[1]}",
            )
        return None

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return pages.fetches(seeds, cls.read)

    @classmethod
    def read(cls, response: Response, fetch: Fetch) -> list[Found]:
        """The page, with what Zhihu's own data says of the item laid over."""
        return pages.read(response, fetch, parse_page)


# Zhihu renders its pages in the browser from the JSON in this script; the HTML around
# it carries little more than the title.
INITIAL_DATA = re.compile(r'<script[^>]*\bid="js-initialData"[^>]*>(.*?)</script>', re.S)


def parse_page(url: str, page: str) -> dict:
    """Record fields of a Zhihu answer, article or question from the page's
    ``js-initialData`` JSON; {} when the page has none or not this item."""
    identity = Zhihu.identify(split_url(url))
    match = INITIAL_DATA.search(page)
    if identity is None or match is None:
        return {}
    try:
        entities = json.loads(match[1])["initialState"]["entities"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return {}
    _, what, item_id = identity.id.split(":")
    item = _entity(entities, what + "s", item_id)
    if what == "answer":
        question = item.get("question") if isinstance(item.get("question"), dict) else {}
        title = question.get("title") or _entity(entities, "questions", str(question.get("id"))).get("title")
    else:
        title = item.get("title")
    author = item.get("author") if isinstance(item.get("author"), dict) else {}
    created = item.get("created") or item.get("createdTime") or item.get("created_time")
    updated = item.get("updated") or item.get("updatedTime") or item.get("updated_time")
    fields = present(
        {
            "title": title if isinstance(title, str) else None,
            "authors": [author["name"]] if isinstance(author.get("name"), str) else None,
            "description": item.get("excerpt") if isinstance(item.get("excerpt"), str) else None,
            "published": moment(created),
            "updated": moment(updated),
        }
    )
    return {**fields, "provenance": dict.fromkeys(fields, "zhihu-initial-data")} if fields else {}


def _entity(entities: dict, kind: str, item_id: str) -> dict:
    found = (entities.get(kind) or {}).get(item_id) if isinstance(entities.get(kind), dict) else None
    return found if isinstance(found, dict) else {}
