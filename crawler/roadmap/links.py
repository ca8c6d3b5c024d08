"""What a link in a roadmap is: a resource's identity from the source registry, or the
reason it is none (mail and script links, in-page anchors, absolute links back into this
very document as GitHub's tables of contents write them, relative links with no base URL).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from urllib.parse import unquote, urldefrag, urljoin

from ..sources import Identity, Registry
from ..sources.base import split_url

IGNORED_SCHEMES = {
    "mailto": "mailto link",
    "tel": "phone link",
    "javascript": "script link",
    "data": "inline data",
}
# A bare "www." address, which GitHub links too (markdown-it-pyrs links only URLs with a
# scheme): after a space, "(" or an emphasis mark; the punctuation after it is no part of it.
BARE_WWW = re.compile(r"(?<![^\s(*_~])(www\.[\w-]+(?:\.[\w-]+)+(?:[/?#][^\s<>]*)?)", re.I)
TRAILING = ".,:;!?*_~'\"。，、；：！？"


def github_anchor(text: str) -> str:
    """The fragment GitHub gives a heading, to recognise links to this very document."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def github_anchors(headings: Iterable[str]) -> set[str]:
    """The fragments of all these headings; GitHub numbers a repeated one ``-1``, ``-2``."""
    anchors: set[str] = set()
    for heading in headings:
        anchor = base = github_anchor(heading)
        n = 0
        while anchor in anchors:
            n += 1
            anchor = f"{base}-{n}"
        anchors.add(anchor)
    return anchors


def trim_bare(url: str) -> str:
    """A bare address without the punctuation after it; a ``)`` ends it when unmatched."""
    url = url.rstrip(TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(TRAILING)
    return url


class LinkIdentifier:
    """Identifies the links of one roadmap, resolved against its base URL."""

    def __init__(self, registry: Registry, base_url: str | None, headings: Callable[[], Iterable[str]]):
        self.registry = registry
        self.base_url = base_url
        self.headings = headings  # the document's headings, read only if a link has a fragment

    @cached_property
    def anchors(self) -> set[str]:
        """The fragments of this document's headings, which links into it end with."""
        return github_anchors(self.headings())

    def identify(self, href: str) -> tuple[Identity | None, str]:
        """The identity of a link (resolved against the base URL), or None and why the link
        is no resource."""
        if not href:
            return None, "empty link"
        if href.startswith("#"):
            return None, "in-page anchor"
        try:
            parts = split_url(urljoin(self.base_url, href) if self.base_url else href)
        except ValueError:
            return None, "malformed URL"
        if parts.scheme in IGNORED_SCHEMES:
            return None, IGNORED_SCHEMES[parts.scheme]
        if not parts.scheme and not parts.netloc and not self.base_url:
            return None, "relative link (give --base-url to resolve it)"
        identity = self.registry.identify(parts)
        if identity is None:
            return None, f"unsupported scheme {parts.scheme or '?'}"
        if parts.fragment and self.points_at_this_document(href, parts.fragment, identity):
            return None, "in-page anchor"
        return identity, ""

    def points_at_this_document(self, href: str, fragment: str, identity: Identity) -> bool:
        """True for an absolute link back into this roadmap, as tables of contents write them:
        to the base URL, or to a heading of a GitHub repository's README."""
        if self.base_url and urldefrag(href).url.rstrip("/") == urldefrag(self.base_url).url.rstrip("/"):
            return True
        path = identity.attrs.get("path", "")
        if identity.source != "github" or (path and not path.lower().endswith("readme.md")):
            return False
        fragment = unquote(fragment).lower()
        return fragment in self.anchors or fragment.removeprefix("user-content-") in self.anchors
