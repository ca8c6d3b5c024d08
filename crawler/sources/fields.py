"""What the source parsers share: a parser returns only the values a source really gave."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import lxml.html
from lxml.etree import ParserError

# What a parser returns besides values: they have no source.
NOT_VALUES = frozenset({"status", "error", "kind_hint", "provenance"})


def from_one_source(fields: dict, source: str) -> dict:
    """``fields`` with ``source`` as the provenance of each value, for a source such as an
    API that gives every value itself."""
    return fields | {"provenance": {name: source for name in fields if name not in NOT_VALUES}}


def text(value) -> str | None:
    """``value`` if it is text with something in it, else None: JSON from the web can
    hold anything where a string belongs."""
    return value if isinstance(value, str) and value.strip() else None


def number(value) -> float | None:
    """``value`` if it is a finite number (JSON's ``true`` and ``NaN`` are not), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value


def moment(seconds) -> str | None:
    """A Unix time as an ISO 8601 UTC timestamp; None for anything else, or a time no
    calendar holds (a page can say anything)."""
    if (seconds := number(seconds)) is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def overlay(fields: dict, better: dict) -> dict:
    """``fields`` with ``better``'s values in their place, and their provenance with them."""
    if not better:
        return fields
    provenance = {**(fields.get("provenance") or {}), **(better.get("provenance") or {})}
    return {**fields, **better, "provenance": provenance}


def html_tree(page: str):
    """``page`` parsed by lxml (a tenth of BeautifulSoup's time, for rules that read a
    few elements), or None for a page lxml finds no document in."""
    try:
        return lxml.html.document_fromstring(page)
    except (ParserError, ValueError):
        return None
