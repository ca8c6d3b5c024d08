"""The sources that read metadata from where a kind of link keeps it best: posts from
their embedding API, videos from oEmbed, hosts' pages from their own places, PDFs from
their document information. Each case folder holds the input and the expected record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fixture_cases import FIXTURES, as_record, cases, check_case, read_json
from hypothesis import given
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from learngraph.crawler.records import ResourceItem
from learngraph.crawler.settings import load_settings
from learngraph.crawler.sources import Registry, oembed, pdf, post, web, zhihu
from learngraph.crawler.sources.fields import overlay
from pdf_files import pdf_file


def rule_for(url: str):
    """The rule that reads the pages of ``url``'s host: Zhihu's own, or a web host's."""
    host = url.split("/")[2]
    return zhihu.parse_page if host.endswith("zhihu.com") else web.host_rule(host)


@pytest.mark.parametrize("case", cases("post"))
def test_parse_post(case):
    resource_id = (case / "id.txt").read_text(encoding="utf-8").strip()
    body = (case / "input.json").read_bytes()
    check_case(case, lambda: post.parse_post(resource_id, body), lambda fields: as_record(fields, "post"))


@pytest.mark.parametrize("case", cases("oembed"))
def test_parse_video_oembed(case):
    body = (case / "input.json").read_bytes()
    check_case(case, lambda: oembed.parse_video(body), lambda fields: as_record(fields, "video"))


@pytest.mark.parametrize("case", cases("host-pages"))
def test_host_page_rule(case):
    url = (case / "url.txt").read_text(encoding="utf-8").strip()
    rule = rule_for(url)
    assert rule is not None, f"no rule for {url}"
    text = (case / "input.html").read_text(encoding="utf-8")
    check_case(case, lambda: rule(url, text), lambda fields: as_record(fields, "article"))


@pytest.mark.parametrize("case", cases("pdf"))
def test_parse_pdf(case):
    document = read_json(case / "document.json")
    body = pdf_file(document["metadata"], document["first_page_text"], document["pages"])
    check_case(
        case,
        lambda: pdf.parse_pdf(body),
        lambda fields: as_record(fields, "document", frozenset({"kind_hint"})),
    )


@pytest.mark.parametrize(
    ("host", "module"),
    [
        ("medium.com", "medium"),
        ("karpathy.medium.com", "medium"),
        ("blog.csdn.net", "csdn"),
        ("mp.weixin.qq.com", "wechat"),
        ("importai.substack.com", "substack"),
    ],
)
def test_each_host_has_its_rule(host, module):
    assert web.host_rule(host).__module__.rsplit(".", 1)[1] == module


@pytest.mark.parametrize(
    "host", ["example.com", "notmedium.com", "medium.com.example.org", "csdn.net", "www.zhihu.com"]
)  # Zhihu reads its own pages
def test_other_hosts_have_no_rule(host):
    assert web.host_rule(host) is None


def test_a_rule_finds_nothing_on_a_page_without_its_data():
    page = "<html><head><title>Moved</title></head><body>Gone to the app</body></html>"
    for url in (
        "https://zhuanlan.zhihu.com/p/1",
        "https://medium.com/@a/b-0123456789ab",
        "https://mp.weixin.qq.com/s/x",
        "https://blog.csdn.net/u/article/details/1",
        "https://a.substack.com/p/b",
    ):
        assert rule_for(url)(url, page) == {}, url


def test_a_rule_reads_nothing_from_broken_script_data():
    broken = '<script id="js-initialData" type="text/json">{"initialState": {"entities": [1, 2</script>'
    assert zhihu.parse_page("https://zhuanlan.zhihu.com/p/1", broken) == {}
    apollo = '<script>window.__APOLLO_STATE__ = {"Post:0123456789ab": [}</script>'
    assert web.host_rule("medium.com")("https://medium.com/@a/b-0123456789ab", apollo) == {}


