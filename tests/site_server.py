"""A local stand-in for the outside internet: real HTTP on 127.0.0.1 serving the formats
learngraph reads (arXiv Atom, GitHub JSON, HTML with JSON-LD, a video page with a media
file) and the faults it must survive. It counts every request, per path.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

PAPERS = {
    "2302.13971": {
        "title": "LLaMA: Open and Efficient Foundation Language Models",
        "authors": ["Hugo Touvron", "Thibaut Lavril", "Gautier Izacard"],
        "summary": "We introduce LLaMA, a collection of foundation language models ranging "
        "from 7B to 65B parameters, built on the transformer architecture.",
        "published": "2023-02-27T18:36:33Z",
        "updated": "2023-02-27T18:36:33Z",
        "version": "v1",
        "category": "cs.CL",
    },
    "2106.09685": {
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "authors": ["Edward J. Hu", "Yelong Shen"],
        "summary": "We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights.",
        "published": "2021-06-17T17:37:18Z",
        "updated": "2021-10-16T18:40:34Z",
        "version": "v2",
        "category": "cs.CL",
    },
}

REPOS = {
    "huggingface/transformers": {
        "full_name": "huggingface/transformers",
        "description": "Transformers: the model-definition framework",
        "stargazers_count": 150000,
        "forks_count": 30000,
        "open_issues_count": 1500,
        "language": "Python",
        "topics": ["nlp", "pytorch"],
        "license": {"spdx_id": "Apache-2.0", "name": "Apache License 2.0"},
        "default_branch": "main",
        "created_at": "2018-10-29T13:56:00Z",
        "pushed_at": "2026-11-28T10:00:00Z",
        "archived": False,
        "homepage": "https://huggingface.co/transformers",
    },
    "old/archived": {
        "full_name": "old/archived",
        "description": "An archived repository",
        "stargazers_count": 12,
        "forks_count": 1,
        "open_issues_count": 0,
        "language": "C",
        "topics": [],
        "license": None,
        "default_branch": "master",
        "created_at": "2015-01-01T00:00:00Z",
        "pushed_at": "2016-01-01T00:00:00Z",
        "archived": True,
        "homepage": None,
    },
}

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Attention, explained | The Blog</title>
<meta name="description" content="A visual guide to attention.">
<meta property="og:title" content="Attention, explained">
<meta property="og:site_name" content="The Blog">
<link rel="canonical" href="/posts/attention">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",
 "headline": "Attention, explained", "author": {"@type": "Person", "name": "Ada Writer"},
 "datePublished": "2024-03-05T09:00:00+01:00"}</script>
</head><body><article><h1>Attention, explained</h1><p>%s</p></article></body></html>
""" % ("word " * 460)

GBK_PAGE = (
    '<html><head><meta charset="gbk"><title>注意力机制详解</title>'
    '<meta name="description" content="一篇关于注意力的文章"></head>'
    "<body><p>" + "注意力机制" * 200 + "</p></body></html>"
).encode("gbk")

VIDEO_PAGE = """<!doctype html><html><head><title>Intro to LoRA</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "VideoObject",
 "name": "Intro to LoRA", "description": "Low-rank adaptation in ten minutes.",
 "duration": "PT10M30S", "uploadDate": "2024-01-02", "contentUrl": "%s/media/lora.mp4",
 "thumbnailUrl": "%s/media/lora.jpg"}</script></head><body><h1>Intro to LoRA</h1></body></html>
"""

# An MP4 file of 32 bytes: enough for a client that checks the media answers.
TINY_MP4 = bytes.fromhex("0000002066747970697336d00000000069736f6d69736f32617663316d703431")


