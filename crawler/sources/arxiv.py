"""arXiv: papers by id, whatever page or version a link points at.

Papers are read from the arXiv API, ARXIV_BATCH_SIZE of them in one request, on a slot of
their own (ARXIV_DELAY apart, as arXiv asks); Semantic Scholar is asked about them first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlencode
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from ..records import present
from .base import Fetch, Found, Identity, Seed, Source
from .fields import from_one_source

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?"
PAGE = re.compile(rf"^/(?:abs|pdf|html|format|ps)/{ARXIV_ID}(?:\.pdf)?/?$")
SCHEME = re.compile(rf"^{ARXIV_ID}$")


class Arxiv(Source):
    name = "arxiv"
    kind = "paper"
    hosts = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
    examples = (
        ("https://arxiv.org/abs/2302.13971", "arxiv:2302.13971"),
        ("https://arxiv.org/abs/2302.13971v2", "arxiv:2302.13971"),
        ("https://arxiv.org/pdf/2302.13971", "arxiv:2302.13971"),
        ("https://arxiv.org/pdf/2302.13971v1.pdf", "arxiv:2302.13971"),
        ("https://arxiv.org/pdf/2302.13971.pdf", "arxiv:2302.13971"),
        ("https://arxiv.org/abs/2302.13971v2?context=cs#abstract", "arxiv:2302.13971"),
        ("http://www.arxiv.org/abs/1706.03762", "arxiv:1706.03762"),
        ("https://export.arxiv.org/abs/1706.03762v7", "arxiv:1706.03762"),
        ("https://arxiv.org/html/2402.01234v1", "arxiv:2402.01234"),
        ("https://arxiv.org/abs/hep-th/9901001", "arxiv:hep-th/9901001"),
        ("https://arxiv.org/pdf/math.GT/0309136v2", "arxiv:math.GT/0309136"),
        ("arXiv:2106.09685", "arxiv:2106.09685"),
        ("arxiv:2106.09685v2", "arxiv:2106.09685"),
    )
    counter_examples = (
        "https://arxiv.org/list/cs.CL/recent",
        "https://arxiv.org/abs/",
        "https://arxiv.org/abs/12345",
        "https://github.com/arxiv/arxiv-browse",
        "https://notarxiv.org/abs/2302.13971",
        "https://arxiv.org/a/vaswani_a_1",
        "https://arxiv.org/abs/2302.13971/extra",
        "https://www.semanticscholar.org/arxiv/2302.13971",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme == "arxiv":
            match = SCHEME.match(url.path)
        elif url.hostname in cls.hosts:
            match = PAGE.match(url.path)
        else:
            return None
        if not match:
            return None
        paper = match.group("id")
        attrs = {"version": match.group("version")} if match.group("version") else {}
        return Identity(f"arxiv:{paper}", "paper", cls.name, f"https://arxiv.org/abs/{paper}", attrs)

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        api, size = settings.get("ARXIV_API_URL"), settings.getint("ARXIV_BATCH_SIZE")
        batches = [seeds[start : start + size] for start in range(0, len(seeds), size)]
        return [
            Fetch(
                [p.id for p in batch],
                query_url(api, [p.id.removeprefix("arxiv:") for p in batch]),
                cls.read,
                api=True,
                meta={"download_slot": "arxiv-api", "autothrottle_dont_adjust_delay": True},
            )
            for batch in batches
        ]

    @classmethod
    def read(cls, response: Response, fetch: Fetch) -> list[Found]:
        try:
            found = parse_feed(response.body)
        except ValueError as error:
            return fetch.found({"status": "http_error", "error": f"arXiv API: {error}"})
        missing = {"status": "not_found", "error": "arXiv has no paper with this id"}
        return [
            (resource_id, found.get(resource_id.removeprefix("arxiv:"), missing)) for resource_id in fetch.ids
        ]


ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_ATOM = "{http://arxiv.org/schemas/atom}"
ENTRY_ID = re.compile(rf"^https?://arxiv\.org/abs/{ARXIV_ID}$")
# arXiv answers an id it cannot serve with an entry such as
# http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345
ERROR_ID = re.compile(r"^https?://arxiv\.org/api/errors#.*?_for_(?P<asked>.+)$")


def query_url(api_url: str, ids: list[str]) -> str:
    """The one API request that returns all of ``ids`` (arXiv ids without version)."""
    query = urlencode({"id_list": ",".join(ids), "max_results": len(ids)}, safe=",/")
    return f"{api_url}{'&' if '?' in api_url else '?'}{query}"


def parse_feed(body: bytes) -> dict[str, dict]:
    """Record fields of each paper in an arXiv API Atom feed, keyed by id without version.

    An id arXiv answers with an error entry is ``not_found``; an id the feed does not
    mention is absent, for the caller to mark.
    """
    try:
        feed = ElementTree.fromstring(body)
    except (ElementTree.ParseError, ValueError) as exc:
        raise ValueError(f"arXiv API answer is not XML: {exc}") from None
    if feed.tag != f"{ATOM}feed":
        raise ValueError(f"arXiv API answer is not an Atom feed but <{feed.tag}>")
    papers = {}
    for entry in feed.iter(f"{ATOM}entry"):
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        if paper := ENTRY_ID.match(entry_id):
            papers[paper.group("id")] = _paper_fields(entry, paper.group("version"))
        elif (error := ERROR_ID.match(entry_id)) and (asked := SCHEME.match(error.group("asked"))):
            summary = (entry.findtext(f"{ATOM}summary") or "arXiv API error").strip()
            papers[asked.group("id")] = {"status": "not_found", "error": summary}
    return papers


def _paper_fields(entry: Element, version: str | None) -> dict:
    primary = entry.find(f"{ARXIV_ATOM}primary_category")
    pdf = entry.find(f"{ATOM}link[@title='pdf']")
    return from_one_source(
        present(
            {
                "title": entry.findtext(f"{ATOM}title"),
                "authors": [
                    name for author in entry.iter(f"{ATOM}author") if (name := author.findtext(f"{ATOM}name"))
                ],
                "abstract": entry.findtext(f"{ATOM}summary"),
                "published": entry.findtext(f"{ATOM}published"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "version": version,
                "primary_category": primary.get("term") if primary is not None else None,
                "categories": [category.get("term") for category in entry.iter(f"{ATOM}category")],
                "comment": entry.findtext(f"{ARXIV_ATOM}comment"),
                "journal_ref": entry.findtext(f"{ARXIV_ATOM}journal_ref"),
                "doi": entry.findtext(f"{ARXIV_ATOM}doi"),
                "pdf_url": pdf.get("href") if pdf is not None else None,
                "status": "ok",
            }
        ),
        "arxiv-api",
    )
