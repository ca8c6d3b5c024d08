"""Scrapy's downloader with per-slot concurrency that holds when there is no delay.

Scrapy 2.19 pops queued requests while ``slot.free_transfer_slots() > 0`` but counts a
request as transferring only once its download coroutine starts, later. With no download
delay a whole queue therefore leaves at once: CONCURRENT_REQUESTS_PER_DOMAIN=1 sent 11
requests to one host together. Here a request takes its place as it is popped.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # the fix: hold the place from now on
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break
