"""Google Docs and Slides: a document by its id, whatever view the link opens."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from . import pages
from .base import Fetch, Identity, Seed, Source

if TYPE_CHECKING:
    from scrapy.settings import Settings

DOCUMENT = re.compile(r"^/(presentation|document|spreadsheets)/d/([A-Za-z0-9_-]{20,})")
KINDS = {
    "presentation": ("gslides", "slides"),
    "document": ("gdocs", "article"),
    "spreadsheets": ("gsheets", "page"),
}


class GoogleDocs(Source):
    name = "google_docs"
    kind = "slides"
    hosts = frozenset({"docs.google.com"})
    examples = (
        (
            "https://docs.google.com/presentation/d/13Tylt2SvKvBL2hgILy5CmBtPDv3rXlVrQp01OzAe5Xo"
            "/mobilepresent?slide=id.g238b2698243_0_1072",
            "gslides:13Tylt2SvKvBL2hgILy5CmBtPDv3rXlVrQp01OzAe5Xo",
        ),
        (
            "https://docs.google.com/presentation/d/13Tylt2SvKvBL2hgILy5CmBtPDv3rXlVrQp01OzAe5Xo/edit",
            "gslides:13Tylt2SvKvBL2hgILy5CmBtPDv3rXlVrQp01OzAe5Xo",
        ),
        (
            "https://docs.google.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ012345/edit",
            "gdocs:1aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
        ),
    )
    counter_examples = ("https://docs.google.com/", "https://docs.google.com/forms/u/0/")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        match = DOCUMENT.match(url.path)
        if url.hostname not in cls.hosts or not match:
            return None
        app, doc = match.groups()
        prefix, kind = KINDS[app]
        return Identity(f"{prefix}:{doc}", kind, cls.name, f"https://docs.google.com/{app}/d/{doc}")

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return pages.fetches(seeds)