def test_a_rule_overrides_the_generic_page_fields_and_their_provenance():
    generic = {
        "title": "Software 2.0 - Andrej Karpathy - Medium",
        "language": "en",
        "provenance": {"title": "json-ld", "language": "html-lang"},
    }
    case = FIXTURES / "host-pages" / "medium-member-post"
    rule = web.host_rule("karpathy.medium.com")(
        "https://karpathy.medium.com/software-2-0-a64152b37c35",
        (case / "input.html").read_text(encoding="utf-8"),
    )
    merged = overlay(generic, rule)
    assert (merged["title"], merged["language"]) == ("Software 2.0", "en")
    assert merged["provenance"]["title"] == "medium-apollo-state"
    assert merged["provenance"]["language"] == "html-lang"


@pytest.mark.parametrize(
    ("status_id", "date"),
    [
        (20, None),  # @jack's first tweet, 2006: before snowflake ids
        (29_700_859_247, None),
        (1617979122625712128, "2023-01-24T20:14:18Z"),  # its embed says January 24, 2023
        (1641802431035584513, "2023-03-31T13:59:37Z"),  # its embed says March 31, 2023
    ],
)
def test_a_tweet_is_dated_by_its_id(status_id, date):
    assert post.tweet_date(status_id) == date


# Moments a status can be posted at, to the millisecond: for X, the 41 bits of time a
# snowflake id holds (until 2080); for Mastodon, from 2016 to the end of the century.
TWEET_MOMENTS_MS = st.integers(post.TWITTER_EPOCH_MS + 10_000, post.TWITTER_EPOCH_MS + 2**41 - 1)
TOOT_MOMENTS_MS = st.integers(post.MASTODON_FIRST_MS, 4_102_444_800_000)


def iso(milliseconds: int) -> str:
    return datetime.fromtimestamp(milliseconds // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@given(TWEET_MOMENTS_MS, st.integers(0, 2**22 - 1))
def test_any_tweet_id_gives_back_the_second_it_was_made_at(milliseconds, worker_and_sequence):
    status_id = (milliseconds - post.TWITTER_EPOCH_MS) << 22 | worker_and_sequence
    assert post.tweet_date(status_id) == iso(milliseconds)


@given(TOOT_MOMENTS_MS, st.integers(0, 2**16 - 1))
def test_any_toot_id_gives_back_the_second_it_was_made_at(milliseconds, sequence):
    assert post.toot_date(milliseconds << 16 | sequence) == iso(milliseconds)


@pytest.mark.parametrize(
    ("status_id", "date"),
    [
        (1, None),  # before Mastodon 2.0, ids were counters
        (109377213917390281, "2022-11-20T17:03:55Z"),  # its API says created_at 2022-11-20T17:03:55.000Z
    ],
)
def test_a_toot_is_dated_by_its_id(status_id, date):
    assert post.toot_date(status_id) == date


def test_a_post_is_titled_by_its_first_line_and_keeps_its_text():
    body = b'{"author_name": "A", "html": "<blockquote><p>First line<br>second line</p></blockquote>"}'
    fields = post.parse_post("twitter:1617979122625712128", body)
    assert (fields["title"], fields["description"]) == ("First line", "First line\nsecond line")


@pytest.mark.parametrize(
    ("url", "api"),
    [
        (
            "https://sigmoid.social/@ada/109377213917390281",
            "https://sigmoid.social/api/v1/statuses/109377213917390281",
        ),
        ("http://127.0.0.1:8080/@ada/42", "http://127.0.0.1:8080/api/v1/statuses/42"),
    ],
)
def test_a_toot_is_read_from_its_instance_api(url, api):
    assert post.api_url("mastodon:x/1", url, "https://publish.twitter.com/oembed") == api


def test_a_tweet_is_read_from_the_oembed_endpoint_without_its_script():
    url = post.api_url("twitter:1", "https://twitter.com/a/status/1", "https://publish.twitter.com/oembed")
    assert url == (
        "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F1"
        "&omit_script=true&dnt=true"
    )


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("https://www.youtube.com/watch?v=kCc8FmEb1nY", "https://www.youtube.com/oembed"),
        (
            "https://www.youtube.com/playlist?list=PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ",
            "https://www.youtube.com/oembed",
        ),
        ("https://vimeo.com/76979871", "https://vimeo.com/api/oembed.json"),
        ("https://www.bilibili.com/video/BV1ts4y1T7UH", None),
        ("https://lectures.example.edu/watch/42", None),
    ],
)
def test_a_video_falls_back_on_its_site_oembed_endpoint(url, endpoint):
    registry = Registry(["lectures.example.edu"])
    identity = registry.identify(url)
    seed = ResourceItem(identity.id, identity.url, identity.kind, identity.source)
    [fetch] = registry.plan([seed], load_settings())
    assert fetch.yt_dlp, "a video is asked of yt-dlp first"
    assert fetch.carry.get("oembed") == endpoint


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/pdf", b"", True),
        ("application/octet-stream", b"%PDF-1.7\n...", True),
        ("text/html; charset=utf-8", b"\r\n%PDF-1.4\n", True),
        ("text/html", b"<html>%PDF-</html>", False),
    ],
)
def test_a_pdf_is_known_by_its_type_or_its_magic_bytes(content_type, body, expected):
    assert pdf.is_pdf(content_type, body) is expected


