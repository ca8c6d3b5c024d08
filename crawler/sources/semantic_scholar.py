"""Semantic Scholar Graph API: what the papers of a roadmap cite, how often they are cited,
and which papers its search finds for a topic.

No link of a roadmap points at Semantic Scholar: it is asked about papers other sources
identified (arXiv, DOI), all of them in one batch request, before their own fetches are
sent, and what it answers is added to their records.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..records import present
from .base import Fetch

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

# The batch endpoint takes at most 500 ids a request.
BATCH_LIMIT = 500
ID_PREFIXES = {"arxiv": "ARXIV", "doi": "DOI"}
FIELDS = "title,externalIds,citationCount,references.externalIds,references.title"
# A found paper's references say which topics of the roadmap it builds on.
SEARCH_FIELDS = "title,externalIds,citationCount,year,references.externalIds,references.title"


def paper_id(resource_id: str) -> str | None:
    """The id Semantic Scholar knows a paper of the roadmap by, or None for other resources.

    Examples
    --------
    >>> paper_id("arxiv:2302.13971"), paper_id("doi:10.18653/v1/n19-1423"), paper_id("youtube:x")
    ('ARXIV:2302.13971', 'DOI:10.18653/v1/n19-1423', None)
    """
    source, _, value = resource_id.partition(":")
    prefix = ID_PREFIXES.get(source)
    return f"{prefix}:{value}" if prefix else None


def batch_request(api_url: str, resource_ids: list[str]) -> tuple[str, bytes]:
    """The URL and JSON body of the one request that asks about all ``resource_ids``."""
    if len(resource_ids) > BATCH_LIMIT:
        raise ValueError(f"a batch takes at most {BATCH_LIMIT} papers, got {len(resource_ids)}")
    url = f"{api_url.rstrip('/')}/paper/batch?{urlencode({'fields': FIELDS}, safe=',')}"
    return url, json.dumps({"ids": [paper_id(r) for r in resource_ids]}).encode()


def first(fetches: list[Fetch], settings: Settings) -> list[Fetch]:
    """``fetches`` with those of papers carried by batch requests to Semantic Scholar, sent
    first, one for every BATCH_LIMIT papers: each paper's fetch is sent once its batch is
    answered, what it cites joined to its records. ``fetches`` as they are when Semantic
    Scholar is not to be asked (SEMANTIC_SCHOLAR_API_URL empty)."""
    api = settings.get("SEMANTIC_SCHOLAR_API_URL")
    batches: list[list[Fetch]] = []
    others = []
    for fetch in fetches:
        if not (api and fetch.ids and all(paper_id(i) for i in fetch.ids)):
            others.append(fetch)
        elif batches and sum(len(f.ids) for f in batches[-1]) + len(fetch.ids) <= BATCH_LIMIT:
            batches[-1].append(fetch)
        else:
            batches.append([fetch])
    return [*(_batch_fetch(api, papers) for papers in batches), *others]


def _batch_fetch(api: str, papers: list[Fetch]) -> Fetch:
    ids = [resource_id for fetch in papers for resource_id in fetch.ids]
    url, body = batch_request(api, ids)
    # The batch speaks for no resource itself: its papers' fetches do.
    return Fetch(
        [],
        url,
        read_batch,
        failed=send_papers,
        method="POST",
        body=body,
        headers={"Content-Type": "application/json"},
        api=True,
        meta={"download_slot": "semantic-scholar-api", "semantic_scholar_api": True},
        carry={"papers": ids, "then": papers},
    )


def read_batch(response: Response, fetch: Fetch) -> list[Fetch]:
    try:
        found = parse_batch(response.body, fetch.carry["papers"])
    except ValueError as error:
        logger.warning("Semantic Scholar: %s", error)
        found = {}
    return [
        replace(paper, known={i: found[i] for i in paper.ids if i in found}) for paper in fetch.carry["then"]
    ]


def send_papers(fetch: Fetch, refusal: dict) -> list[Fetch]:
    """The papers are fetched all the same, without citations, when Semantic Scholar
    cannot answer."""
    logger.warning("Semantic Scholar: %s", refusal["error"])
    return fetch.carry["then"]


def canonical_id(paper: dict) -> str | None:
    """The id learngraph gives a paper Semantic Scholar describes: its arXiv id, else its
    DOI, else Semantic Scholar's own; None when it has none of them."""
    external = paper.get("externalIds")
    external = external if isinstance(external, dict) else {}
    arxiv, doi, own = _text(external.get("ArXiv")), _text(external.get("DOI")), _text(paper.get("paperId"))
    if arxiv:
        return f"arxiv:{arxiv}"
    if doi:
        return f"doi:{doi.lower()}"  # DOIs are case-insensitive by definition
    return f"s2:{own}" if own else None


