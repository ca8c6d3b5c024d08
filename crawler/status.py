"""One place that says what a failed fetch means for the resource: its status and error."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeoutError

STATUS_BY_HTTP_CODE = {404: "not_found", 410: "gone", 429: "rate_limited", 451: "blocked"}


def status_for_http(code: int) -> str:
    if 200 <= code < 300:
        return "ok"
    return STATUS_BY_HTTP_CODE.get(code, "http_error")


def status_for_failure(error: BaseException) -> tuple[str, str, int | None]:
    """(status, one-line error, HTTP status) for an exception from the download path."""
    if isinstance(error, HttpError):
        code = error.response.status
        return status_for_http(code), f"HTTP {code}", code
    if isinstance(error, Blocked):
        return "blocked", str(error), None
    if isinstance(error, Gone):
        return "gone", str(error), None
    if isinstance(error, RateLimited):
        return "rate_limited", str(error), None
    if isinstance(error, Unsupported):
        return "unsupported", _one_line(error), None
    if isinstance(error, IgnoreRequest):
        message = str(error) or type(error).__name__
        if "robots.txt" in message:
            return "blocked", "forbidden by robots.txt", None
        if "redirect" in message.lower():
            return "http_error", "too many redirects (a redirect loop?)", None
        return "blocked", message, None
    if isinstance(error, (DownloadTimeoutError, TwistedTimeoutError, TimeoutError)):
        return "timeout", "no answer within the download timeout", None
    if isinstance(error, (CannotResolveHostError, DNSLookupError)):
        return "dns_error", "the host name does not resolve", None
    if isinstance(error, DownloadCancelledError):  # Scrapy cancels only over DOWNLOAD_MAXSIZE
        return "too_large", "the response is larger than DOWNLOAD_MAXSIZE", None
    if isinstance(error, DownloadConnectionRefusedError):
        return "http_error", "connection refused", None
    return "http_error", _one_line(error) or type(error).__name__, None


class Blocked(IgnoreRequest):
    """A request learngraph refuses to send (a private address, say)."""


class Gone(IgnoreRequest):
    """A resource its site says is no more (removed, private, its account closed)."""


class RateLimited(IgnoreRequest):
    """A request not sent because the API's rate limit is spent until a later reset."""


class Unsupported(IgnoreRequest):
    """A link whose metadata no extractor can read."""


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]
