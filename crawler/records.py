"""The resource record: what the crawl learns about one resource of the roadmap.

It is the contract between crawl and graph, in one place: the record's fields and their
types, what each status means, the kinds, the rule for empty values, and the reader and
writer of resources.jsonl. The README's record table documents every field (a test holds
the two together). Fields a source does not know stay empty and are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path

from .files import atomic_write


class Status(StrEnum):
    """What became of a resource's fetch; its value is what resources.jsonl holds."""

    OK = "ok"
    PARTIAL = "partial"  # fetched, but some metadata could not be read
    NOT_FOUND = "not_found"
    GONE = "gone"
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    BLOCKED = "blocked"  # refused by robots.txt or by learngraph (a private address)
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"  # the page is there, but nothing can read its metadata
    PENDING = "pending"  # not fetched (yet)


def is_dead(status: str) -> bool:
    """The link's site answered that the resource is not there: 404, 410, a deleted
    post. A link that did not answer (timeout, DNS, server error) is not dead, only
    failed: one bad night is no death."""
    return status in (Status.NOT_FOUND, Status.GONE)


def is_failed(status: str) -> bool:
    """No metadata came of the fetch, or it was never made."""
    return status not in (Status.OK, Status.PARTIAL)


def is_transient(status: str) -> bool:
    """Asking again soon may well get another answer, so a stored record with this
    status is never reused."""
    return status in (
        Status.PENDING,
        Status.RATE_LIMITED,
        Status.TIMEOUT,
        Status.DNS_ERROR,
        Status.HTTP_ERROR,
    )


def is_final(status: str) -> bool:
    """The answer stands until the record's freshness runs out."""
    return not is_transient(status)


class Kind(StrEnum):
    """What a resource is, as its source recognised it."""

    VIDEO = "video"
    PLAYLIST = "playlist"
    CHANNEL = "channel"
    PAPER = "paper"
    REPO = "repo"
    SLIDES = "slides"
    ARTICLE = "article"
    DOCS = "docs"
    PAGE = "page"
    POST = "post"
    DOCUMENT = "document"


# What is watched: a running time, read through yt-dlp. A channel is a page of videos.
VIDEO_KINDS = (Kind.VIDEO, Kind.PLAYLIST)


def is_empty(value) -> bool:
    """The one rule for empty values: None, blank text, an empty list or map. An empty
    value means unknown; it is left out of a record, and never wins over a known one."""
    if isinstance(value, str):
        return not value or value.isspace()
    return value is None or value == [] or value == {}


def present(values: Mapping) -> dict:
    """``values`` without the empty ones."""
    return {name: value for name, value in values.items() if not is_empty(value)}


def with_problems(error: str | None, problems: list[str]) -> str | None:
    """A record's ``error`` with ``problems`` added, each once: a stored record that is
    reused passes the pipelines again, and must not collect its problems twice."""
    known = error.split("; ") if error else []
    return "; ".join(dict.fromkeys([*known, *problems])) or None


@dataclass
class ResourceItem:
    id: str
    url: str
    kind: Kind
    source: str
    topics: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    done: bool = False
    status: Status = Status.PENDING
    http_status: int | None = None
    final_url: str | None = None
    error: str | None = None
    fetched_at: str | None = None
    title: str | None = None
    description: str | None = None
    duration: int | None = None
    channel: str | None = None
    published: str | None = None
    updated: str | None = None
    # The values above as the source gave them, kept where normalising changed them
    # (``PT10M30S`` beside 630), so that a wrong conversion can be seen.
    duration_raw: str | None = None
    published_raw: str | None = None
    updated_raw: str | None = None
    view_count: int | None = None
    chapters: list[dict] | None = None
    playlist_count: int | None = None
    authors: list[str] | None = None
    abstract: str | None = None
    version: str | None = None
    primary_category: str | None = None
    categories: list[str] | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    pdf_url: str | None = None
    # From Semantic Scholar: the papers this one cites ({"id", "title"}) and how often it is cited.
    references: list[dict] | None = None
    citation_count: int | None = None
    full_name: str | None = None
    stars: int | None = None
    forks: int | None = None
    open_issues: int | None = None
    license: str | None = None
    default_branch: str | None = None
    created: str | None = None
    pushed_at: str | None = None
    archived: bool | None = None
    homepage: str | None = None
    tags: list[str] | None = None
    path: str | None = None
    ref: str | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    word_count: int | None = None
    reading_time: int | None = None
    thumbnail: str | None = None
    page_count: int | None = None
    # Where each metadata value came from, field -> source ("json-ld", "opengraph",
    # "htmldate", "arxiv-api", ...), so that a wrong value can be traced.
    provenance: dict[str, str] | None = None
    # Validators of the response the record came from: kept in the state database for the
    # next run's conditional request, left out of resources.jsonl (``record=False``).
    etag: str | None = field(default=None, metadata={"record": False})
    last_modified: str | None = field(default=None, metadata={"record": False})


# The fields whose value as the source gave it is kept under ``<field>_raw``.
KEEPS_RAW = tuple(f.name.removesuffix("_raw") for f in fields(ResourceItem) if f.name.endswith("_raw"))


def read_records(path: Path | str) -> list[dict]:
    """The records of a resources.jsonl file; raises ValueError naming a malformed line."""
    records = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path} line {number}: not JSON ({error.msg})") from None
            if not isinstance(record, dict) or "id" not in record:
                raise ValueError(f"{path} line {number}: a resource record needs an 'id'")
            records.append(record)
    return records


def write_records(path: Path | str, records: Iterable[Mapping]) -> None:
    """Replace the resources.jsonl at ``path`` at once with ``records``, one a line."""
    with atomic_write(path) as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
