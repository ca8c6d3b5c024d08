"""The yt-dlp download handler as a component: built from the crawl's settings, asked for
videos on the local site with real yt-dlp, and its reading of yt-dlp's error text."""

from __future__ import annotations

import asyncio
import json

import pytest
from scrapy import Request
from scrapy.spidermiddlewares.httperror import HttpError

from learngraph.crawler import ytdlp
from learngraph.crawler.resolver import GuardedResolver
from learngraph.crawler.status import status_for_failure
from learngraph.crawler.ytdlp import YtDlpDownloadHandler, video_url
from project_crawler import project_crawler
from site_server import serve


@pytest.fixture(scope="module")
def fetch():
    """``fetch(path)``: the handler's answer for the local site's ``path``, as the record's
    (status, error, HTTP status) and the response. One handler and one site for the module;
    the local site is let through the address guard by ALLOW_PRIVATE_HOSTS, as in a test crawl."""
    server, site = serve()
    crawler = project_crawler(ALLOW_PRIVATE_HOSTS=1, DOWNLOAD_TIMEOUT=30)
    # One loop for the module, as the handler's executor and proxy live on the loop that
    # built it; closing the runner ends what yt-dlp's connections left running.
    with asyncio.Runner() as runner, pytest.MonkeyPatch.context() as patch:
        guard = GuardedResolver.from_crawler(crawler, reactor=None)
        patch.setattr(ytdlp, "crawl_resolver", lambda: guard)

        async def build():
            return YtDlpDownloadHandler(crawler)

        handler = runner.run(build())

        def answer(path: str):
            try:
                response = runner.run(handler.download_request(Request(video_url(site.base + path))))
            except Exception as error:  # what the download raises is the record's failure
                return status_for_failure(error), None
            if response.status != 200:
                return status_for_failure(HttpError(response)), response
            return ("ok", None, 200), response

        yield answer
        runner.run(handler.close())
    server.shutdown()
    server.server_close()


def test_a_video_page_gives_yt_dlp_s_metadata_as_json(fetch):
    (status, _, _), response = fetch("/videos/lora")
    assert status == "ok"
    assert response.headers[b"Content-Type"] == b"application/json"
    assert json.loads(response.text)["duration"] == 630


@pytest.mark.parametrize(
    ("path", "status", "http_status"),
    [
        ("/status/404", "not_found", 404),
        ("/status/410", "gone", 410),
        ("/status/429", "rate_limited", 429),
        ("/cloudflare", "blocked", None),
    ],
)
def test_a_failure_ends_with_the_status_an_http_fetch_would_give(fetch, path, status, http_status):
    (got_status, error, got_http_status), _ = fetch(path)
    assert (got_status, got_http_status) == (status, http_status)
    assert "\n" not in error and not error.startswith("ERROR")


@pytest.mark.parametrize(
    ("message", "status", "http_status"),
    [
        (
            "ERROR: [youtube] aaaaaaaaaaa: Sign in to confirm you\u2019re not a bot. This helps protect our community.",
            "blocked",
            None,
        ),
        (
            "ERROR: [youtube] aaaaaaaaaaa: The uploader has not made this video available in your country",
            "blocked",
            None,
        ),
        (
            "ERROR: [youtube] aaaaaaaaaaa: Video unavailable. This video has been removed by the uploader",
            "gone",
            None,
        ),
        (
            "ERROR: [youtube] aaaaaaaaaaa: Private video. Sign in if you've been granted access to this video",
            "gone",
            None,
        ),
        (
            "ERROR: [generic] Unable to download webpage: HTTP Error 503: Service Unavailable",
            "http_error",
            503,
        ),
        (
            "ERROR: [generic] Unable to download webpage: <urlopen error [Errno -2] Name or service not known>",
            "dns_error",
            None,
        ),
        ("ERROR: [generic] Unable to download webpage: The read operation timed out", "timeout", None),
        ("ERROR: Unsupported URL: https://example.org/", "unsupported", None),
        ("ERROR: [vimeo] 12345: something nobody foresaw", "http_error", 502),
    ],
)
def test_yt_dlp_s_error_text_is_read_into_a_status(message, status, http_status):
    request = Request(video_url("https://example.org/video"))
    try:
        response = YtDlpDownloadHandler.error_response(request, message)
    except Exception as error:  # a refusal, removal, DNS error or timeout is raised
        outcome = status_for_failure(error)
    else:
        outcome = status_for_failure(HttpError(response))
        assert response.headers[b"X-Learngraph-Error"].decode() == message.removeprefix("ERROR: ")
    assert (outcome[0], outcome[2]) == (status, http_status)
