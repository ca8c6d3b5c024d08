"""Any other web page: identity is its canonical URL; the kind is read off host and path."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

import lxml.html
from charset_normalizer import from_bytes
from lxml import etree
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

from .base import Identity, canonical_url
from .fields import known
from .page_metadata import absolute, page_metadata

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


NOT_CONTENT = ("script", "style", "noscript", "template", "svg", "nav", "aside", "footer")
UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")
# Where the fields every page has come from.
PAGE_SOURCES = {"canonical_url": "link-canonical", "word_count": "text", "reading_time": "text"}
# Kana, CJK ideographs (with extensions and compatibility forms) and Hangul.
CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f]"
)
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
    return known(fields | {"provenance": provenance, "status": "ok"})


def html_tree(headers: dict[str, str], body: bytes) -> HtmlElement:
    """The page's lxml tree. Raises ValueError for an empty or binary body."""
    return lxml.html.document_fromstring(_decode_html(headers, body).encode("utf-8"), parser=UTF8_HTML)


def _decode_html(headers: dict[str, str], body: bytes) -> str:
    """The page's text, decoded as a browser would: BOM, Content-Type charset, ``<meta>``
    declaration, then detection. Raises ValueError for an empty or binary body."""
    if not body.strip():
        raise ValueError("empty body")
    content_type = {name.lower(): value for name, value in headers.items()}.get("content-type")
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_detect_encoding)
    sample = text[:JUNK_SAMPLE]
    if len(JUNK.findall(sample)) > len(sample) * JUNK_SHARE:
        raise ValueError("not an HTML page")
    return text


def _detect_encoding(body: bytes) -> str | None:
    match = from_bytes(body).best()
    return match.encoding if match else None


def _reading_fields(tree: HtmlElement) -> dict:
    """Words of the main content, CJK characters counting as words, and the time to
    read them. Changes ``tree``: what is not content is removed."""
    content = next((tag for name in ("article", "main", "body")
                    if (tag := tree.find(f".//{name}")) is not None), tree)
    etree.strip_elements(content, *NOT_CONTENT, with_tail=False)
    text = content.text_content()
    cjk_chars = len(CJK.findall(text))
    latin_words = len(WORD.findall(CJK.sub(" ", text)))
    minutes = latin_words / LATIN_WORDS_PER_MINUTE + cjk_chars / CJK_CHARS_PER_MINUTE
    return {"word_count": latin_words + cjk_chars, "reading_time": round(minutes * 60)}
