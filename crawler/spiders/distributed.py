"""The resource crawl spread over many workers, on scrapy-redis and one Redis.

``enqueue`` plans the roadmaps' requests with ResourceSpider's own ``plan`` and pushes each
once (scrapy-redis's dupefilter) to the shared frontier, with the seeds. Any number of
``work`` processes on any machines then share that frontier through scrapy-redis's
scheduler, with the same callbacks as a single-process crawl, and store their records in
Redis. Requests travel as scrapy-redis pickles them: callbacks by name, meta as it is.
"""

from __future__ import annotations

import asyncio
import time

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter

from ..frontier import Frontier, LeasedQueue
from ..middlewares.shared_slots import SharedSlotMiddleware
from ..records import ResourceItem
from ..roadmap import Roadmap
from .resources import ResourceSpider, seeds_from

# Records go to the shared Redis, not to a resources.jsonl of each worker's own. The
# pipelines are named, not imported: the crawler layer does not depend on them.
JSONL_STORE = "learngraph.pipelines.store.JsonLinesStorePipeline"
REDIS_STORE = "learngraph.pipelines.redis_store.RedisStorePipeline"


class DistributedSpider(ResourceSpider):
    name = "resources-distributed"
    frontier: Frontier

    @classmethod
    def update_settings(cls, settings: Settings) -> None:
        super().update_settings(settings)
        settings.setdict(
            {
                "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
                "SCHEDULER_QUEUE_CLASS": "learngraph.crawler.frontier.LeasedQueue",
                # A worker that leaves must not clear the frontier the others still crawl.
                "SCHEDULER_PERSIST": True,
                "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                "SCHEDULER_DUPEFILTER_KEY": f"{settings.get('REDIS_KEY_PREFIX')}:dupefilter",
                # The shared slots space the starts of all workers; a random extra wait in one
                # worker's own slot would send its request later, closer to the next worker's.
                "DOWNLOAD_DELAY_JITTER": 0,
            },
            priority="spider",
        )
        settings.replace_in_component_priority_dict(
            "ITEM_PIPELINES", load_object(JSONL_STORE), load_object(REDIS_STORE)
        )
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", SharedSlotMiddleware, 950)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.frontier = Frontier.from_settings(crawler.settings)
        # Whatever ends without a record must still end its lease, or it would be fetched forever.
        crawler.signals.connect(spider.release_request, signal=signals.request_dropped)
        crawler.signals.connect(spider.release_item, signal=signals.item_dropped)
        crawler.signals.connect(spider.release_item, signal=signals.item_error)
        crawler.signals.connect(spider.release_response, signal=signals.spider_error)
        crawler.signals.connect(spider.give_back, signal=signals.spider_closed)
        return spider

    async def start(self):
        """Keep the worker while the shared frontier has work anywhere.

        Each tick renews this worker's leases and requeues those other workers stopped
        renewing. The requests themselves come from the shared queue, through the scheduler.
        """
        idle_timeout = self.settings.getfloat("WORKER_IDLE_TIMEOUT")
        tick = min(1.0, self.frontier.lease_timeout / 3)
        idle_since = time.monotonic()
        while time.monotonic() - idle_since < idle_timeout:
            await asyncio.sleep(tick)
            self.frontier.renew()
            if self.frontier.requeue_expired():
                self.logger.info("Requeued the requests of a worker that stopped renewing them")
            if self.frontier.pending():
                idle_since = time.monotonic()
        return
        yield  # start() must be an async generator, and this one has nothing of its own to yield

    def seed(self, resource_id: str) -> ResourceItem:
        return self.frontier.seed(resource_id)

    def release_request(self, request) -> None:
        self.frontier.release(request.meta["ids"])

    def release_item(self, item) -> None:
        self.frontier.release([ItemAdapter(item)["id"]])

    def release_response(self, response) -> None:
        if response is not None:
            self.frontier.release(response.meta["ids"])

    def give_back(self) -> None:
        self.frontier.give_back()


def enqueue(roadmaps: list[Roadmap], settings: Settings) -> int:
    """Push the requests of ``roadmaps`` to the shared frontier; returns how many were new.

    A request already pushed once (by fingerprint, whatever its ``dont_filter``) is not
    pushed again, so enqueueing a roadmap twice crawls it once.
    """
    spider = DistributedSpider.from_crawler(Crawler(DistributedSpider, settings))
    seeds = seeds_from(roadmaps)
    spider.frontier.add_seeds(seeds)
    queue = LeasedQueue(spider.frontier.server, spider, spider.frontier.queue)
    seen = RFPDupeFilter.from_spider(spider)
    pushed = 0
    for request in spider.plan(list(seeds.values())):
        if not seen.request_seen(request):
            queue.push(request)
            pushed += 1
    return pushed


def work(settings: Settings) -> dict:
    """Crawl from the shared frontier until it has been empty for WORKER_IDLE_TIMEOUT.

    Returns the worker's Scrapy stats. Twisted's reactor starts once per process.
    """
    process = CrawlerProcess(settings)
    process.crawl(DistributedSpider)
    (crawler,) = process.crawlers
    process.start()
    return crawler.stats.get_stats()
