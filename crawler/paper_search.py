"""Semantic Scholar's paper search for the topics a roadmap names without anything to
study, asked outside a crawl (after it by ``crawl`` and ``run``, and by ``suggest``): one
plain request at a time, waiting out a 429 as its Retry-After says.

What a crawl found is kept in OUT/found-papers.json, beside the records and apart from
them: the papers are suggestions for a topic, never resources of the roadmap.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from .files import atomic_write
from .retry_after import retry_after_seconds
from .sources import semantic_scholar
from .state import utc_now

SEARCH_RETRIES = 2
MAX_ANSWER_BYTES = 1024 * 1024
PAPERS_PER_TOPIC = 3
FOUND_PAPERS = "found-papers.json"


def search_papers(api: str, key: str, names: list[str], count: int = PAPERS_PER_TOPIC) -> list[dict]:
    """The ``count`` most cited of the papers Semantic Scholar's search finds for ``names``,
    in its order of relevance among equals; OSError or ValueError when it cannot answer."""
    papers = semantic_scholar.parse_search(fetch(semantic_scholar.search_url(api, names), key))
    return sorted(papers, key=lambda p: -p.get("citation_count", 0))[:count]


def fetch(url: str, key: str) -> bytes:
    """GET ``url``, waiting out a 429 as its Retry-After says (or 1 s, then 2 s)."""
    headers = {"User-Agent": "learngraph", **({"x-api-key": key} if key else {})}
    attempt = 0
    while True:
        try:
            with urlopen(Request(url, headers=headers), timeout=20) as answer:
                return answer.read(MAX_ANSWER_BYTES)
        except HTTPError as error:
            if error.code != 429 or attempt == SEARCH_RETRIES:
                raise OSError(f"HTTP {error.code}") from None
            time.sleep(min(retry_after_seconds(error.headers.get("Retry-After")) or 2.0**attempt, 60))
            attempt += 1
        except URLError as error:
            # Said as the crawl says it of a link, not as the C library does.
            if isinstance(error.reason, socket.gaierror):
                raise OSError("the host name does not resolve") from None
            raise OSError(str(error.reason)) from None


def search_topics(
    topics: dict[str, list[str]],
    search: Callable[[list[str]], list[dict]],
    *,
    delay: float = 0.0,
    stored: Iterable[dict] = (),
    max_age: timedelta = timedelta(0),
) -> list[dict]:
    """What ``search`` finds for each topic (its id -> its names), one search every
    ``delay`` seconds: ``{"topic", "names", "searched_at", "papers"}`` each.

    A ``stored`` answer for the same names younger than ``max_age`` is kept without asking
    again. The first search that fails ends the asking (an unreachable or overloaded
    service would fail the rest, each after its retries): it and the topics left get its
    ``error``, added to their stored answer, whose papers stand until a search succeeds
    (one bad night is no reason to forget them), or to an empty one.
    """
    previous = {entry["topic"]: entry for entry in stored if entry.get("names")}
    now = datetime.now(UTC)
    found, asked, failure = [], 0, None
    for topic, names in topics.items():
        old = previous.get(topic) if previous.get(topic, {}).get("names") == names else None
        if old and "error" not in old and now - _when(old.get("searched_at")) < max_age:
            found.append(old)
            continue
        if failure is None:
            if asked:
                time.sleep(delay)
            asked += 1
            try:
                papers = search(names)
            except (OSError, ValueError) as error:
                failure = str(error)
            else:
                found.append({"topic": topic, "names": names, "searched_at": utc_now(), "papers": papers})
                continue
        found.append({**(old or {"topic": topic, "names": names, "papers": []}), "error": failure})
    return found


def _when(stamp: str | None) -> datetime:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)  # no time known: as old as can be


def write_found_papers(folder, found: list[dict]) -> Path:
    path = Path(folder) / FOUND_PAPERS
    with atomic_write(path) as file:
        json.dump(found, file, ensure_ascii=False, indent=1)
    return path


def read_found_papers(folder) -> list[dict]:
    """The papers found for empty topics that a crawl wrote into ``folder``; none when it
    wrote none. Raises ValueError naming the file when it holds something else."""
    path = Path(folder) / FOUND_PAPERS
    if not path.is_file():
        return []
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None
    if not (isinstance(found, list) and all(_is_entry(entry) for entry in found)):
        raise ValueError(f"{path}: not a list of papers found for topics")
    return found


def _is_entry(entry) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("topic"), str)
        and isinstance(entry.get("papers"), list)
        and all(
            isinstance(paper, dict)
            and isinstance(paper.get("id"), str)
            and all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in paper.get("references", ()))
            for paper in entry["papers"]
        )
    )
