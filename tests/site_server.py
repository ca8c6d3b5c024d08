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

from site_content import (
    ARTICLE,
    GBK_PAGE,
    PLAYER_REFUSALS,
    REPOS,
    S2_PAPERS,
    TINY_MP4,
    TOOTS,
    TWEETS,
    VIDEO_PAGE,
    YOUTUBE_VIDEOS,
    atom_feed,
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
