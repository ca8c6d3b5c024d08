"""The GitHub token goes to the GitHub API host only, decided for each request as it is sent,
after every redirect; it comes from -s, LEARNGRAPH_GITHUB_TOKEN, GITHUB_TOKEN or GH_TOKEN, in
that order, and is never shown."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request

from learngraph.crawler.middlewares.github import GitHubApiMiddleware
from learngraph.crawler.settings import load_settings
from learngraph_process import read_records, run_learngraph

SECRET = "ghp_redirectedsecret0123456789"


def moved_api(target: str):
    """An API host that answers every request with a 301 to the same path under ``target``."""
    seen: list[dict] = []

    class Moved(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen.append(dict(self.headers))
            self.send_response(301)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def test_a_redirect_from_the_api_to_another_host_arrives_without_the_token(site, tmp_path):
    server, api_seen = moved_api(f"{site.base}/github")
    api = f"http://localhost:{server.server_port}"
    (tmp_path / "roadmap.md").write_text("# R\n- [HF](https://github.com/huggingface/transformers)\n")
    try:
        result = run_learngraph(
            "run",
            "roadmap.md",
            "--out",
            "out",
            "--quiet",
            "-s",
            f"GITHUB_API_URL={api}",
            "-s",
            "ALLOW_PRIVATE_HOSTS=1",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            cwd=tmp_path,
            env={"GITHUB_TOKEN": SECRET},
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert [h.get("Authorization") for h in api_seen] == [f"Bearer {SECRET}"], "the API host gets it"
    assert len(site.headers_seen) == 1 and "Authorization" not in site.headers_seen[0], (
        "the host it moved to does not"
    )
    assert read_records(tmp_path / "out")["HF"]["stars"] == 150000


@pytest.mark.parametrize(
    "environ, given, expected",
    [
        ({"GH_TOKEN": "gh"}, {}, "gh"),
        ({"GH_TOKEN": "gh", "GITHUB_TOKEN": "github"}, {}, "github"),
        (
            {"GH_TOKEN": "gh", "GITHUB_TOKEN": "github", "LEARNGRAPH_GITHUB_TOKEN": "learngraph"},
            {},
            "learngraph",
        ),
        (
            {"GH_TOKEN": "gh", "GITHUB_TOKEN": "github", "LEARNGRAPH_GITHUB_TOKEN": "learngraph"},
            {"GITHUB_TOKEN": "given"},
            "given",
        ),
        ({}, {}, ""),
    ],
)
def test_the_token_comes_from_the_conventional_places_in_order(environ, given, expected):
    assert load_settings(given, environ=environ).get("GITHUB_TOKEN") == expected


@pytest.mark.parametrize(
    "env, said",
    [({"GH_TOKEN": SECRET}, "with a token"), ({"GH_TOKEN": "", "GITHUB_TOKEN": ""}, "without a token")],
)
def test_run_says_whether_it_runs_with_a_token_and_never_which(tmp_path, env, said):
    (tmp_path / "roadmap.md").write_text("# R\n- [Nowhere](https://nowhere.test/page)\n")
    result = run_learngraph(
        "run",
        "roadmap.md",
        "--out",
        "out",
        cwd=tmp_path,
        fake_dns={"*": "missing"},
        env={"LEARNGRAPH_GITHUB_TOKEN": "", **env},
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("GitHub API:")]
    assert len(lines) == 1 and said in lines[0]
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "url, gets_token",
    [
        ("https://api.github.com/repos/a/b", True),
        ("https://API.github.com:443/repos/a/b", True),
        ("http://api.github.com/repos/a/b", False),
        ("https://api.github.com:8443/repos/a/b", False),
        ("https://api.github.com.evil.test/repos/a/b", False),
        ("https://codeload.github.com/a/b", False),
    ],
)
def test_the_token_goes_to_the_api_origin_only(url, gets_token):
    request = Request(url, meta={"github_api": True}, headers={"Authorization": "Bearer copied"})
    asyncio.run(GitHubApiMiddleware(SECRET, api_url="https://api.github.com").process_request(request))
    expected = f"Bearer {SECRET}".encode() if gets_token else None
    assert request.headers.get("Authorization") == expected
