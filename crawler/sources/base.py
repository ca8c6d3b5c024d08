"""What every source shares: the identity a URL resolves to, and the source contract."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar
from urllib.parse import SplitResult, parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say where a click came from; they never change a page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_hsenc",
        "_hsmi", "spm", "spm_id_from", "share_source", "share_medium", "share_plat",
        "share_session_id", "vd_source", "ref_src", "scm", "from_spmid", "si", "feature",
        "pp", "ab_channel", "utm_id",
    }
)


@dataclass(slots=True)
class Identity:
    """Who a URL is: its canonical id, its kind, and the URL that stands for it.

    ``attrs`` holds what a particular link adds without changing identity: a video's
    start offset, a paper's version, a repository's ref.
    """

    id: str
    kind: str
    source: str
    url: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


class Source:
    """One site or service: the URLs it recognises and the identity it gives them.

    ``examples`` pairs URLs with the id they must get; ``counter_examples`` are URLs
    that look close but must not match. The registry test checks both.
    """

    name: ClassVar[str]
    kind: ClassVar[str]
    hosts: ClassVar[frozenset[str]] = frozenset()
    examples: ClassVar[tuple[tuple[str, str], ...]] = ()
    counter_examples: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        raise NotImplementedError


DEFAULT_PORTS = {"http": 80, "https": 443}


class Url(SplitResult):
    """A URL as ``split_url`` leaves it. Its netloc is just the lowercase host and any
    port, so the host is read off it at once; the registry asks for it several times a URL."""

    __slots__ = ()

    @property
    def hostname(self) -> str:
        netloc = self.netloc
        if ":" not in netloc:
            return netloc
        if netloc.startswith("["):
            return netloc[1:netloc.index("]")]
        return netloc.partition(":")[0]


# An http(s) URL whose host is plain ASCII letters, digits, dots and hyphens (no user
# name, IPv6 or IDN), with no tab or line break: nearly every link. One match splits it
# into the very parts urlsplit would.
PLAIN_URL = re.compile(
    r"(https?)://([a-z0-9.-]+)(?::([0-9]{1,5}))?(/[^?#\t\r\n]*)?(?:\?([^#\t\r\n]*))?(?:#([^\t\r\n]*))?",
    re.I,
)


@lru_cache(maxsize=4096)  # the parser and the registry both split each link
def split_url(url: str) -> Url:
    """Split a URL with its scheme and host lowercased, the default port and any user
    name dropped. Raises ValueError for a malformed host or port."""
    url = url.strip()
    if (plain := PLAIN_URL.fullmatch(url)) and int(plain[3] or 0) <= 65535:
        scheme, host, port, path, query, fragment = plain.groups("")
        port = int(port) if port else None
    else:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname or "", parts.port
        path, query, fragment = parts.path, parts.query, parts.fragment
    scheme = scheme.lower()
    host = host.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    netloc = f"{host}:{port}" if port and port != DEFAULT_PORTS.get(scheme) else host
    return Url(scheme, netloc, path, query, fragment)


def query_pairs(query: str) -> list[tuple[str, str]]:
    """``parse_qsl(query, keep_blank_values=True)``, without its decoding work for the
    queries that need none (no ``%`` or ``+``)."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for name, _, value in (pair.partition("=") for pair in query.split("&") if pair)]


def query_params(url: SplitResult) -> dict[str, str]:
    return dict(query_pairs(url.query))


def is_tracking_param(name: str) -> bool:
    return name.lower() in TRACKING_PARAMS or name.lower().startswith("utm_")


# A path and query parameters spelled only with these are already as w3lib's
# canonicalize_url would spell them (it re-quotes, resolves "." segments and encodes
# the query); such URLs, most of a roadmap's, skip its work.
PLAIN_PATH = re.compile(r"[A-Za-z0-9\-_.~/!$'()*+,=:@]*")
PLAIN_QUERY = re.compile(r"[A-Za-z0-9\-_.~]*")


def canonical_url(url: str | SplitResult) -> str:
    """The one spelling of a plain page's URL: lowercase host, no default port, no
    fragment, no tracking parameters, query sorted, path and query percent-encoded as
    w3lib's canonicalize_url does."""
    parts = split_url(url) if isinstance(url, str) else url
    params = [(k, v) for k, v in query_pairs(parts.query) if not is_tracking_param(k)]
    path = parts.path or "/"
    plain = (parts.netloc.isascii() and "[" not in parts.netloc  # IDNA and IPv6 hosts aside
             and PLAIN_PATH.fullmatch(path) and "/." not in path  # no dot segments
             and all(k and PLAIN_QUERY.fullmatch(k) and PLAIN_QUERY.fullmatch(v) for k, v in params))
    if plain:
        query = "&".join(f"{k}={v}" for k, v in sorted(params))
        return f"{parts.scheme}://{parts.netloc}{path}{'?' if query else ''}{query}"
    query = "&".join(f"{k}={v}" if v else k for k, v in params)
    return canonicalize_url(urlunsplit((parts.scheme, parts.netloc, path, query, "")))
