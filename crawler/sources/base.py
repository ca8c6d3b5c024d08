"""What every source shares: the identity a URL resolves to, and the source contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar
from urllib.parse import SplitResult, parse_qsl, unquote_plus, urlsplit, urlunsplit

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


@lru_cache(maxsize=4096)  # the parser and the registry both split each link
def split_url(url: str) -> Url:
    """Split a URL with its scheme and host lowercased, the default port and any user
    name dropped. Raises ValueError for a malformed host or port."""
    parts = urlsplit(url.strip())
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").rstrip("."), parts.port
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    netloc = f"{host}:{port}" if port and port != DEFAULT_PORTS.get(scheme) else host
    return Url(scheme, netloc, parts.path, parts.query, parts.fragment)


def query_params(url: SplitResult) -> dict[str, str]:
    return dict(parse_qsl(url.query, keep_blank_values=True))


def is_tracking_param(name: str) -> bool:
    return name.lower() in TRACKING_PARAMS or name.lower().startswith("utm_")


def canonical_url(url: str | SplitResult) -> str:
    """The one spelling of a plain page's URL: lowercase host, no default port, no
    fragment, no tracking parameters, query sorted, path and query percent-encoded as
    w3lib's canonicalize_url does.

    Parameters pass to w3lib as written: decoding them here first would let an escaped
    ``&``, ``=`` or ``#`` split a value, and a different URL would be fetched."""
    parts = split_url(url) if isinstance(url, str) else url
    query = "&".join(pair for pair in parts.query.split("&")
                     if not is_tracking_param(unquote_plus(pair.partition("=")[0])))
    return canonicalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, "")))
