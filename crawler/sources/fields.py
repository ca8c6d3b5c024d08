"""What the source parsers share: a parser returns only the values a source really gave."""

from __future__ import annotations


def known(fields: dict) -> dict:
    """``fields`` without the empty ones (None, blank text, empty lists), so that an
    unknown value never overwrites one the record already has, such as the link text."""
    return {name: value for name, value in fields.items() if not _is_empty(value)}


# What a parser returns besides values: they have no source.
NOT_VALUES = frozenset({"status", "error", "kind_hint", "provenance"})


def from_one_source(fields: dict, source: str) -> dict:
    """``fields`` with ``source`` as the provenance of each value, for a source such as an
    API that gives every value itself."""
    return fields | {"provenance": {name: source for name in fields if name not in NOT_VALUES}}


def _is_empty(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}
