"""Run the resource crawl in this process and return its records."""

from __future__ import annotations

from pathlib import Path

# Imported now, not when the crawler builds its downloader: this module's import walks the
# call stack (inspect.stack, for deprecated names), which from deep inside Scrapy's
# start-up takes several times as long as from here.
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from .records import read_records
from .roadmap import Roadmap
from .spiders.resources import ResourceSpider


def crawl(roadmaps: list[Roadmap], settings: Settings) -> list[dict]:
    """Crawl every resource of ``roadmaps``; the records are also in resources.jsonl.

    Twisted's reactor starts once per process, so call this once per process. A crawl
    that cannot start (another run holds the lock) raises its error here.
    """
    output = Path(settings.get("OUTPUT_DIR"))
    output.mkdir(parents=True, exist_ok=True)
    if not settings.get("LOG_FILE"):
        settings.set("LOG_FILE", str(output / "crawl.log"), priority="cmdline")
    process = CrawlerProcess(settings)
    failures = []
    process.crawl(ResourceSpider, roadmaps=roadmaps).addErrback(failures.append)
    process.start()
    if failures:
        failures[0].raiseException()
    return read_records(output / "resources.jsonl")
