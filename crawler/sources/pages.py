"""A page as it is fetched: an HTML page's metadata and reading fields, a PDF's document
metadata, any other type named for what it is.

A source whose resources are plain pages plans them with ``fetches`` and reads them with
``read``, laying its own rule over the generic fields where its host keeps metadata
elsewhere (``rule(url, page_text)``, fields with their provenance).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

from ..records import present
from . import pdf
from .base import Fetch, Found, Seed, Step
from .fields import overlay
from .page_metadata import absolute, page_metadata

if TYPE_CHECKING:
    from scrapy.http import Response

Rule = Callable[[str, str], dict]
HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(response: Response, fetch: Fetch, rule: Rule | None = None) -> list[Found]:
    """The record fields of a fetched page, by what it turns out to be."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if pdf.is_pdf(content_type, response.body):
        fields = _pdf_fields(response.body, is_paper=fetch.carry["paper"])
    elif content_type and not content_type.startswith(HTML_TYPES):
        fields = {"status": "partial", "error": f"{content_type.split(';')[0]}: no metadata read"}
    else:
        fields = _html_fields(response, rule)
    return fetch.found(fields)


def fetches(seeds: list[Seed], reader: Step = read) -> list[Fetch]:
    """One fetch of each seed's page, its answer read by ``reader``."""
    return [Fetch([seed.id], seed.url, reader, carry={"paper": seed.kind == "paper"}) for seed in seeds]


def _pdf_fields(body: bytes, is_paper: bool) -> dict:
    try:
        document = pdf.parse_pdf(body)
    except ValueError as error:
        return {"status": "partial", "error": str(error)}
    if is_paper:  # a paper host's PDF is a paper whatever its first page says
        document.pop("kind_hint")
    return document


def _html_fields(response: Response, rule: Rule | None) -> dict:
    headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
    try:
        page = parse_page(response.url, headers, response.body)
    except ValueError as error:
        empty = not response.body.strip()
        return {"status": "partial" if empty else "unsupported", "error": str(error)}
    return overlay(page, rule(response.url, response.text)) if rule else page


NOT_CONTENT = ("script", "style", "noscript", "template", "svg", "nav", "aside", "footer")
UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")
# Where the fields every page has come from.
PAGE_SOURCES = {"canonical_url": "link-canonical", "word_count": "text", "reading_time": "text"}
# Kana, CJK ideographs (with extensions and compatibility forms) and Hangul.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f]")
WORD = re.compile(r"\w+(?:['’-]\w+)*")
LATIN_WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 500
# Control and replacement characters: more than JUNK_SHARE of them in the first
# JUNK_SAMPLE characters and a body is not text (binary bodies are junk from the start;
# scanning a whole page costs more than the rest of its metadata).
JUNK = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
JUNK_SHARE = 0.05
JUNK_SAMPLE = 16_384


def parse_page(url: str, headers: dict[str, str], body: bytes) -> dict:
    """Record fields of an HTML page, with the source of each metadata value in
    ``provenance``.

    ``url`` is the page's final URL (relative links resolve against it). A page whose
    main entity is a schema.org ``VideoObject`` also gets ``kind_hint: "video"``, not a
    record field: the caller decides the kind.
    """
    tree = html_tree(headers, body)
    base = tree.find(".//base[@href]")
    base_url = absolute(url, base.get("href")) if base is not None else None
    fields, provenance = page_metadata(tree, base_url or url, headers)
    fields |= _reading_fields(tree)
    provenance |= {name: source for name, source in PAGE_SOURCES.items() if name in fields}
    return present(fields | {"provenance": provenance, "status": "ok"})


def html_tree(headers: dict[str, str], body: bytes) -> HtmlElement:
    """The page's lxml tree. Raises ValueError for an empty or binary body."""
    return lxml.html.document_fromstring(_decode_html(headers, body).encode("utf-8"), parser=UTF8_HTML)


def _decode_html(headers: dict[str, str], body: bytes) -> str:
    """The page's text: UTF-8 when the bytes are valid UTF-8, else decoded as a browser
    would (BOM, Content-Type charset, ``<meta>`` declaration, then detection). Raises
    ValueError for an empty or binary body."""
    if not body.strip():
        raise ValueError("empty body")
    text = _valid_utf8(body)
    if text is None:
        content_type = {name.lower(): value for name, value in headers.items()}.get("content-type")
        _, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    sample = text[:JUNK_SAMPLE]
    if len(JUNK.findall(sample)) > len(sample) * JUNK_SHARE:
        raise ValueError("not an HTML page")
    return text


def _valid_utf8(body: bytes) -> str | None:
    """``body`` decoded as UTF-8 if it is valid UTF-8, whatever the page declares: text
    in another encoding is almost never valid UTF-8 once it has non-ASCII characters, so
    a page saved as UTF-8 under an old ``<meta charset="gb2312">`` reads right. Not a
    body with NUL bytes, which UTF-16 text without a BOM has and HTML has not."""
    if b"\x00" in body:
        return None
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _detect_encoding(body: bytes) -> str | None:
    match = from_bytes(body).best()
    return match.encoding if match else None


def _reading_fields(tree: HtmlElement) -> dict:
    """Words of the main content, CJK characters counting as words, and the time to
    read them. Changes ``tree``: what is not content is removed."""
    content = next(
        (tag for name in ("article", "main", "body") if (tag := tree.find(f".//{name}")) is not None), tree
    )
    etree.strip_elements(content, *NOT_CONTENT, with_tail=False)
    text = content.text_content()
    cjk_chars = len(CJK.findall(text))
    latin_words = len(WORD.findall(CJK.sub(" ", text)))
    minutes = latin_words / LATIN_WORDS_PER_MINUTE + cjk_chars / CJK_CHARS_PER_MINUTE
    return {"word_count": latin_words + cjk_chars, "reading_time": round(minutes * 60)}
