"""What every source shares: the identity a URL resolves to, the fetch a source plans,
and the source contract.

Sources plan fetches as plain data and read answers with plain functions: no Scrapy
import here or in a source module, so reading a roadmap never loads Scrapy. The spider
turns each ``Fetch`` into a request and hands the answer to the fetch's ``read``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeAlias
from urllib.parse import SplitResult, parse_qsl, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy.settings import Settings

# Query parameters that only say where a click came from; they never change a page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "spm",
        "spm_id_from",
        "share_source",
        "share_medium",
        "share_plat",
        "share_session_id",
        "vd_source",
        "ref_src",
        "scm",
        "from_spmid",
        "si",
        "feature",
        "pp",
        "ab_channel",
        "utm_id",
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


class Seed(Protocol):
    """What the registry and a source are told of a resource to fetch."""

    id: str
    url: str
    kind: str
    source: str


# What reading an answer learned of one resource: its id and record fields.
Found: TypeAlias = tuple[str, dict]
Step: TypeAlias = Callable[..., Iterable["Found | Fetch"]]


@dataclass(slots=True)
class Fetch:
    """One request a source wants sent, and the steps that read what comes back.

    ``read(response, fetch)`` reads the answer; ``failed(fetch, refusal)`` is asked when
    there is none (``refusal``: the status, error and HTTP status the failure means), and
    without it the refusal is the record. Both yield ``Found`` records or further fetches.
    Steps are module-level functions or classmethods, so a distributed frontier can pickle
    a fetch with its request.
    """

    ids: list[str]  # the resources the answer speaks for
    url: str
    read: Step
    failed: Step | None = None
    method: str = "GET"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # An API's answer: robots.txt does not apply, and its URL is no address of the resource.
    api: bool = False
    yt_dlp: bool = False  # asked of yt-dlp (crawler/ytdlp.py) instead of over HTTP
    meta: dict = field(default_factory=dict)  # Scrapy meta: download slot, statuses to read
    carry: dict = field(default_factory=dict)  # what the steps need besides the answer
    # Fields learned before this fetch (citations), joined to the records its answer gives.
    known: dict[str, dict] = field(default_factory=dict)

    def found(self, fields: dict) -> list[Found]:
        """The same ``fields`` for every resource of this fetch."""
        return [(resource_id, fields) for resource_id in self.ids]


class Source:
    """One site or service: the URLs it recognises, the identity it gives them, and
    what to fetch for a batch of its resources.

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

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> Iterable[Fetch]:
        """What to fetch for ``seeds``, this source's resources in roadmap order: an API
        batch, one page each, a yt-dlp call each."""
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
            return netloc[1 : netloc.index("]")]
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
    query = "&".join(
        pair for pair in parts.query.split("&") if not is_tracking_param(unquote_plus(pair.partition("=")[0]))
    )
    return canonicalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, "")))