def test_only_a_post_that_links_media_may_hold_a_video():
    assert post.may_hold_video({"title": "Results", "description": "Results pic.twitter.com/4mKq0ZBq1d"})
    assert post.may_hold_video({"title": "Look pic.x.com/AbC123"})
    assert not post.may_hold_video({"title": "Just words about pic.twitter.com"})


def test_a_post_becomes_a_video_only_when_yt_dlp_finds_one():
    fields = {"title": "Demo", "status": "ok", "provenance": {"title": "oembed"}}
    video = post.with_video(fields, {"title": "x", "duration": 42.5})
    assert (video["kind_hint"], video["duration"], video["title"]) == ("video", 42.5, "Demo")
    assert video["provenance"] == {"title": "oembed", "duration": "yt-dlp"}
    for info in ({"title": "a picture"}, {"duration": 0}, {"duration": True}, {"duration": "long"}):
        assert post.with_video(fields, info) == fields


def page_answer(registry: Registry, url: str, case: str) -> tuple[str, dict]:
    """What the source of ``url`` reads off the saved page of ``case``, fetched as it plans."""
    identity = registry.identify(url)
    [fetch] = registry.plan(
        [ResourceItem(identity.id, identity.url, identity.kind, identity.source)], load_settings()
    )
    body = (FIXTURES / "host-pages" / case / "input.html").read_bytes()
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    [(resource_id, fields)] = fetch.read(response, fetch)
    assert resource_id == identity.id
    return identity.source, fields


def test_a_web_page_gets_its_host_rule_over_the_generic_page_fields():
    url = "https://karpathy.medium.com/software-2-0-a64152b37c35"
    source, fields = page_answer(Registry(), url, "medium-member-post")
    assert source == "web"
    # The page's JSON-LD headline says "Software 2.0 - Andrej Karpathy - Medium".
    assert (fields["title"], fields["reading_time"], fields["status"]) == ("Software 2.0", 497, "ok")
    assert fields["provenance"]["title"] == fields["provenance"]["reading_time"] == "medium-apollo-state"
    assert fields["canonical_url"] == url, "what the rule does not know stays the generic parser's"


def test_a_zhihu_item_is_read_with_zhihu_own_data():
    url = (FIXTURES / "host-pages" / "zhihu-article" / "url.txt").read_text(encoding="utf-8").strip()
    source, fields = page_answer(Registry(), url, "zhihu-article")
    assert source == "zhihu"
    assert fields["provenance"]["title"] == "zhihu-initial-data"
