"""The source registry: every source's example URLs get their own source and id, no two
specific sources claim one URL, and look-alikes are refused."""

from __future__ import annotations

import pickle
import socket

import pytest
from scrapy.http import HtmlResponse

from learngraph.crawler.records import ResourceItem
from learngraph.crawler.settings import load_settings
from learngraph.crawler.sources import FALLBACKS, SOURCES, Registry
from learngraph.crawler.sources.base import canonical_url, split_url
from learngraph.crawler.sources.post import Mastodon
from learngraph.crawler.sources.video import VideoHost
from learngraph.crawler.sources.web import Web

REGISTRY = Registry()
EXAMPLES = [(source, url, expected) for source in SOURCES + FALLBACKS for url, expected in source.examples]
COUNTER_EXAMPLES = [(source, url) for source in SOURCES + FALLBACKS for url in source.counter_examples]


def identify(url: str):
    return REGISTRY.identify(url)


def seed_of(url: str) -> ResourceItem:
    """The pending record the crawl starts from for ``url``."""
    identity = identify(url)
    return ResourceItem(identity.id, identity.url, identity.kind, identity.source)


@pytest.fixture
def no_network(monkeypatch):
    """Fail any attempt to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: (_ for _ in ()).throw(AssertionError(f"DNS look-up of {a[0]}"))
    )


@pytest.mark.parametrize(
    ("source", "url", "expected"), EXAMPLES, ids=[f"{s.name}:{u}" for s, u, _ in EXAMPLES]
)
def test_example_resolves_to_its_own_source_and_id(source, url, expected, no_network):
    identity = identify(url)
    assert identity is not None
    assert (identity.source, identity.id) == (source.name, expected)


@pytest.mark.parametrize(
    ("source", "url", "expected"), EXAMPLES, ids=[f"{s.name}:{u}" for s, u, _ in EXAMPLES]
)
def test_no_other_specific_source_claims_an_example(source, url, expected):
    parts = split_url(url)
    claimed_by = [other.name for other in SOURCES if other is not source and other.identify(parts)]
    assert claimed_by == []


@pytest.mark.parametrize(
    ("source", "url"), COUNTER_EXAMPLES, ids=[f"{s.name}:{u}" for s, u in COUNTER_EXAMPLES]
)
def test_counter_example_is_refused_by_its_source(source, url, no_network):
    assert source.identify(split_url(url)) is None


@pytest.mark.parametrize("source", SOURCES + FALLBACKS, ids=lambda s: s.name)
def test_every_source_documents_itself_with_examples(source):
    assert source.examples, f"{source.name} has no example URLs"
    assert source.counter_examples, f"{source.name} has no counter-examples"


@pytest.mark.parametrize("source_name", ["youtube", "arxiv", "github"])
def test_main_sources_have_at_least_eight_forms_including_refusals(source_name):
    source = next(s for s in SOURCES if s.name == source_name)
    assert len(source.examples) >= 8
    assert len(source.counter_examples) >= 3


def test_registry_sources_share_no_host():
    hosts = [host for source in SOURCES for host in source.hosts]
    assert len(hosts) == len(set(hosts))


# YouTube.
@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("https://youtu.be/BR9h47Jtqyw?t=42", 42),
        ("https://youtu.be/BR9h47Jtqyw?si=abc&t=90s", 90),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", 3723),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=10", 10),
    ],
)
def test_youtube_start_offset_is_an_attribute_not_identity(url, start):
    identity = identify(url)
    assert identity.id == identify("https://www.youtube.com/watch?v=" + identity.id.split(":")[1]).id
    assert identity.attrs["start"] == start
    assert "t=" not in identity.url and "start=" not in identity.url


def test_youtube_tracking_parameters_are_stripped():
    identity = identify(
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=youtu.be&si=x1&pp=ygU&ab_channel=X"
    )
    assert identity.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert identity.attrs == {}


def test_youtube_watch_in_a_list_is_the_video_with_its_playlist():
    identity = identify("https://www.youtube.com/watch?v=fNk_zzaMoSs&list=PLZHQObOWTQDPD3MizzM2xVFitgF8hE_ab")
    assert (identity.id, identity.kind) == ("youtube:fNk_zzaMoSs", "video")
    assert identity.attrs == {"playlist": "PLZHQObOWTQDPD3MizzM2xVFitgF8hE_ab"}


def test_youtube_playlist_and_channel_are_their_own_kinds():
    playlist = identify("https://www.youtube.com/playlist?list=PLD63A284B7615313A&si=x")
    assert (playlist.kind, playlist.url) == (
        "playlist",
        "https://www.youtube.com/playlist?list=PLD63A284B7615313A",
    )
    assert identify("https://www.youtube.com/@karpathy/videos").kind == "channel"


# arXiv.
@pytest.mark.parametrize(
    ("url", "version"),
    [
        ("https://arxiv.org/abs/2302.13971v2", "v2"),
        ("https://arxiv.org/pdf/2302.13971v1.pdf", "v1"),
        ("arXiv:2106.09685v3", "v3"),
        ("https://arxiv.org/pdf/math.GT/0309136v2", "v2"),
    ],
)
def test_arxiv_version_is_kept_as_an_attribute(url, version):
    identity = identify(url)
    assert identity.attrs == {"version": version}
    assert version not in identity.id and version not in identity.url


def test_arxiv_unversioned_link_has_no_version_and_points_at_the_abstract():
    identity = identify("https://arxiv.org/pdf/2302.13971")
    assert (identity.kind, identity.url, identity.attrs) == ("paper", "https://arxiv.org/abs/2302.13971", {})


# GitHub.
def test_github_tree_link_keeps_ref_and_path():
    identity = identify("https://github.com/huggingface/transformers/tree/main/examples/pytorch")
    assert identity.id == "github:huggingface/transformers/examples/pytorch"
    assert identity.attrs == {"ref": "main", "path": "examples/pytorch"}
    assert identity.url == "https://github.com/huggingface/transformers/tree/main/examples/pytorch"


def test_github_repository_spellings_are_one_identity():
    spellings = [
        "https://github.com/Karpathy/nanoGPT",
        "https://github.com/karpathy/nanogpt/",
        "https://www.github.com/karpathy/nanoGPT.git",
        "http://github.com/karpathy/nanoGPT#readme",
    ]
    assert {identify(url).id for url in spellings} == {"github:karpathy/nanogpt"}
    assert identify(spellings[0]).attrs == {}


def test_github_raw_file_is_the_blob_with_its_ref():
    identity = identify("https://raw.githubusercontent.com/karpathy/nanoGPT/master/train.py")
    assert identity.attrs == {"ref": "master", "path": "train.py"}
    assert identity.url == "https://github.com/karpathy/nanoGPT/blob/master/train.py"


# bilibili.
def test_bilibili_part_is_kept_and_share_parameters_are_not():
    identity = identify(
        "https://www.bilibili.com/video/BV1ts4y1T7UH/?p=2&share_source=copy_web&vd_source=abc"
        "&spm_id_from=333.1"
    )
    assert (identity.id, identity.attrs) == ("bilibili:BV1ts4y1T7UH/p2", {"part": 2})
    assert identity.url == "https://www.bilibili.com/video/BV1ts4y1T7UH/?p=2"


def test_bilibili_short_link_is_followed_as_a_page_before_yt_dlp_is_asked():
    seeds = [seed_of("https://b23.tv/xYz12Ab"), seed_of("https://www.bilibili.com/video/BV1ts4y1T7UH")]
    short_link, video = REGISTRY.plan(seeds, load_settings())
    assert (short_link.url, short_link.yt_dlp, video.yt_dlp) == ("https://b23.tv/xYz12Ab", False, True)
    response = HtmlResponse("https://www.bilibili.com/video/BV1ts4y1T7UH/", body=b"<html></html>")
    [resolved] = short_link.read(response, short_link)
    assert (resolved.ids, resolved.url, resolved.yt_dlp) == (
        ["bilibili:b23:xYz12Ab"],
        "https://www.bilibili.com/video/BV1ts4y1T7UH/",
        True,
    )


# Plain pages.
@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM:443/a?b=2&a=1&utm_source=x#top", "https://example.com/a?a=1&b=2"),
        ("http://Example.com:80/path/", "http://example.com/path/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com", "https://example.com/"),
        (
            "https://example.com/p?utm_medium=m&utm_campaign=c&fbclid=1&gclid=2&id=7",
            "https://example.com/p?id=7",
        ),
        ("https://example.com/p?z=&a=1", "https://example.com/p?a=1&z="),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://[2001:DB8::1]/x", "https://[2001:db8::1]/x"),
        ("https://例子.中国/页?q=中", "https://xn--fsqu00a.xn--fiqs8s/%E9%A1%B5?q=%E4%B8%AD"),
    ],
)
def test_plain_page_canonical_url(url, canonical):
    assert canonical_url(url) == canonical
    identity = identify(url)
    assert (identity.source, identity.id, identity.url) == ("web", canonical, canonical)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://docs.python.org/3/library/re.html", "docs"),
        ("https://www.deepspeed.ai/tutorials/azure/", "docs"),
        ("https://huggingface.co/blog/zh/stackllama", "article"),
        ("https://lilianweng.github.io/posts/2023-06-23-agent/", "article"),
        ("https://aclanthology.org/N19-1423/", "paper"),
        (
            "https://docs.google.com/presentation/d/13Tylt2SvKvBL2hgILy5CmBtPDv3rXlVrQp01OzAe5Xo/edit",
            "slides",
        ),
        ("https://doi.org/10.18653/v1/N19-1423", "paper"),
        ("https://zhuanlan.zhihu.com/p/403433120", "article"),
        ("https://www.deepspeed.ai/", "page"),
    ],
)
def test_kind_of_common_pages(url, kind):
    assert identify(url).kind == kind


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://[::1",
        "https://",
    ],
)
def test_urls_no_source_can_take_are_none_not_errors(url):
    assert identify(url) is None


# Other video hosts.
def test_video_hosts_setting_makes_a_host_a_video_site():
    registry = Registry(
        load_settings({"VIDEO_HOSTS": "videos.example.org, Lectures.Example.edu"}).getlist("VIDEO_HOSTS")
    )
    identity = registry.identify("https://lectures.example.edu/watch/42?utm_source=x#t")
    assert (identity.kind, identity.source) == ("video", "video")
    assert identity.id == "video:https://lectures.example.edu/watch/42"
    assert registry.identify("https://videos.example.org/v/1").kind == "video"
    assert REGISTRY.identify("https://lectures.example.edu/watch/42").kind != "video"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://vimeo.com/76979871?share=copy", "vimeo:76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo:76979871"),
        (
            "https://www.ted.com/talks/andrew_ng_how_ai_could_empower_any_business",
            "tedtalk:andrew_ng_how_ai_could_empower_any_business",
        ),
    ],
)
def test_yt_dlp_knows_other_video_hosts_without_network(url, expected, no_network):
    identity = identify(url)
    assert (identity.id, identity.kind, identity.source) == (expected, "video", "video")
    assert identity.attrs["extractor"]


def test_yt_dlp_fallback_leaves_plain_pages_to_the_web_source(no_network):
    for url in ("https://example.com/blog/post", "https://vimeo.com/", "https://www.ted.com/about"):
        assert identify(url).source == "web", url


def test_fallbacks_are_mastodon_statuses_then_video_hosts_then_web():
    assert FALLBACKS == (Mastodon, VideoHost, Web)


# What each source plans for a batch of its resources.
def test_papers_are_asked_in_api_batches_after_their_citations_in_roadmap_order():
    seeds = [
        seed_of(url)
        for url in (
            "https://example.org/intro",
            "https://arxiv.org/abs/2302.13971",
            "https://github.com/karpathy/nanoGPT",
            "https://doi.org/10.18653/v1/N19-1423",
            "https://arxiv.org/abs/2106.09685v2",
            "https://github.com/karpathy/nanoGPT/blob/master/train.py",
            "https://arxiv.org/abs/1706.03762",
        )
    ]
    settings = load_settings(
        {"ARXIV_BATCH_SIZE": "2", "SEMANTIC_SCHOLAR_API_URL": "https://s2.example/graph/v1"}
    )
    citations, page, repo = REGISTRY.plan(seeds, settings)
    assert (citations.method, citations.ids) == ("POST", [])
    assert citations.carry["papers"] == [
        "arxiv:2302.13971",
        "arxiv:2106.09685",
        "doi:10.18653/v1/n19-1423",
        "arxiv:1706.03762",
    ]
    assert [fetch.ids for fetch in citations.carry["then"]] == [
        ["arxiv:2302.13971", "arxiv:2106.09685"],
        ["doi:10.18653/v1/n19-1423"],
        ["arxiv:1706.03762"],
    ]
    assert page.ids == ["https://example.org/intro"]
    assert repo.ids == ["github:karpathy/nanogpt", "github:karpathy/nanogpt/train.py"], (
        "one call per repository"
    )
    assert repo.url == "https://api.github.com/repos/karpathy/nanogpt"


def test_without_semantic_scholar_the_papers_are_asked_at_once():
    seeds = [seed_of("https://arxiv.org/abs/2302.13971"), seed_of("https://doi.org/10.18653/v1/N19-1423")]
    arxiv, doi = REGISTRY.plan(seeds, load_settings({"SEMANTIC_SCHOLAR_API_URL": ""}))
    assert arxiv.api and arxiv.url.startswith("https://export.arxiv.org/api/query?id_list=2302.13971")
    assert (doi.api, doi.url) == (False, "https://doi.org/10.18653/v1/n19-1423")


def test_every_planned_fetch_survives_the_distributed_frontier():
    """A distributed frontier pickles each request with its fetch: steps travel by name."""
    urls = (
        "https://youtu.be/BR9h47Jtqyw",
        "https://b23.tv/xYz12Ab",
        "https://twitter.com/a/status/1617979122625712128",
        "https://mastodon.social/@Gargron/109377213917390281",
        "https://arxiv.org/abs/2302.13971",
        "https://doi.org/10.18653/v1/N19-1423",
        "https://github.com/karpathy/nanoGPT",
        "https://vimeo.com/76979871",
        "https://www.youtube.com/@karpathy",
        "https://zhuanlan.zhihu.com/p/403433120",
        "https://docs.google.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ012345/edit",
        "https://example.org/",
    )
    settings = load_settings({"SEMANTIC_SCHOLAR_API_URL": "https://s2.example/graph/v1"})
    fetches = REGISTRY.plan([seed_of(url) for url in urls], settings)
    assert len(fetches) == len(urls) - 1, "the arXiv paper and the DOI go in one citations batch"
    for fetch in fetches:
        assert pickle.loads(pickle.dumps(fetch)) == fetch
