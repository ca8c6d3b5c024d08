"""Keep every record in the state database as it arrives, and close each run with its
report of what changed since the last complete run.

The run holds the output folder's lock from the moment this pipeline is built, before
the spider opens: a refused run has touched nothing.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals

from learngraph.crawler.changes import changes_json, changes_markdown, compare
from learngraph.crawler.files import atomic_write
from learngraph.crawler.lock import RunLock
from learngraph.crawler.records import present
from learngraph.crawler.state import StateDB, open_or_set_aside, state_path

logger = logging.getLogger(__name__)

STATS_PREFIX = "learngraph/"
# Where each record of a run came from (the spider's stats): a parsed response, a failed
# fetch, a 304, or a fresh stored record reused without a request.
ORIGINS = ("parsed", "failed", "not_modified", "reused")


class StatePipeline:
    def __init__(
        self, db_path: Path, output_dir: Path, stars_min: int = 100, stars_ratio: float = 0.1, stats=None
    ):
        self.lock = RunLock(Path(output_dir) / ".lock").acquire()
        self.db_path = db_path
        self.output_dir = Path(output_dir)
        self.stars = {"stars_min": stars_min, "stars_ratio": stars_ratio}
        self.stats = stats
        self.state: StateDB | None = None
        self.run_id = ""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(
            state_path(settings),
            Path(settings.get("OUTPUT_DIR")),
            settings.getint("CHANGES_STARS_MIN"),
            settings.getfloat("CHANGES_STARS_RATIO"),
            crawler.stats,
        )
        crawler.signals.connect(pipeline.spider_closed, signals.spider_closed)
        return pipeline

    def open_spider(self):
        self.state, set_aside = open_or_set_aside(self.db_path)
        if set_aside:
            logger.warning(set_aside)
            print(f"learngraph: warning: {set_aside}", file=sys.stderr)  # the log is in a file
        self.run_id = self.state.begin_run()
        logger.info("Run %s: state in %s", self.run_id, self.db_path)

    def process_item(self, item):
        self.state.save(self.run_id, present(ItemAdapter(item)))
        return item

    def spider_closed(self, reason: str):
        """After every pipeline closed: a run that finished is complete and reported."""
        try:
            outcome = "complete" if reason == "finished" else reason
            counts = self.counts()
            self.state.finish_run(self.run_id, outcome, counts)
            if outcome == "complete":
                self.report(counts)
            else:
                logger.warning(
                    "Run %s ended %s: no change report; the next run completes it", self.run_id, reason
                )
        finally:
            self.state.close()
            self.lock.release()

    def counts(self) -> dict:
        stats = self.stats.get_stats() if self.stats else {}
        counts = {origin: stats.get(STATS_PREFIX + origin, 0) for origin in ORIGINS}
        return {**counts, "requests": stats.get("downloader/request_count", 0)}

    def report(self, counts: dict) -> None:
        """runs/<run>/changes.md and changes.json, against the last complete run before it."""
        earlier = [run for run in self.state.complete_runs() if run != self.run_id]
        previous = earlier[-1] if earlier else None
        before = self.state.snapshot(previous) if previous else {}
        changes = compare(before, self.state.snapshot(self.run_id), **self.stars)
        folder = self.output_dir / "runs" / self.run_id
        with atomic_write(folder / "changes.json") as out:
            json.dump(changes_json(self.run_id, previous, changes, counts), out, ensure_ascii=False, indent=2)
        with atomic_write(folder / "changes.md") as out:
            out.write(changes_markdown(self.run_id, previous, changes, counts))
        logger.info("Run %s: %d changes, report in %s", self.run_id, len(changes), folder)
