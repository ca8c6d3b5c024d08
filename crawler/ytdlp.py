"""A download handler for ``ytdlp+https://…`` URLs: video metadata through yt-dlp.

Running yt-dlp as a download handler puts video metadata under the same slots,
politeness, retries and status handling as every other request. yt-dlp is blocking
code, so it runs in an executor of its own (in a shared pool DNS lookups would wait behind it),
and the handler enforces DOWNLOAD_TIMEOUT itself. Every connection yt-dlp makes goes
through the guarding proxy (crawler/proxy.py), so its redirects, API calls and manifests
meet the same address policy as Scrapy's requests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from concurrent.futures import ThreadPoolExecutor

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from scrapy.http import TextResponse

from .proxy import GuardingProxy
from .resolver import crawl_resolver
from .status import Blocked, Gone, Unsupported

SCHEME_PREFIX = "ytdlp+"

# yt-dlp reports failures as text; these say what the text means for the resource.
# A refusal: the site answered, but shows the video only to a signed-in, older, other-country
# or human visitor (bot checks, age and region gates, member and login walls).
REFUSED = re.compile(
    r"confirm you.re not a bot|confirm your age|inappropriate for some users|"
    r"not available (?:from|in) your (?:location|country)|geo.?restrict|"
    r"not made this video available in your country|members.only|"
    r"only available for registered users|anti-bot challenge|captcha",
    re.I,
)
HTTP_ERROR = re.compile(r"HTTP Error (\d{3})")
GONE = re.compile(
    r"Video unavailable|Private video|has been removed|account .* terminated|"
    r"no longer available|This video is not available",
    re.I,
)
DNS_ERROR = re.compile(
    r"Name or service not known|Temporary failure in name resolution|"
    r"getaddrinfo failed|nodename nor servname|No address associated",
    re.I,
)
TIMEOUT = re.compile(r"timed out", re.I)
UNSUPPORTED = re.compile(r"Unsupported URL|no video formats found|No video could be found", re.I)


def video_url(url: str) -> str:
    """The request URL that routes ``url`` through this handler."""
    return SCHEME_PREFIX + url


class _Messages:
    """yt-dlp's logger interface: keep messages instead of printing them to stderr."""

    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def debug(self, message: str) -> None:
        pass

    info = debug

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def error(self, message: str) -> None:
        self.errors.append(message)


def extract_info(url: str, options: dict) -> dict:
    """Metadata of one video or playlist; one YoutubeDL per call, as yt-dlp wants."""
    from yt_dlp import YoutubeDL
    from yt_dlp.utils import DownloadError

    messages = _Messages()
    with YoutubeDL({**options, "logger": messages}) as ydl:
        info = ydl.extract_info(url, download=False)
        # With ignore_no_formats_error a refused video is only a warning, and its "metadata"
        # a made-up title: the refusal is what the record must say.
        if info.get("_type", "video") == "video" and not info.get("formats"):
            if refusal := next((w for w in messages.warnings if REFUSED.search(w) or GONE.search(w)), None):
                raise DownloadError(refusal)
        return ydl.sanitize_info(info)


def warm_up() -> None:
    """Load yt-dlp's extractors once: the first concurrent calls are otherwise slow."""
    from yt_dlp.extractor import gen_extractor_classes

    list(gen_extractor_classes())


class YtDlpDownloadHandler(BaseDownloadHandler):
    lazy = True  # a roadmap without videos never starts yt-dlp

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        self.executor = ThreadPoolExecutor(settings.getint("YTDLP_MAX_WORKERS"), "yt-dlp")
        self.options = {
            "quiet": True,
            "no_warnings": True,
            "skip_download": True,
            "noplaylist": True,
            "extract_flat": "in_playlist",
            "ignore_no_formats_error": True,
            "socket_timeout": settings.getfloat("YTDLP_SOCKET_TIMEOUT"),
            "retries": 0,
            "extractor_retries": 0,
            "noprogress": True,
            "cachedir": False,
        }
        self.warm = asyncio.get_event_loop().run_in_executor(self.executor, warm_up)
        self.proxy = GuardingProxy(lambda host: crawl_resolver().resolve(host), self.timeout)
        self.proxy_started = asyncio.ensure_future(self.proxy.start())
        self.callers = (f"call{n}" for n in itertools.count())

    async def download_request(self, request):
        await self.warm  # importing yt_dlp here while the warm-up thread imports it fails
        await self.proxy_started
        from yt_dlp.utils import DownloadError

        url = request.url.removeprefix(SCHEME_PREFIX)
        caller = next(self.callers)
        options = {**self.options, "proxy": self.proxy.url(caller)}
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self.executor, extract_info, url, options)
        timeout = request.meta.get("download_timeout", self.timeout)
        try:
            info = await asyncio.wait_for(work, timeout)
        except TimeoutError:
            raise DownloadTimeoutError(f"yt-dlp took longer than {timeout:.0f} s") from None
        except DownloadError as error:
            if refused := self.proxy.failures.get(caller):
                raise refused from None
            return self.error_response(request, str(error))
        finally:
            self.proxy.failures.pop(caller, None)
        body = json.dumps(info, ensure_ascii=False, default=str).encode("utf-8")
        return TextResponse(
            request.url,
            status=200,
            body=body,
            encoding="utf-8",
            headers={"Content-Type": "application/json"},
            request=request,
        )

    @staticmethod
    def error_response(request, message: str):
        """Turn yt-dlp's error text into what an HTTP fetch would have said; a refusal or a
        removal is said as such, with yt-dlp's line as the error."""
        message = " ".join(message.split()).removeprefix("ERROR: ")
        if REFUSED.search(message):
            raise Blocked(message)
        if match := HTTP_ERROR.search(message):
            status = int(match.group(1))
        elif GONE.search(message):
            raise Gone(message)
        elif DNS_ERROR.search(message):
            raise CannotResolveHostError(message)
        elif TIMEOUT.search(message):
            raise DownloadTimeoutError(message)
        elif UNSUPPORTED.search(message):
            raise Unsupported(message)
        else:
            status = 502
        return TextResponse(
            request.url,
            status=status,
            body=message.encode(),
            encoding="utf-8",
            headers={"X-Learngraph-Error": message[:300]},
            request=request,
        )

    async def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.proxy.close()
