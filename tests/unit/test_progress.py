"""The progress extension built without a crawler: what its lines say."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from learngraph.crawler.extensions.progress import CrawlProgress
from learngraph.crawler.records import ResourceItem


def test_a_line_says_done_of_total_per_kind_failures_and_time():
    now = [100.0]
    progress = CrawlProgress(io.StringIO(), interval=5, clock=lambda: now[0])
    seeds = [ResourceItem(f"p{i}", f"https://a.org/{i}", "page", "web") for i in range(3)]
    seeds.append(ResourceItem("v", "https://v.org/1", "video", "youtube"))
    progress.spider_opened(SimpleNamespace(seeds={s.id: s for s in seeds}))
    try:
        progress.show()
        assert (
            progress.stream.getvalue()
            == "progress: 0/4 done (0%) · page 0/3 · video 0/1 · 0 failed · time left unknown · elapsed 0:00:00\n"
        )
        now[0] = 110.0
        progress.item_scraped(ResourceItem("p0", "https://a.org/0", "page", "web", status="ok"))
        progress.item_scraped(ResourceItem("v", "https://v.org/1", "video", "youtube", status="gone"))
        progress.show()
    finally:
        progress.spider_closed(None, "finished")
    lines = progress.stream.getvalue().splitlines()
    assert (
        lines[1]
        == "progress: 2/4 done (50%) · page 1/3 · video 1/1 · 1 failed · ~0:00:10 left · elapsed 0:00:10"
    )
    assert lines[2] == lines[1], "closing prints the final line"


def test_turned_off_it_is_not_configured():
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict={"PROGRESS_ENABLED": False}))
