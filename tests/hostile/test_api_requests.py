"""Requests anyone who reaches `learngraph serve` can send: any text as a topic, a search,
a parameter, in a path or a query, and bytes no client would send. Each gets an answer
with a reason (200, 404, 409, 422 as JSON; 400 for a request HTTP itself rejects), never
a server error, and the server answers the next request as before."""

from __future__ import annotations

import socket
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api_server import built, serving

# Any text a URL can carry: every character but lone surrogates, which no URL encodes.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
ANSWERS = {200, 404, 409, 422}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with (
        serving(built(tmp_path_factory.mktemp("hostile-api"))) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


def assert_answered(response: httpx.Response) -> None:
    assert response.status_code in ANSWERS, (response.request.url, response.status_code, response.text)
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if response.status_code != 200:
        assert body["detail"], "an error says why"


@given(text=TEXT)
def test_any_text_as_a_topic(client, text):
    for endpoint in ("topics", "prereqs", "plan", "unlocks"):
        response = client.get(f"/api/{endpoint}/{quote(text, safe='')}")
        # An empty topic leaves /api/topics/ and the others matching no route: 404 too.
        assert_answered(response)


@given(text=TEXT, other=TEXT)
def test_any_text_as_a_query(client, text, other):
    assert_answered(client.get("/api/search", params={"q": text}))
    assert_answered(client.get("/api/path", params={"from": text, "to": other}))
    assert_answered(client.get("/api/suggest", params={"topic": text}))
    assert_answered(client.get("/api/plan/llama", params={"speed": text, "passes": other, "skip_done": text}))
    assert_answered(client.get("/api/export/" + quote(text, safe="")))


def test_a_topic_as_long_as_a_client_sends_is_refused_or_not_found(client):
    # httpx sends URLs up to 64 KiB; uvicorn refuses a request line above 16 KiB.
    for length in (10_000, 60_000):
        assert client.get("/api/plan/" + "a" * length).status_code in (400, 404)
    assert client.get("/api/next").status_code == 200


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /api/plan/%FF%FE HTTP/1.1",  # not UTF-8 once decoded
        b"GET /api/plan/%ZZ HTTP/1.1",  # not an escape
        b"GET /api/plan/\xff\xfe HTTP/1.1",  # raw bytes in the target
        b"GET /api/search?q=%00%0a%1b[31m HTTP/1.1",  # NUL, newline, a terminal escape
        b"GET /../../etc/passwd HTTP/1.1",
        b"GET /api/topics/.. HTTP/1.1",
    ],
)
def test_raw_requests_no_client_would_send(client, request_line):
    url = urlsplit(str(client.base_url))
    with socket.create_connection((url.hostname, url.port), timeout=10) as raw:
        raw.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status in ANSWERS | {400}, answer[:300]
    assert b"/root:" not in answer
    assert client.get("/api/next").status_code == 200
