"""DOI links: a paper named by its Digital Object Identifier."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, unquote

from . import pages
from .base import Fetch, Identity, Seed, Source

if TYPE_CHECKING:
    from scrapy.settings import Settings

DOI = re.compile(r"^/?(10\.\d{4,9}/\S+)$")


class Doi(Source):
    name = "doi"
    kind = "paper"
    hosts = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
    examples = (
        ("https://doi.org/10.18653/v1/N19-1423", "doi:10.18653/v1/n19-1423"),
        ("http://dx.doi.org/10.1162/neco.1997.9.8.1735", "doi:10.1162/neco.1997.9.8.1735"),
        ("doi:10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    )
    counter_examples = ("https://doi.org/", "https://www.doi.org/the-identifier/what-is-a-doi/")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme != "doi" and url.hostname not in cls.hosts:
            return None
        match = DOI.match(unquote(url.path))
        if not match:
            return None
        doi = match.group(1).lower()  # DOIs are case-insensitive by definition
        return Identity(f"doi:{doi}", "paper", cls.name, f"https://doi.org/{doi}")

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        return pages.fetches(seeds)
