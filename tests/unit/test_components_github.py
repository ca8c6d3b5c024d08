"""The GitHub API budget as a component: GitHubApiMiddleware built from the crawl's settings,
its methods called as the downloader calls them."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler

from learngraph.crawler.middlewares.github import GitHubApiMiddleware
from learngraph.crawler.status import RateLimited, status_for_failure
from project_crawler import project_crawler

API = "http://127.0.0.1:8080/github"
NOW = 1_800_000_000.0


def middleware(**settings) -> GitHubApiMiddleware:
    built = build_from_crawler(GitHubApiMiddleware, project_crawler(GITHUB_API_URL=API, **settings))
    built.clock = lambda: NOW
    return built


def api_request(repo: str = "org/repo") -> Request:
    return Request(f"{API}/repos/{repo}", meta={"github_api": True})


def answer(request: Request, status: int = 200, remaining: int = 4999, reset: float = NOW + 3600) -> Response:
    headers = {"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(int(reset))}
    return Response(request.url, status=status, headers=headers, request=request)


def test_the_budget_is_read_from_every_answer():
    github = middleware()

    async def one_request():
        request = api_request()
        await github.process_request(request)
        return request, await github.process_response(request, answer(request, remaining=42))

    request, response = asyncio.run(one_request())
    assert response.status == 200 and response.request is request
    assert (github.remaining, github.reset) == (42, NOW + 3600)


def test_a_spent_budget_with_a_far_reset_ends_requests_rate_limited_at_once():
    github = middleware(GITHUB_RATE_LIMIT_MAX_WAIT=60, GITHUB_CONCURRENCY=1)

    async def spent_then_more():
        first = api_request("org/first")
        await github.process_request(first)
        with pytest.raises(RateLimited) as answered:
            await github.process_response(first, answer(first, status=403, remaining=0))
        refused = []
        for n in range(3):  # one place only: each refusal gives it back
            with pytest.raises(RateLimited) as raised:
                await github.process_request(api_request(f"org/r{n}"))
            refused.append(raised.value)
        return answered.value, refused

    answered, refused = asyncio.run(spent_then_more())
    assert status_for_failure(answered)[0] == "rate_limited"
    assert str(refused[0]) == "GitHub API rate limit spent until 09:00:00Z; set GITHUB_TOKEN"
    assert [status_for_failure(error)[0] for error in refused] == ["rate_limited"] * 3


def test_a_near_reset_is_waited_for_and_the_request_sent_again(monkeypatch):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    github = middleware(GITHUB_RATE_LIMIT_MAX_WAIT=60)
    request = api_request()

    async def spent_until_soon():
        await github.process_request(request)
        return await github.process_response(request, answer(request, status=403, remaining=0, reset=NOW + 5))

    again = asyncio.run(spent_until_soon())
    assert waits == [5]
    assert isinstance(again, Request) and again.url == request.url and again.dont_filter
    assert github.remaining is None, "after the reset the budget is unknown until the next answer"


def test_no_more_api_requests_than_github_concurrency_take_a_place():
    github = middleware(GITHUB_CONCURRENCY=2)
    requests = [api_request(f"org/r{n}") for n in range(4)]

    async def four_requests():
        tasks = [asyncio.ensure_future(github.process_request(r)) for r in requests]
        await asyncio.sleep(0.01)
        started = [task.done() for task in tasks]
        await github.process_response(requests[0], answer(requests[0]))
        github.process_exception(requests[1], TimeoutError())
        await asyncio.wait_for(asyncio.gather(*tasks), 1)
        return started

    assert asyncio.run(four_requests()) == [True, True, False, False]


def test_other_requests_pass_untouched_and_take_no_place():
    github = middleware(GITHUB_CONCURRENCY=1, GITHUB_TOKEN="ghp_secret")

    async def pages():
        for n in range(3):
            request = Request(f"https://example.org/{n}")
            assert await github.process_request(request) is None
            assert b"Authorization" not in request.headers

    asyncio.run(pages())


def test_the_token_from_the_settings_goes_to_the_api_origin_only():
    github = middleware(GITHUB_TOKEN="ghp_secret")
    to_api = api_request()
    elsewhere = Request(
        "https://api.github.com/repos/org/repo",
        meta={"github_api": True},
        headers={"Authorization": "Bearer left-over"},
    )

    async def both():
        await github.process_request(to_api)
        await github.process_request(elsewhere)

    asyncio.run(both())
    assert to_api.headers["Authorization"] == b"Bearer ghp_secret"
    assert b"Authorization" not in elsewhere.headers
