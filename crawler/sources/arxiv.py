"""arXiv: papers by id, whatever page or version a link points at."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

from .base import Identity, Source

ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?"
PAGE = re.compile(rf"^/(?:abs|pdf|html|format|ps)/{ARXIV_ID}(?:\.pdf)?/?$")
SCHEME = re.compile(rf"^{ARXIV_ID}$")


class Arxiv(Source):
    name = "arxiv"
    kind = "paper"
    hosts = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
    examples = (
        ("https://arxiv.org/abs/2302.13971", "arxiv:2302.13971"),
        ("https://arxiv.org/abs/2302.13971v2", "arxiv:2302.13971"),
        ("https://arxiv.org/pdf/2302.13971", "arxiv:2302.13971"),
        ("https://arxiv.org/pdf/2302.13971v1.pdf", "arxiv:2302.13971"),
        ("http://www.arxiv.org/abs/1706.03762", "arxiv:1706.03762"),
        ("https://export.arxiv.org/abs/1706.03762v7", "arxiv:1706.03762"),
        ("https://arxiv.org/html/2402.01234v1", "arxiv:2402.01234"),
        ("https://arxiv.org/abs/hep-th/9901001", "arxiv:hep-th/9901001"),
        ("https://arxiv.org/pdf/math.GT/0309136v2", "arxiv:math.GT/0309136"),
        ("arXiv:2106.09685", "arxiv:2106.09685"),
        ("arxiv:2106.09685v2", "arxiv:2106.09685"),
    )
    counter_examples = (
        "https://arxiv.org/list/cs.CL/recent",
        "https://arxiv.org/abs/",
        "https://arxiv.org/abs/12345",
        "https://github.com/arxiv/arxiv-browse",
        "https://notarxiv.org/abs/2302.13971",
        "https://arxiv.org/a/vaswani_a_1",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.scheme == "arxiv":
            match = SCHEME.match(url.path)
        elif url.hostname in cls.hosts:
            match = PAGE.match(url.path)
        else:
            return None
        if not match:
            return None
        paper = match.group("id")
        attrs = {"version": match.group("version")} if match.group("version") else {}
        return Identity(f"arxiv:{paper}", "paper", cls.name, f"https://arxiv.org/abs/{paper}", attrs)