def atom_feed(ids: list[str]) -> str:
    entries = []
    for paper_id in ids:
        paper = PAPERS.get(paper_id.split("v")[0] if "v" in paper_id[-3:] else paper_id)
        if paper is None:
            entries.append(
                f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(paper_id)}</id>"
                f"<title>Error</title><summary>incorrect id format for {escape(paper_id)}</summary></entry>"
            )
            continue
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{paper_id}{paper['version']}</id>"
            f"<updated>{paper['updated']}</updated><published>{paper['published']}</published>"
            f"<title>{escape(paper['title'])}</title><summary>{escape(paper['summary'])}</summary>"
            f'{authors}<link href="http://arxiv.org/abs/{paper_id}{paper["version"]}" rel="alternate" type="text/html"/>'
            f'<link title="pdf" href="http://arxiv.org/pdf/{paper_id}{paper["version"]}" rel="related" type="application/pdf"/>'
            f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{paper["category"]}"/>'
            f'<category term="{paper["category"]}" scheme="http://arxiv.org/schemas/atom"/></entry>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom"><title>ArXiv Query</title>'
        + "".join(entries)
        + "</feed>"
    )


class Site:
    """The server's state: what it serves, what it was asked, and switches for tests."""

    def __init__(self):
        self.requests: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self.headers_seen: list[dict] = []
        self.lock = threading.Lock()
        self.github_remaining = 5000
        self.base = ""
        # Pages under /pages/ (ETag) and /dated/ (Last-Modified): their titles, which of
        # them answer 404, and how many seconds a page takes to answer.
        self.titles: dict[str, str] = {}
        self.missing: set[str] = set()
        self.delays: dict[str, float] = {}
        # Semantic Scholar: how many batch requests to refuse with 429 first, and the bodies
        # of the batch requests it was sent.
        self.s2_busy = 0
        self.s2_batches: list[dict] = []
        self.s2_searches: list[str] = []
        # Recorded answers a test puts in place of the built-in ones: id -> paper, query -> answer.
        self.s2_papers: dict[str, dict | None] = {}
        self.s2_answers: dict[str, dict] = {}
        # Requests being answered right now, and the most there ever were at once.
        self.in_flight = 0
        self.peak_in_flight = 0
        # Files under /files/<name>: (body, Content-Type), put there by a test.
        self.files: dict[str, tuple[bytes, str]] = {}
        # Hosts asked for through the server as a proxy (CONNECT), which it refuses.
        self.proxied: list[str] = []
        # Pages under /raw/: HTML bodies served byte for byte, hostile ones included.
        self.bodies: dict[str, bytes] = {}

    def count(self, path: str, headers) -> int:
        with self.lock:
            self.requests[path] += 1
            self.times.setdefault(path, []).append(time.monotonic())
            self.headers_seen.append(dict(headers))
            return self.requests[path]


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_CONNECT(self) -> None:
        """As a proxy, the site refuses every tunnel: the way a network refuses a site."""
        with self.site.lock:
            self.site.proxied.append(self.path)
        self.send(403, b"tunnel refused", "text/plain")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        seen = self.site.count(url.path, self.headers)
        route = ROUTES.get(url.path) or next(
            (fn for prefix, fn in PREFIX_ROUTES if url.path.startswith(prefix)), None
        )
        if route is None:
            return self.send(404, b"not found", "text/plain")
        route(self, url, seen)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        seen = self.site.count(url.path, self.headers)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        route = POST_ROUTES.get(url.path)
        if route is None:
            return self.send(404, b"not found", "text/plain")
        route(self, url, seen, body)

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # Routes.
    def arxiv_api(self, url, seen) -> None:
        ids = parse_qs(url.query).get("id_list", [""])[0].split(",")
        self.send(200, atom_feed([i for i in ids if i]).encode(), "application/atom+xml; charset=utf-8")

    def github_api(self, url, seen) -> None:
        name = url.path.removeprefix("/github/repos/")
        self.site.github_remaining -= 1
        limits = {
            "X-RateLimit-Remaining": str(max(self.site.github_remaining, 0)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
        }
        if self.site.github_remaining < 0:
            return self.send(403, b'{"message": "API rate limit exceeded"}', "application/json", limits)
        repo = REPOS.get(name)
        if repo is None:
            return self.send(404, b'{"message": "Not Found"}', "application/json", limits)
        body = json.dumps(repo).encode()
        self.send_unless_not_modified(
            body, "application/json; charset=utf-8", {"ETag": etag_of(body), **limits}
        )

    def page(self, url, seen) -> None:
        """A page that answers conditional requests: /pages/ with an ETag, /dated/ with a
        Last-Modified date that moves when its title does."""
        prefix, name = url.path[1:].split("/", 1)
        time.sleep(self.site.delays.get(name, 0))
        if name in self.site.missing:
            return self.send(404, b"not found", "text/plain")
        title = self.site.titles.get(name, f"Page {name}")
        body = f"<html><head><title>{escape(title)}</title></head><body><p>{escape(title)} text</p></body></html>".encode()
        if prefix == "pages":
            validators = {"ETag": etag_of(body)}
        else:
            day = 1 + int(hashlib.sha1(body).hexdigest(), 16) % 28
            validators = {"Last-Modified": f"Sun, {day:02d} Feb 2026 12:00:00 GMT"}
        self.send_unless_not_modified(body, "text/html; charset=utf-8", validators)

    def send_unless_not_modified(self, body: bytes, content_type: str, headers: dict) -> None:
        asked_etag = self.headers.get("If-None-Match")
        asked_date = self.headers.get("If-Modified-Since")
        if (asked_etag and asked_etag == headers.get("ETag")) or (
            asked_date and asked_date == headers.get("Last-Modified")
        ):
            return self.send(304, b"", content_type, headers)
        self.send(200, body, content_type, headers)

    def article(self, url, seen) -> None:
        self.send(200, ARTICLE.encode())

    def gbk(self, url, seen) -> None:
        self.send(200, GBK_PAGE, "text/html")

    def video_page(self, url, seen) -> None:
        self.send(200, (VIDEO_PAGE % (self.site.base, self.site.base)).encode())

    def media(self, url, seen) -> None:
        self.send(200, TINY_MP4, "video/mp4")

    def status(self, url, seen) -> None:
        code = int(url.path.rsplit("/", 1)[-1])
        self.send(code, f"status {code}".encode(), "text/plain")

    def flaky(self, url, seen) -> None:
        if seen == 1:
            return self.send(500, b"try again", "text/plain")
        self.send(200, b"<html><head><title>Flaky but fine</title></head><body>ok</body></html>")

    def retry_after(self, url, seen) -> None:
        if seen == 1:
            return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        self.send(200, b"<html><head><title>Patience rewarded</title></head><body>ok</body></html>")

    def busy(self, url, seen) -> None:
        """A page that takes 0.2 s and notes how many requests it answers at once."""
        with self.site.lock:
            self.site.in_flight += 1
            self.site.peak_in_flight = max(self.site.peak_in_flight, self.site.in_flight)
        time.sleep(0.2)
        with self.site.lock:
            self.site.in_flight -= 1
        self.send(200, b"<html><head><title>Busy</title></head></html>")

    def slow(self, url, seen) -> None:
        time.sleep(float(parse_qs(url.query).get("s", ["3"])[0]))
        self.send(200, b"<html><head><title>Too late</title></head></html>")

    def redirect(self, url, seen) -> None:
        self.send(302, b"", "text/plain", {"Location": parse_qs(url.query)["to"][0]})

    def loop(self, url, seen) -> None:
        self.send(302, b"", "text/plain", {"Location": "/loop"})

    def huge(self, url, seen) -> None:
        size = 50 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65533
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def junk(self, url, seen) -> None:
        self.send(200, bytes(range(256)) * 64, "text/html")

    def empty(self, url, seen) -> None:
        self.send(200, b"")

    def robots(self, url, seen) -> None:
        self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    def private(self, url, seen) -> None:
        self.send(200, b"<html><head><title>Secret</title></head></html>")

    # Embedding APIs: X's oEmbed, YouTube's oEmbed, a Mastodon instance's status API.
    def twitter_oembed(self, url, seen) -> None:
        status_id = parse_qs(url.query).get("url", [""])[0].rstrip("/").rsplit("/", 1)[-1]
        tweet = TWEETS.get(status_id)
        if tweet is None:  # deleted: X answers 404 with an HTML page
            return self.send(404, b"<html><body>Sorry, that page does not exist</body></html>")
        self.send(200, json.dumps(tweet).encode(), "application/json; charset=utf-8")

    def youtube_oembed(self, url, seen) -> None:
        video_id = parse_qs(urlsplit(parse_qs(url.query).get("url", [""])[0]).query).get("v", [""])[0]
        if video_id == "embedOff123":  # embedding disabled by the owner
            return self.send(401, b"Unauthorized", "text/html")
        if video_id == "privateVid1":  # a private video once answered plain text with 200
            return self.send(200, b"Forbidden", "text/html")
        video = YOUTUBE_VIDEOS.get(video_id)
        if video is None:
            return self.send(404, b"Not Found", "text/html")
        self.send(200, json.dumps(video).encode(), "application/json")

    def mastodon_status(self, url, seen) -> None:
        status = TOOTS.get(url.path.rsplit("/", 1)[-1])
        if status is None:
            return self.send(404, b'{"error":"Record not found"}', "application/json; charset=utf-8")
        self.send(200, json.dumps(status).encode(), "application/json; charset=utf-8")

    def file(self, url, seen) -> None:
        found = self.site.files.get(url.path.removeprefix("/files/"))
        if found is None:
            return self.send(404, b"not found", "text/plain")
        self.send(200, *found)

    def raw(self, url, seen) -> None:
        self.send(200, self.site.bodies[url.path.removeprefix("/raw/")])

    def cloudflare_challenge(self, url, seen) -> None:
        self.send(
            403,
            b"<html><head><title>Just a moment...</title></head></html>",
            headers={"cf-mitigated": "challenge"},
        )

    def player(self, url, seen) -> None:
        """Why YouTube's player refuses a video: its playabilityStatus reason and subreason."""
        refusal = PLAYER_REFUSALS.get(url.path.removeprefix("/player/"))
        if refusal is None:
            return self.send(404, b"not found", "text/plain")
        self.send(200, json.dumps(refusal, ensure_ascii=False).encode(), "application/json")


# What the embedding APIs know, in the shapes they answer with.
TWEETS = {
    "1617979122625712128": {
        "url": "https://twitter.com/karpathy/status/1617979122625712128",
        "author_name": "Andrej Karpathy",
        "author_url": "https://twitter.com/karpathy",
        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">The hottest new programming '
        'language is English</p>&mdash; Andrej Karpathy (@karpathy) <a href="https://twitter.com/'
        'karpathy/status/1617979122625712128?ref_src=twsrc%5Etfw">January 24, 2023</a></blockquote>\n',
        "width": 550,
        "height": None,
        "type": "rich",
        "cache_age": "3153600000",
        "provider_name": "Twitter",
        "provider_url": "https://twitter.com",
        "version": "1.0",
    },
    "1641802431035584513": {
        "url": "https://twitter.com/dair_ai/status/1641802431035584513",
        "author_name": "DAIR.AI",
        "author_url": "https://twitter.com/dair_ai",
        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Top ML Papers of the Week '
        '(Mar 27 - Apr 2): <a href="https://t.co/4mKq0ZBq1d">pic.twitter.com/4mKq0ZBq1d</a></p>'
        '&mdash; DAIR.AI (@dair_ai) <a href="https://twitter.com/dair_ai/status/1641802431035584513">'
        "March 31, 2023</a></blockquote>\n",
        "type": "rich",
        "provider_name": "Twitter",
        "provider_url": "https://twitter.com",
        "version": "1.0",
    },
}
YOUTUBE_VIDEOS = {
    "kCc8FmEb1nY": {
        "title": "Let's build GPT: from scratch, in code, spelled out.",
        "author_name": "Andrej Karpathy",
        "author_url": "https://www.youtube.com/@AndrejKarpathy",
        "type": "video",
        "height": 113,
        "width": 200,
        "version": "1.0",
        "provider_name": "YouTube",
        "provider_url": "https://www.youtube.com/",
        "thumbnail_height": 360,
        "thumbnail_width": 480,
        "thumbnail_url": "https://i.ytimg.com/vi/kCc8FmEb1nY/hqdefault.jpg",
        "html": '<iframe width="200" height="113" src="https://www.youtube.com/embed/kCc8FmEb1nY?feature=oembed" '
        'frameborder="0" allowfullscreen title="Let&#39;s build GPT"></iframe>',
    },
}
TOOTS = {
    "109377213917390281": {
        "id": "109377213917390281",
        "created_at": "2022-11-20T17:03:55.000Z",
        "visibility": "public",
        "language": "en",
        "uri": "https://mastodon.example/users/ada/statuses/109377213917390281",
        "url": "https://mastodon.example/@ada/109377213917390281",
        "media_attachments": [],
        "content": '<p>Notes on attention: <a href="https://example.org/attention" rel="nofollow noopener">'
        '<span class="invisible">https://</span>example.org/attention</a></p><p>Read it twice.</p>',
        "account": {
            "id": "1",
            "username": "ada",
            "acct": "ada",
            "display_name": "Ada Writer",
            "url": "https://mastodon.example/@ada",
        },
    },
}


ROUTES = {
    "/api/query": Handler.arxiv_api,
    "/posts/attention": Handler.article,
    "/cn/gbk": Handler.gbk,
    "/videos/lora": Handler.video_page,
    "/flaky": Handler.flaky,
    "/retry-after": Handler.retry_after,
    "/slow": Handler.slow,
    "/loop": Handler.loop,
    "/redirect": Handler.redirect,
    "/huge": Handler.huge,
    "/junk": Handler.junk,
    "/empty": Handler.empty,
    "/robots.txt": Handler.robots,
    "/oembed/twitter": Handler.twitter_oembed,
    "/oembed/youtube": Handler.youtube_oembed,
    "/cloudflare": Handler.cloudflare_challenge,
}
PREFIX_ROUTES = [
    ("/github/repos/", Handler.github_api),
    ("/media/", Handler.media),
    ("/status/", Handler.status),
    ("/busy/", Handler.busy),
    ("/private/", Handler.private),
    ("/pages/", Handler.page),
    ("/dated/", Handler.page),
    ("/api/v1/statuses/", Handler.mastodon_status),
    ("/files/", Handler.file),
    ("/raw/", Handler.raw),
    ("/player/", Handler.player),
]
# YouTube's texts for the videos it will not show an anonymous client.
PLAYER_REFUSALS = {
    "bot-check": {
        "reason": "Sign in to confirm you’re not a bot",
        "subreason": "This helps protect our community. Learn more",
    },
    "age-gate": {
        "reason": "Sign in to confirm your age",
        "subreason": "This video may be inappropriate for some users.",
    },
    "region-gate": {
        "reason": "Video unavailable",
        "subreason": "The uploader has not made this video available in your country",
    },
    "private": {
        "reason": "Private video",
        "subreason": "Sign in if you've been granted access to this video",
    },
}


# Semantic Scholar's batch answers, in the shape of /graph/v1/paper/batch with
# fields=title,externalIds,citationCount,references.externalIds,references.title.
ATTENTION = {
    "paperId": "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
    "title": "Attention Is All You Need",
    "externalIds": {"ArXiv": "1706.03762", "DBLP": "conf/nips/VaswaniSPUJGKP17", "CorpusId": 13756489},
}
GPT3 = {
    "paperId": "90abbc2cf38462b954ae1b772fac9532e2ccd8b0",
    "title": "Language Models are Few-Shot Learners",
    "externalIds": {"ArXiv": "2005.14165", "CorpusId": 218971783},
}
LSTM = {
    "paperId": "2e9d221c206e9503ceb452302d68d10e293f2a10",
    "title": "Long Short-Term Memory",
    "externalIds": {"DOI": "10.1162/neco.1997.9.8.1735", "MAG": "2064675550", "CorpusId": 1915014},
}
S2_PAPERS = {
    "ARXIV:2302.13971": {
        "paperId": "57e849d0de13ed5f91d086936296721d4ff75a75",
        "title": "LLaMA: Open and Efficient Foundation Language Models",
        "externalIds": {"ArXiv": "2302.13971", "CorpusId": 257219404},
        "citationCount": 9000,
        "references": [
            ATTENTION,
            GPT3,
            LSTM,
            {"paperId": None, "title": "A talk without any id", "externalIds": None},
        ],
    },
    "ARXIV:2106.09685": {
        "paperId": "a8ca46b171467ceb2d7652fbfb67fe701ad86092",
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "externalIds": {"ArXiv": "2106.09685", "CorpusId": 235458009},
        "citationCount": 8000,
        "references": [ATTENTION, GPT3],
    },
}


def s2_batch(handler, url, seen, body) -> None:
    """POST /s2/graph/v1/paper/batch: one answer per id asked, null for a paper it does not know."""
    site = handler.site
    if site.s2_busy:
        site.s2_busy -= 1
        return handler.send(429, b'{"message":"Too Many Requests"}', "application/json")
    asked = json.loads(body)
    site.s2_batches.append(
        {
            "ids": asked["ids"],
            "fields": parse_qs(url.query).get("fields", [""])[0],
            "api_key": handler.headers.get("x-api-key"),
        }
    )
    answer = [site.s2_papers.get(paper, S2_PAPERS.get(paper)) for paper in asked["ids"]]
    handler.send(200, json.dumps(answer).encode(), "application/json")


# Its search answers, most relevant first, for queries containing the key.
S2_SEARCH = {
    "lora": [
        {
            "paperId": "0f2c0d3ab8d3b5cbc5b3c9ff8c2d9c1e0b1a2c3d",
            "title": "LoRA Learns Less and Forgets Less",
            "externalIds": {"ArXiv": "2405.09673"},
            "citationCount": 90,
            "year": 2024,
        },
        {**S2_PAPERS["ARXIV:2106.09685"], "year": 2021},
    ],
}


def s2_search(handler, url, seen) -> None:
    """GET /s2/graph/v1/paper/search: {total, offset, data}, 429 while the site is busy."""
    site = handler.site
    if site.s2_busy:
        site.s2_busy -= 1
        return handler.send(429, b'{"message":"Too Many Requests"}', "application/json", {"Retry-After": "0"})
    query = parse_qs(url.query).get("query", [""])[0]
    site.s2_searches.append(query)
    data = next((found for word, found in S2_SEARCH.items() if word in query.lower().split()), [])
    answer = site.s2_answers.get(query) or {"total": len(data), "offset": 0, "data": data}
    handler.send(200, json.dumps(answer).encode(), "application/json")


POST_ROUTES = {"/s2/graph/v1/paper/batch": s2_batch}
ROUTES["/s2/graph/v1/paper/search"] = s2_search


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha1(body).hexdigest()[:16]}"'


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up early (timeouts, size limits) are what the tests do


