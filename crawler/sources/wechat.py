"""WeChat official-account articles (mp.weixin.qq.com): metadata in script variables.

The page sets its title, summary, account name and publication time as JavaScript
variables (``var msg_title = '…'.html(false);``, ``var ct = "1700000000";``); the
publication date appears nowhere else in the HTML. The account's name is also the text
of ``#js_name``; the writer, when named, is in ``<meta name="author">``.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup

from .fields import known, moment

PAGE_HOSTS = ("mp.weixin.qq.com",)
# ``var name = 'text'`` or ``var name = htmlDecode("text")``, with either quote.
VARIABLE = r"var\s+{}\s*=\s*(?:htmlDecode\()?\s*(['\"])(.*?)(?<!\\)\1"
JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(.)")


def parse_page(url: str, page: str) -> dict:
    """Record fields of a WeChat article from its script variables and account name."""
    soup = BeautifulSoup(page, "lxml")
    author = soup.find("meta", attrs={"name": "author"}, content=True)
    account = soup.find(id="js_name")
    created = _variable(page, "ct") or _variable(page, "create_time")
    found = {
        "title": _variable(page, "msg_title"),
        "description": _variable(page, "msg_desc"),
        "site_name": _variable(page, "nickname") or (account and account.get_text(strip=True)),
        "published": moment(int(created)) if created and created.isdigit() else None,
    }
    fields = known(found)
    provenance = dict.fromkeys(fields, "wechat-script")
    if author and author["content"].strip():
        fields["authors"] = [author["content"].strip()]
        provenance["authors"] = "meta"
    return {**fields, "provenance": provenance} if fields else {}


def _variable(text: str, name: str) -> str | None:
    """The string a script assigns to ``var name``, JavaScript and HTML escapes undone."""
    match = re.search(VARIABLE.format(re.escape(name)), text, re.S)
    if match is None:
        return None
    value = JS_ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else m[3], match[2])
    return html.unescape(value).strip() or None
