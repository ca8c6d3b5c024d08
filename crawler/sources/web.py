"""Any other web page: identity is its canonical URL; the kind is read off host and path."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode
from w3lib.html import get_base_url

from .base import Identity, canonical_url
from .fields import known

PAPER_HOSTS = frozenset(
    {"aclanthology.org", "www.aclweb.org", "openreview.net", "proceedings.neurips.cc",
     "papers.nips.cc", "proceedings.mlr.press", "www.semanticscholar.org",
     "dl.acm.org", "ieeexplore.ieee.org", "www.jmlr.org", "jmlr.org", "paperswithcode.com"}
)
ARTICLE_HOSTS = (
    "medium.com", "towardsdatascience.com", "substack.com", "dev.to", "lilianweng.github.io",
    "jalammar.github.io", "colah.github.io", "distill.pub", "thegradient.pub", "ruder.io",
)
DOCS_PATH = re.compile(r"/(?:docs?|documentation|tutorials?|guides?|api|reference|manual)(?:/|$)")
ARTICLE_PATH = re.compile(r"/(?:blog|blogs|posts?|articles?|news)(?:/|$)|/\d{4}/\d{2}/")


def page_kind(host: str, path: str) -> str:
    """Best guess of what a page is, from where it lives."""
    lowered = path.lower()
    if host in PAPER_HOSTS:
        return "paper"
    if host.startswith(("docs.", "doc.")) or host.endswith((".readthedocs.io", ".readthedocs.org")):
        return "docs"
    if DOCS_PATH.search(lowered):
        return "docs"
    if host.startswith("blog.") or host.endswith(ARTICLE_HOSTS):
        return "article"
    if ARTICLE_PATH.search(lowered):
        return "article"
    return "page"


class Web:
    """Fallback for every http(s) link no other source claims."""

    name = "web"
    kind = "page"
    examples = (
        ("https://www.deepspeed.ai/", "https://www.deepspeed.ai/"),
        ("https://www.deepspeed.ai/tutorials/azure/", "https://www.deepspeed.ai/tutorials/azure/"),
        ("HTTPS://Example.COM:443/a?b=2&a=1&utm_source=x#top", "https://example.com/a?a=1&b=2"),
    )
    counter_examples = ("ftp://example.com/file", "mailto:someone@example.com")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme not in ("http", "https") or not url.hostname:
            return None
        canonical = canonical_url(url)
        return Identity(canonical, page_kind(url.hostname, url.path), cls.name, canonical)


# What a page with JSON-LD or microdata must contain; most pages have neither, and are
# spared extruct's second parse of the document.
STRUCTURED_DATA = re.compile(r"application/ld\+json|itemscope", re.I)
# The schema.org types a page's main entity can have, most specific first.
MAIN_TYPES = (
    "VideoObject", "Article", "BlogPosting", "NewsArticle", "TechArticle", "ScholarlyArticle",
    "Report", "LearningResource", "Course", "HowTo", "WebPage",
)
NOT_CONTENT = ("script", "style", "noscript", "template", "svg", "nav", "aside", "footer")
# Kana, CJK ideographs (with extensions and compatibility forms) and Hangul.
CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f]"
)
WORD = re.compile(r"\w+(?:['’-]\w+)*")
LATIN_WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 500
# Control and replacement characters: more than JUNK_SHARE of them and a body is not text.
JUNK = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
JUNK_SHARE = 0.05


def parse_page(url: str, headers: dict[str, str], body: bytes) -> dict:
    """Record fields of an HTML page, from its structured data and meta tags.

    ``url`` is the page's final URL (relative links resolve against it). A page whose
    main entity is a schema.org ``VideoObject`` also gets ``kind_hint: "video"``, not a
    record field: the caller decides the kind.
    """
    text = _decode_html(headers, body)
    soup = BeautifulSoup(text, "lxml")
    base_url = get_base_url(text, url)
    entity = _main_entity(text, base_url)
    meta = _meta_tags(soup)
    canonical = soup.find("link", rel="canonical", href=True)
    is_video = "VideoObject" in _types(entity)
    html = soup.html
    fields = {
        "title": _first(
            _text(entity.get("headline")), _text(entity.get("name")), meta.get("og:title"),
            meta.get("twitter:title"), _tag_text(soup, "title"),
        ) or _first(_tag_text(soup, "h1")),
        "description": _first(
            _text(entity.get("description")), meta.get("og:description"),
            meta.get("twitter:description"), meta.get("description"),
        ),
        "authors": entity.get("author") or meta.get("author"),
        "published": _first(
            _text(entity.get("datePublished")), _text(entity.get("uploadDate")),
            meta.get("article:published_time"), meta.get("date"),
        ),
        "updated": _first(
            _text(entity.get("dateModified")), meta.get("article:modified_time"),
            meta.get("og:updated_time"),
        ),
        "site_name": _first(meta.get("og:site_name"), meta.get("application-name")),
        "language": _first(html and html.get("lang"), meta.get("og:locale")),
        "canonical_url": urljoin(base_url, canonical["href"].strip()) if canonical else None,
        "duration": _text(entity.get("duration")) if is_video else None,
        "kind_hint": "video" if is_video else None,
        "status": "ok",
    }
    return known(fields | _reading_fields(soup))


def _decode_html(headers: dict[str, str], body: bytes) -> str:
    """The page's text, decoded as a browser would: BOM, Content-Type charset, ``<meta>``
    declaration, then detection. Raises ValueError for an empty or binary body."""
    if not body.strip():
        raise ValueError("empty body")
    content_type = {name.lower(): value for name, value in headers.items()}.get("content-type")
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    if len(JUNK.findall(text)) > len(text) * JUNK_SHARE:
        raise ValueError("not an HTML page")
    return text


def _detect_encoding(body: bytes) -> str | None:
    match = from_bytes(body).best()
    return match.encoding if match else None


def _main_entity(text: str, base_url: str) -> dict:
    """The JSON-LD or microdata node that describes the page itself, or {}."""
    if not STRUCTURED_DATA.search(text):
        return {}
    import extruct  # its import (rdflib, mf2py) costs 0.3 s; only pages with structured data need it

    data = extruct.extract(
        text, base_url=base_url, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore"
    )
    nodes = [
        node
        for top in data.get("json-ld", []) + data.get("microdata", [])
        for node in (top.get("@graph", [top]) if isinstance(top, dict) else [])
        if isinstance(node, dict)
    ]
    ranked = [
        (MAIN_TYPES.index(kind), index)
        for index, node in enumerate(nodes)
        for kind in _types(node)
        if kind in MAIN_TYPES
    ]
    return nodes[min(ranked)[1]] if ranked else {}


def _types(node: dict) -> list[str]:
    """A node's schema.org type names, without any ``schema:`` or URL prefix."""
    types = node.get("@type") or []
    return [re.split(r"[/:#]", kind)[-1] for kind in ([types] if isinstance(types, str) else types)]


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` contents by lowercased name or property (OpenGraph, Twitter cards, ...);
    the first of a name wins."""
    tags = {}
    for tag in soup.find_all("meta", content=True):
        if key := tag.get("property") or tag.get("name"):
            tags.setdefault(key.strip().lower(), tag["content"])
    return tags


def _text(value) -> str | None:
    """A JSON-LD value as text: the first of a list, the ``@value`` of a literal."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def _first(*values: str | None) -> str | None:
    return next((value for value in values if value and value.strip()), None)


def _tag_text(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find(name)
    return tag.get_text() if tag else None


def _reading_fields(soup: BeautifulSoup) -> dict:
    """Words of the main content, CJK characters counting as words, and the time to
    read them. Changes ``soup``: what is not content is removed."""
    landmarks = {tag.name: tag for tag in reversed(soup.find_all(["article", "main"]))}  # first of each
    content = landmarks.get("article") or landmarks.get("main") or soup.body or soup
    for tag in content(NOT_CONTENT):
        tag.decompose()
    text = content.get_text(" ")
    cjk_chars = len(CJK.findall(text))
    latin_words = len(WORD.findall(CJK.sub(" ", text)))
    minutes = latin_words / LATIN_WORDS_PER_MINUTE + cjk_chars / CJK_CHARS_PER_MINUTE
    return {"word_count": latin_words + cjk_chars, "reading_time": round(minutes * 60)}
