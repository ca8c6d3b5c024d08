"""A video site's refusals are statuses: a bot check, an age or region gate end `blocked`,
a private video `gone`, each with yt-dlp's line as the error; never `http_error 502`.

YouTube is out of a test's reach, so its refusals come from a stand-in extractor that runs
the lines of yt-dlp's YoutubeIE which turn a player response's playabilityStatus into a
message, over player responses the local site serves; everything after, yt-dlp's own.
"""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from yt_dlp.extractor import import_extractors
from yt_dlp.extractor.common import InfoExtractor
from yt_dlp.globals import extractors as extractor_table
from yt_dlp.utils import DownloadError, remove_end

from learngraph.crawler.status import status_for_failure
from learngraph.crawler.ytdlp import YtDlpDownloadHandler, extract_info, video_url
from learngraph_process import read_records, run_learngraph


class YoutubeStandInIE(InfoExtractor):
    """extractor/youtube/_video.py's refusal lines, over a local player response."""

    IE_NAME = "youtube"  # so yt-dlp's messages read as YouTube's do
    _VALID_URL = r"http://127\.0\.0\.1:\d+/player/(?P<id>[\w-]+)"

    def _real_extract(self, url):
        video_id = self._match_id(url)
        status = self._download_json(url, video_id)
        reason, subreason = status["reason"], status["subreason"]
        if subreason.startswith("The uploader has not made this video available in your country"):
            self.raise_geo_restricted(subreason, None, metadata_available=True)
        if subreason != reason:
            reason += f". {subreason}"
        if "sign in" in reason.lower():
            reason = remove_end(reason, "This helps protect our community. Learn more")
            reason = f"{remove_end(reason.strip(), '.')}. {self._login_hint(method='cookies')}"
        self.raise_no_formats(reason, expected=True)
        return {"id": video_id, "title": None, "formats": []}


@pytest.fixture
def youtube_stand_in(monkeypatch):
    """The stand-in registered in yt-dlp's extractor table, as a plugin would be, in
    YoutubeIE's place (same IE_NAME)."""
    import_extractors()
    monkeypatch.setitem(extractor_table.value, YoutubeStandInIE.__name__, YoutubeStandInIE)


def outcome(url: str, options: dict) -> tuple[str, str, int | None]:
    """(status, error, HTTP status) of the record, as the download handler decides it."""
    with pytest.raises(DownloadError) as raised:
        extract_info(url, options)
    request = Request(video_url(url))
    try:
        response = YtDlpDownloadHandler.error_response(request, str(raised.value))
    except IgnoreRequest as error:
        return status_for_failure(error)
    status, error, http_status = status_for_failure(HttpError(response))
    return status, response.headers[b"X-Learngraph-Error"].decode(), http_status


@pytest.mark.parametrize("formats_optional", [True, False], ids=["metadata-only", "strict"])
@pytest.mark.parametrize(
    "case, status, words",
    [
        ("bot-check", "blocked", "Sign in to confirm you’re not a bot"),
        ("age-gate", "blocked", "Sign in to confirm your age"),
        ("region-gate", "blocked", "The uploader has not made this video available in your country"),
        ("private", "gone", "Private video. Sign in if you've been granted access"),
    ],
    ids=["bot-check", "age-gate", "region-gate", "private"],
)
def test_a_refusal_is_a_status_with_yt_dlps_line(
    site, youtube_stand_in, case, status, words, formats_optional
):
    """Metadata-only is how learngraph runs yt-dlp (ignore_no_formats_error): there a
    refusal is only a warning and the title made up; strict, it is an error."""
    options = {
        "quiet": True,
        "no_warnings": True,
        "skip_download": True,
        "retries": 0,
        "extractor_retries": 0,
        "cachedir": False,
        "ignore_no_formats_error": formats_optional,
    }
    got_status, error, http_status = outcome(f"{site.base}/player/{case}", options)
    assert (got_status, http_status) == (status, None)
    assert f"[youtube] {case}: {words}" in error or f"[youtube] {words}" in error
    assert "\n" not in error and not error.startswith("ERROR")


def test_a_crawl_records_a_bot_challenge_as_blocked_and_moves_on(site, tmp_path):
    """Real yt-dlp on a local page that answers with Cloudflare's bot challenge."""
    video = site.base.replace("127.0.0.1", "localhost")
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        f"# R\n- [Challenged]({video}/cloudflare)\n- [Removed]({video}/status/410)\n"
        f"- [Video]({video}/videos/lora)\n",
        encoding="utf-8",
    )
    result = run_learngraph(
        "crawl",
        roadmap,
        "--out",
        tmp_path / "out",
        "-s",
        "VIDEO_HOSTS=localhost",
        "-s",
        "ALLOW_PRIVATE_HOSTS=1",
        "-s",
        "RETRY_TIMES=2",
        "-s",
        "RETRY_BACKOFF_BASE=0.1",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    records = read_records(tmp_path / "out")

    challenged = records["Challenged"]
    assert challenged["status"] == "blocked" and "http_status" not in challenged
    assert challenged["error"].startswith("[generic] ")
    assert "HTTP Error 403 caused by Cloudflare anti-bot challenge" in challenged["error"]
    assert site.requests["/cloudflare"] == 1, "a refusal is not retried"
    assert records["Removed"]["status"] == "gone"
    assert records["Video"]["status"] == "ok" and records["Video"]["duration"] == 630
