"""A crawler configured as learngraph's crawls are, to build one component from and call it.

Components read their settings in ``from_crawler``; building them from this crawler with
``scrapy.utils.misc.build_from_crawler`` tests that reading too, not only the methods.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler, get_reactor_settings

from learngraph.crawler.settings import load_settings


def project_crawler(**settings) -> Crawler:
    """learngraph's defaults with ``settings`` over them, as ``-s KEY=VALUE`` gives them, and
    a spider. No environment variable leaks in; no reactor is needed (the components under
    test run on asyncio alone)."""
    given = load_settings({key: str(value) for key, value in settings.items()}, environ={})
    crawler = get_crawler(Spider, {**given.copy_to_dict(), **get_reactor_settings()})
    crawler.spider = Spider.from_crawler(crawler, name="components")
    return crawler
