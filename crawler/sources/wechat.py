"""WeChat official-account articles (mp.weixin.qq.com): metadata in script variables.

The page sets its title, summary, account name and publication time as JavaScript
variables (``var msg_title = '…'.html(false);``, ``var ct = "1700000000";``); the
publication date appears nowhere else in the HTML. The account's name is also the text
of ``#js_name``; the writer, when named, is in ``<meta name="author">``.
"""

from __future__ import annotations

import html
import re

from lxml.cssselect import CSSSelector

from ..records import present
from .fields import html_tree, moment, text

PAGE_HOSTS = ("mp.weixin.qq.com",)
# ``var name = 'text'`` or ``var name = htmlDecode("text")``, with either quote.
VARIABLE = r"var\s+{}\s*=\s*(?:htmlDecode\()?\s*(['\"])(.*?)(?<!\\)\1"
AUTHOR = CSSSelector('meta[name="author"]')
ACCOUNT = CSSSelector("#js_name")
JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(.)")


def parse_page(url: str, page: str) -> dict:
    """Record fields of a WeChat article from its script variables and account name."""
    if (tree := html_tree(page)) is None:
        return {}
    authors = [text(meta.get("content")) for meta in AUTHOR(tree)]
    accounts = [text(element.text_content().strip()) for element in ACCOUNT(tree)]
    created = _variable(page, "ct") or _variable(page, "create_time")
    fields = present(
        {
            "title": _variable(page, "msg_title"),
            "description": _variable(page, "msg_desc"),
            "site_name": _variable(page, "nickname") or next(filter(None, accounts), None),
            "published": moment(int(created)) if created and created.isdigit() else None,
        }
    )
    provenance = dict.fromkeys(fields, "wechat-script")
    if author := next(filter(None, authors), None):
        fields["authors"] = [author.strip()]
        provenance["authors"] = "meta"
    return {**fields, "provenance": provenance} if fields else {}


def _variable(page: str, name: str) -> str | None:
    """The string a script assigns to ``var name``, JavaScript and HTML escapes undone."""
    match = re.search(VARIABLE.format(re.escape(name)), page, re.S)
    if match is None:
        return None
    value = JS_ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else m[3], match[2])
    return html.unescape(value).strip() or None
