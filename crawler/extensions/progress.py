"""Crawl progress on the terminal, so a crawl of a thousand links never looks hung."""

from __future__ import annotations

import sys
import time
from collections import Counter

from itemadapter import ItemAdapter
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from ..records import is_failed

# A bar on a terminal redraws often; plain lines (logs, cron mail) come every PROGRESS_INTERVAL.
BAR_REFRESH = 0.5


class CrawlProgress:
    """Done / total, per kind, failures, elapsed and remaining time: a live bar when
    ``stream`` is a terminal, a plain line every ``interval`` seconds otherwise."""

    def __init__(self, stream=sys.stdout, interval: float = 5.0, clock=time.monotonic):
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.live = stream.isatty()
        self.totals: Counter[str] = Counter()
        self.done: Counter[str] = Counter()
        self.failed = 0
        self.started = clock()
        self.spider = None
        self.bar: Progress | None = None
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        progress = cls(sys.stdout, crawler.settings.getfloat("PROGRESS_INTERVAL"))
        # The extension manager holds the instance, so these bound methods stay alive.
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider) -> None:
        self.spider = spider
        self.started = self.clock()
        if self.live:
            self.bar = Progress(
                TextColumn("[bold]Crawling"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[detail]}"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.task = self.bar.add_task("crawl", total=None, detail="")
            self.bar.start()
        self.loop = create_looping_call(self.show)
        self.loop.start(BAR_REFRESH if self.live else self.interval, now=False)

    def item_scraped(self, item) -> None:
        record = ItemAdapter(item)
        self.done[record["kind"]] += 1
        self.failed += is_failed(record["status"])

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show()
        if self.bar is not None:
            self.bar.stop()

    def show(self) -> None:
        # The spider builds its seeds in start(), after it opens: count them each time.
        seeds = getattr(self.spider, "seeds", {})
        self.totals = Counter(seed.kind for seed in seeds.values())
        if self.bar is not None:
            self.bar.update(
                self.task,
                total=sum(self.totals.values()) or None,
                completed=sum(self.done.values()),
                detail=self.detail(),
            )
        else:
            print(self.line(), file=self.stream, flush=True)

    def detail(self) -> str:
        """Per kind done/total, failures and the time left: what the bar does not show."""
        kinds = [f"{kind} {self.done[kind]}/{total}" for kind, total in self.totals.most_common()]
        left = self.remaining()
        return " · ".join(
            [
                *kinds,
                f"{self.failed} failed",
                f"~{clock(left)} left" if left is not None else "time left unknown",
            ]
        )

    def line(self) -> str:
        done, total = sum(self.done.values()), sum(self.totals.values())
        share = f" ({done / total:.0%})" if total else ""
        return (
            f"progress: {done}/{total} done{share} · {self.detail()} · "
            f"elapsed {clock(self.clock() - self.started)}"
        )

    def remaining(self) -> float | None:
        """Seconds left at the pace so far; None before anything is done."""
        done, total = sum(self.done.values()), sum(self.totals.values())
        if not done:
            return None
        return max(0.0, total - done) * (self.clock() - self.started) / done


def clock(seconds: float) -> str:
    """Seconds as h:mm:ss, the way a stopwatch shows them."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
