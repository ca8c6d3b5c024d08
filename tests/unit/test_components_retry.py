"""BackoffRetryMiddleware as a component: built from the crawl's settings, its methods called."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler

from learngraph.crawler.middlewares.retry import BackoffRetryMiddleware, retry_after_seconds
from project_crawler import project_crawler

URL = "https://example.org/page"


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The seconds the middleware sleeps, recorded instead of slept."""
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return slept


def answer(middleware, status: int, retry_times: int = 0, headers=None, **meta):
    request = Request(URL, meta={"retry_times": retry_times, **meta})
    response = Response(URL, status=status, headers=headers, request=request)
    return asyncio.run(middleware.process_response(request, response)), response


def test_each_retry_waits_twice_as_long_as_the_one_before(waits):
    crawler = project_crawler(RETRY_TIMES=3, RETRY_BACKOFF_BASE=2, RETRY_BACKOFF_MAX=60)
    middleware = build_from_crawler(BackoffRetryMiddleware, crawler)
    retries = [answer(middleware, 503, attempt)[0] for attempt in range(3)]
    assert waits == [2, 4, 8]
    assert [r.meta["retry_times"] for r in retries] == [1, 2, 3]
    assert all(r.url == URL and r.dont_filter for r in retries)
    assert crawler.stats.get_value("retry/count") == 3


def test_the_wait_never_exceeds_the_maximum(waits):
    middleware = build_from_crawler(
        BackoffRetryMiddleware, project_crawler(RETRY_TIMES=10, RETRY_BACKOFF_BASE=1, RETRY_BACKOFF_MAX=5)
    )
    answer(middleware, 429, retry_times=6)
    answer(middleware, 429, headers={"Retry-After": "3600"})
    assert waits == [5, 5]


def test_retry_after_is_honoured_in_seconds_and_as_a_date(waits):
    middleware = build_from_crawler(BackoffRetryMiddleware, project_crawler(RETRY_BACKOFF_MAX=600))
    answer(middleware, 429, headers={"Retry-After": "7"})
    in_two_minutes = format_datetime(datetime.now(UTC) + timedelta(minutes=2), usegmt=True)
    answer(middleware, 503, headers={"Retry-After": in_two_minutes})
    assert waits[0] == 7
    assert waits[1] == pytest.approx(120, abs=2)


def test_when_the_retries_are_spent_the_answer_is_kept_and_nothing_waits(waits):
    crawler = project_crawler(RETRY_TIMES=2)
    middleware = build_from_crawler(BackoffRetryMiddleware, crawler)
    result, response = answer(middleware, 503, retry_times=2)
    assert result is response
    assert waits == []
    assert crawler.stats.get_value("retry/max_reached") == 1


@pytest.mark.parametrize(("status", "meta"), [(404, {}), (200, {}), (503, {"dont_retry": True})])
def test_other_answers_pass_at_once(waits, status, meta):
    middleware = build_from_crawler(BackoffRetryMiddleware, project_crawler())
    result, response = answer(middleware, status, **meta)
    assert result is response
    assert waits == []


def test_retry_after_seconds_reads_both_forms_and_ignores_nonsense():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b" 120 ", now) == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0, "a past date: at once"
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None
