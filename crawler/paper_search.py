"""Semantic Scholar's paper search, asked outside a crawl by ``learngraph suggest``: one
plain request at a time, waiting out a 429 as its Retry-After says."""

from __future__ import annotations

import time
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from .retry_after import retry_after_seconds
from .sources import semantic_scholar

SEARCH_RETRIES = 2
MAX_ANSWER_BYTES = 1024 * 1024


def search_papers(api: str, key: str, names: list[str]) -> list[dict]:
    """The papers Semantic Scholar's search finds for ``names``; OSError or ValueError when
    it cannot answer."""
    return semantic_scholar.parse_search(fetch(semantic_scholar.search_url(api, names), key))


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
            raise OSError(str(error.reason)) from None