def _text(value) -> str | None:
    """``value`` if the answer gave text where text belongs; anything else is unknown."""
    return value if isinstance(value, str) else None


def _count(value) -> int | None:
    """``value`` if the answer gave a whole number where one belongs."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_batch(body: bytes, resource_ids: list[str]) -> dict[str, dict]:
    """Record fields (``references``, ``citation_count``) of each paper Semantic Scholar knows.

    The answer is a list aligned with the ids asked, ``null`` where a paper is unknown:
    those are absent from the result. Raises ValueError when the answer is no such list.
    """
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise ValueError(f"answer is not JSON: {error}") from None
    if not isinstance(answer, list) or len(answer) != len(resource_ids):
        raise ValueError(f"expected a list of {len(resource_ids)} papers, got {type(answer).__name__}")
    found = {}
    for resource_id, paper in zip(resource_ids, answer):
        if isinstance(paper, dict):
            found[resource_id] = present(
                {"references": references(paper), "citation_count": _count(paper.get("citationCount"))}
            )
    return found


def references(paper: dict) -> list[dict]:
    """The papers ``paper`` cites, by canonical id and title; those with no id are left out."""
    cited = paper.get("references")
    return [
        {"id": ref_id, **present({"title": _text(ref.get("title"))})}
        for ref in (cited if isinstance(cited, list) else ())
        if isinstance(ref, dict) and (ref_id := canonical_id(ref))
    ]


def search_url(api_url: str, names: list[str], limit: int = 10) -> str:
    """The search for papers about a topic known by ``names``.

    Its search matches no hyphenated term, so "Low-Rank" is asked as "Low Rank"; each word
    is asked once.

    Examples
    --------
    >>> search_url("https://s2.example/graph/v1", ["LoRA", "Low-Rank Adaptation"], 5)
    'https://s2.example/graph/v1/paper/search?query=LoRA+Low+Rank+Adaptation&fields=title%2CexternalIds%2CcitationCount%2Cyear%2Creferences.externalIds%2Creferences.title&limit=5'
    """
    words: dict[str, str] = {}
    for name in names:
        for word in re.split(r"[\s\-‐–]+", name):
            if word:
                words.setdefault(word.casefold(), word)
    query = {"query": " ".join(words.values()), "fields": SEARCH_FIELDS, "limit": limit}
    return f"{api_url.rstrip('/')}/paper/search?{urlencode(query)}"


def parse_search(body: bytes) -> list[dict]:
    """The papers of a search answer, most relevant first: id, title, year, citation count
    and references.

    Raises ValueError when the answer is not a search answer.
    """
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise ValueError(f"answer is not JSON: {error}") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("data", []), list):
        raise ValueError("answer has no list of papers")
    return [
        {
            "id": paper_id,
            **present(
                {
                    "title": _text(paper.get("title")),
                    "year": _count(paper.get("year")),
                    "citation_count": _count(paper.get("citationCount")),
                    "references": references(paper),
                }
            ),
        }
        for paper in answer.get("data", [])
        if isinstance(paper, dict) and (paper_id := canonical_id(paper))
    ]
