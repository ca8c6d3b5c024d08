"""The resource record: what the crawl learns about one resource of the roadmap.

It is the contract between crawl and graph; the README documents every field. Fields a
source does not know stay None and are left out of resources.jsonl.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RECORD_VERSION = 1

STATUSES = (
    "ok", "partial", "not_found", "gone", "http_error", "timeout", "dns_error", "blocked",
    "rate_limited", "too_large", "unsupported", "pending",
)


def with_problems(error: str | None, problems: list[str]) -> str | None:
    """A record's ``error`` with ``problems`` added, each once: a stored record that is
    reused passes the pipelines again, and must not collect its problems twice."""
    known = error.split("; ") if error else []
    return "; ".join(dict.fromkeys([*known, *problems])) or None


@dataclass
class ResourceItem:
    id: str
    url: str
    kind: str
    source: str
    topics: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    done: bool = False
    status: str = "pending"
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
