"""``learngraph enqueue`` and ``learngraph worker``: one crawl shared by many machines."""

from __future__ import annotations

import click

from ..crawler.spiders.distributed import enqueue as enqueue_roadmaps
from ..crawler.spiders.distributed import work
from .common import base_url_option, console, load, redis_option, redis_settings, settings_option, user_errors


@click.command()
@click.argument("roadmaps", nargs=-1)
@redis_option
@base_url_option
@settings_option
@user_errors
def enqueue(roadmaps, redis_url, base_url, overrides) -> None:
    """Push the requests of every link of ROADMAPS to the shared Redis, for workers.

    Each request is pushed once: enqueueing a roadmap again adds only what is new.
    ROADMAPS default to the embedded NLP roadmap. Then start `learngraph worker`s.

    \b
    Example:
      learngraph enqueue awesome-nlp.md awesome-cv.md --redis redis://crawl-db:6379/0
    """
    settings = redis_settings(redis_url, overrides)
    models = [load(roadmap, overrides, base_url) for roadmap in roadmaps or (None,)]
    pushed = enqueue_roadmaps(models, settings)
    resources = len({r.id for model in models for r in model.resources})
    console.print(f"Enqueued {pushed} new requests for {resources} resources at {settings.get('REDIS_URL')}")


@click.command()
@redis_option
@settings_option
@user_errors
def worker(redis_url, overrides) -> None:
    """Crawl from the shared Redis frontier, beside any number of other workers.

    Stores each record in Redis; leaves once the frontier has been empty for
    WORKER_IDLE_TIMEOUT seconds. Requests of a worker that dies are taken up by the
    others after WORKER_LEASE_TIMEOUT. Build the graph with `learngraph build --redis`.

    \b
    Example:
      learngraph worker --redis redis://crawl-db:6379/0 -s GITHUB_TOKEN=$GITHUB_TOKEN
    """
    stats = work(redis_settings(redis_url, overrides))
    console.print(
        f"Worker finished ({stats.get('finish_reason')}): "
        f"{stats.get('item_scraped_count', 0)} records stored, "
        f"{stats.get('downloader/response_count', 0)} responses"
    )