def serve(host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, Site]:
    """Start the site on a free port in a daemon thread; the caller shuts it down."""
    site = Site()
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = QuietServer((host, 0), handler)
    site.base = f"http://{host}:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, site


# Hostile pages, each what a stranger's site could answer: served under /raw/ by name.
def hostile_pages() -> dict[str, bytes]:
    """Bodies for pages whose titles, structured data, bytes or links are hostile."""

    def page(title: str, head: str = "", body: str = "words") -> bytes:
        return (
            f"<html><head><title>{escape(title)}</title>{head}</head><body><p>{body}</p></body></html>"
        ).encode()

    shell = len(page(""))
    many_objects = json.dumps([{"@type": "Thing", "name": f"thing {n}"} for n in range(10_000)])
    return {
        "control-title": page("Intro\x1b[31m to NLP\x07"),
        "markup-title": page("[/r/MachineLearning] thread"),
        "type-title": page("list[str] and [d]"),
        # The largest page DOWNLOAD_MAXSIZE lets through, nearly all of it title.
        "huge-title": page("t" * (5 * 1024 * 1024 - shell)),
        "json-ld-list": page(
            "Ten thousand things", f'<script type="application/ld+json">{many_objects}</script>'
        ),
        "nul-after-8k": page("Late NUL", body="padding " * 1100 + "NUL\x00here"),
        "many-links": page(
            "Many links", body="".join(f'<a href="/l/{n}">link {n}</a> ' for n in range(100_000))
        ),
    }
