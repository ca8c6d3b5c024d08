"""Which papers a resource is or names: its own id, and the arXiv ids and DOIs in its text."""

from __future__ import annotations

import re

# Each starts with the character it matches first, its left edge checked just after it: a
# pattern that starts with a look-behind is tried at every position of every text, a
# pattern that starts with a digit only where one stands (four times faster over a roadmap).
ARXIV_ID = re.compile(r"(\d(?<![\d.]\d)\d{3}\.\d{4,5})(?:v\d+)?(?!\d)")
DOI = re.compile(r"(1(?<!\w1)0\.\d{4,9}/[^\s\"'<>()\[\]]+[^\s\"'<>()\[\].,;:!?])")
# The fields of a record where a description or abstract may name other papers.
LINKING_FIELDS = ("description", "abstract", "comment")
PAPER_PREFIXES = ("arxiv:", "doi:")


def named_papers(data: dict) -> list[str]:
    """The canonical ids of the papers the text of a resource names, in order, once each.

    Examples
    --------
    >>> named_papers({"description": "Paper: https://arxiv.org/abs/1706.03762v5, doi 10.1162/neco.1997.9.8.1735."})
    ['arxiv:1706.03762', 'doi:10.1162/neco.1997.9.8.1735']
    """
    found = []
    for text in filter(None, map(data.get, LINKING_FIELDS)):  # most resources have one
        found += [f"arxiv:{m}" for m in ARXIV_ID.findall(text)]
        found += [f"doi:{m.lower()}" for m in DOI.findall(text)]
    return list(dict.fromkeys(found))


def is_paper(resource_id: str) -> bool:
    return resource_id.startswith(PAPER_PREFIXES)


def paper_url(paper_id: str) -> str:
    """Where a paper is read: its arXiv page, its DOI, or its Semantic Scholar page."""
    source, _, value = paper_id.partition(":")
    base = {"arxiv": "https://arxiv.org/abs/", "doi": "https://doi.org/"}.get(
        source, "https://www.semanticscholar.org/paper/"
    )
    return base + value
