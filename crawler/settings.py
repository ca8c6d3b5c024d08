"""Every learngraph and Scrapy default in one place.

Each name here can be overridden with ``-s KEY=VALUE`` on the command line or with an
environment variable ``LEARNGRAPH_<KEY>``, in that order of precedence (``given_settings``).
Crawls read them all through Scrapy (``load_settings``); the commands that only read a
graph or a roadmap read the few they need with ``setting``, and never wait for Scrapy's
import. So this module imports nothing of Scrapy's at its top.
"""

from __future__ import annotations

import os
from importlib.metadata import metadata, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import Settings

BOT_NAME = "learngraph"
SPIDER_MODULES = ["learngraph.crawler.spiders"]
NEWSPIDER_MODULE = "learngraph.crawler.spiders"

# Where a link counts as a video even when yt-dlp has no extractor of its own for the host.
VIDEO_HOSTS: list[str] = []
# Roadmaps larger than this are refused: a study list is kilobytes, not megabytes.
ROADMAP_MAX_BYTES = 10 * 1024 * 1024

# Where a run writes its files.
OUTPUT_DIR = "output"

# Scheduled runs. The state database remembers every resource's last fetch between runs
# (empty: OUTPUT_DIR/state.sqlite). A record younger than its kind's freshness is reused
# without a request; an older one is revalidated (If-None-Match / If-Modified-Since) when
# its source gave validators. FULL_CRAWL (``--full``) fetches and parses everything again.
STATE_DB = ""
FULL_CRAWL = False
FRESHNESS_PAPERS_DAYS = 30.0
FRESHNESS_VIDEOS_DAYS = 7.0
FRESHNESS_REPOS_DAYS = 1.0
FRESHNESS_PAGES_DAYS = 3.0
# `crawl` and `run` exit with status 1 when more than this fraction of links failed
# (1.0: never; a nightly job sets e.g. 0.05).
FAIL_THRESHOLD = 1.0
# A repository's star count change is reported when it moves by at least both of these.
CHANGES_STARS_MIN = 100
CHANGES_STARS_RATIO = 0.1

# Sources. arXiv's terms: one request every 3 s, one connection, for all machines together.
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIV_BATCH_SIZE = 100
ARXIV_DELAY = 3.0
# What papers cite, for the citation basis of prerequisites; empty to skip it. Without a
# key everyone shares one pool and 429s are common: one request a second, backing off.
SEMANTIC_SCHOLAR_API_URL = "https://api.semanticscholar.org/graph/v1"
SEMANTIC_SCHOLAR_API_KEY = ""
SEMANTIC_SCHOLAR_DELAY = 1.0
GITHUB_API_URL = "https://api.github.com"
# Sent to the GITHUB_API_URL host only. When not set, GITHUB_TOKEN or GH_TOKEN from the
# environment is used, as other GitHub tools do.
GITHUB_TOKEN = ""
GITHUB_CONCURRENCY = 4
# When the GitHub rate limit is spent, wait for its reset if it is this near (seconds);
# otherwise the remaining repositories end as rate_limited.
GITHUB_RATE_LIMIT_MAX_WAIT = 60.0
YTDLP_MAX_WORKERS = 4
YTDLP_SOCKET_TIMEOUT = 10.0
# Embedding endpoints. Posts on X are read from its oEmbed endpoint (Mastodon statuses from
# their own instance's API); a YouTube or Vimeo video yt-dlp cannot read gets its title,
# channel and thumbnail from the site's oEmbed endpoint, and ends `partial`.
TWITTER_OEMBED_URL = "https://publish.twitter.com/oembed"
YOUTUBE_OEMBED_URL = "https://www.youtube.com/oembed"
VIMEO_OEMBED_URL = "https://vimeo.com/api/oembed.json"
# Named in the User-Agent so site owners can reach whoever runs the crawl; by default the
# project's own address ([project.urls] in pyproject.toml). USER_AGENT, when left empty,
# is made from it and the installed version.
CONTACT_URL = dict(entry.split(", ", 1) for entry in metadata("learngraph").get_all("Project-URL"))[
    "Homepage"
]
USER_AGENT = ""

# A roadmap is untrusted input: links to private, loopback and link-local addresses
# are refused unless this is set (tests and intranets need it).
ALLOW_PRIVATE_HOSTS = False
# Host names allowed even though they resolve to private addresses (an intranet wiki).
PRIVATE_HOST_ALLOWLIST: list[str] = []
# Every connection, Scrapy's and yt-dlp's, gets its address from this resolver, which
# enforces the two settings above at connection time (crawler/resolver.py).
TWISTED_DNS_RESOLVER = "learngraph.crawler.resolver.GuardedResolver"
# A temporary DNS failure is tried again this many times, DNS_RETRY_DELAY * 2**n seconds
# apart; a name that does not exist is not.
DNS_RETRY_TIMES = 2
DNS_RETRY_DELAY = 0.5
# A lookup unanswered this long is a temporary failure (glibc gives up after 2 x 5 s).
DNS_TIMEOUT = 10.0

# Distributed mode (`learngraph enqueue`, `learngraph worker`): the Redis that holds the
# shared frontier, seeds and records. Every key starts with the prefix: one crawl per prefix.
REDIS_URL = ""
REDIS_KEY_PREFIX = "learngraph"
# A worker leaves once the shared frontier has been empty this long (seconds).
WORKER_IDLE_TIMEOUT = 30.0
# A worker renews the leases of its in-flight requests; a worker silent this long counts as
# dead and its requests go back to the queue for the others (seconds).
WORKER_LEASE_TIMEOUT = 30.0

# Politeness: metadata work needs small pages quickly, from many hosts, gently.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0
DOWNLOAD_TIMEOUT = 20.0
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
# The gap between requests to a host until its first answer tells AutoThrottle its latency
# (then: latency / TARGET_CONCURRENCY, longer when it slows or fails). 0.25 s kept a crawl
# of 20 hosts below its concurrency for its first half second; at 0.1 s a new host still
# gets at most 10 requests a second, and never more than CONCURRENT_REQUESTS_PER_DOMAIN at once.
AUTOTHROTTLE_START_DELAY = 0.1
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
# Scrapy runs this many tasks per callback output; a callback here yields one record, or
# a batch of at most ARXIV_BATCH_SIZE, so the default 100 only costs CPU per response.
CONCURRENT_ITEMS = 16
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Backoff between retries: base * 2**attempt seconds, or what Retry-After asks, at most MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Live progress on the terminal (--quiet turns it off): a bar when stdout is a terminal,
# otherwise a plain line every PROGRESS_INTERVAL seconds and one at the end.
PROGRESS_ENABLED = True
PROGRESS_INTERVAL = 5.0
# Scrapy 2.19 starts a remote-control HTTP server (code execution with a token) for every
# crawl unless told not to; a crawler of untrusted links has no use for one, nor for the
# telnet console. Scrapy imports every extension it lists, even one switched off (aiohttp
# for the remote control: 0.25 s of CPU, a sixth of a run of the embedded roadmap), so
# ``load_settings`` also takes both out of Scrapy's EXTENSIONS_BASE.
REMOTE_CONTROL_ENABLED = False
UNUSED_EXTENSIONS = ("RemoteControl", "TelnetConsole")
EXTENSIONS = {"learngraph.crawler.extensions.progress.CrawlProgress": 500}
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# Scrapy reads the source of every callback to warn of a generator that returns a value;
# for a bound method it does so on every response (its cache never hits).
WARN_ON_GENERATOR_RETURN_VALUE = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER = "learngraph.crawler.downloader.PoliteDownloader"
ITEM_PIPELINES = {
    "learngraph.pipelines.normalize.NormalizePipeline": 100,
    "learngraph.pipelines.merge.MergePipeline": 200,
    "learngraph.pipelines.validate.ValidatePipeline": 300,
    "learngraph.pipelines.state.StatePipeline": 800,
    "learngraph.pipelines.store.JsonLinesStorePipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    "learngraph.crawler.middlewares.host_lookup.HostLookupMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "learngraph.crawler.middlewares.robots.SharedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "learngraph.crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "learngraph.crawler.middlewares.github.GitHubApiMiddleware": 560,
    "learngraph.crawler.middlewares.semantic_scholar.SemanticScholarKeyMiddleware": 565,
}
DOWNLOAD_HANDLERS = {
    "ytdlp+https": "learngraph.crawler.ytdlp.YtDlpDownloadHandler",
    "ytdlp+http": "learngraph.crawler.ytdlp.YtDlpDownloadHandler",
}

ENV_PREFIX = "LEARNGRAPH_"


class SettingsError(ValueError):
    """A setting given a value of the wrong type; the message is one line for the user."""


def given_settings(overrides: dict[str, str] | None = None, environ=os.environ) -> dict[str, str]:
    """The settings given as text: ``LEARNGRAPH_*`` environment variables, then ``overrides``
    (``-s``), which win."""
    given = {
        key[len(ENV_PREFIX) :]: value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key != ENV_PREFIX
    }
    given.update(overrides or {})
    return given


def setting(name: str, overrides: dict[str, str] | None = None, environ=os.environ):
    """One of the defaults above as given, typed like its default, without Scrapy: for the
    commands that read a graph or a roadmap and crawl nothing."""
    default = globals()[name]
    value = given_settings(overrides, environ).get(name)
    return default if value is None else _typed(name, value, default)


def load_settings(overrides: dict[str, str] | None = None, environ=os.environ) -> Settings:
    """Scrapy's settings for a crawl: Scrapy's defaults, the defaults above, then the
    given settings (``given_settings``). The GitHub token also comes from GITHUB_TOKEN or
    GH_TOKEN when neither gives it.

    Values given as text are checked against the type of their default here, so a typo
    is one clear error now rather than a crash deep in the crawl.
    """
    from scrapy.settings import Settings  # only crawls pay for Scrapy's import

    settings = Settings()
    settings.setmodule(__name__, priority="project")
    settings.set(
        "EXTENSIONS_BASE",
        {
            path: order
            for path, order in settings.getdict("EXTENSIONS_BASE").items()
            if path.rsplit(".", 1)[1] not in UNUSED_EXTENSIONS
        },
        priority="project",
    )
    # The resolver retries its own temporary failures (DNS_RETRY_TIMES); a DNS error that
    # reaches the retry middleware is final.
    settings.set(
        "RETRY_EXCEPTIONS",
        [
            name
            for name in settings.getlist("RETRY_EXCEPTIONS")
            if name != "scrapy.exceptions.CannotResolveHostError"
        ],
        priority="project",
    )
    for key, value in given_settings(overrides, environ).items():
        _typed(key, value, settings.get(key))
        settings.set(key, value, priority="cmdline")
    if not settings.get("GITHUB_TOKEN"):
        settings.set(
            "GITHUB_TOKEN", environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN") or "", priority="cmdline"
        )
    if not settings.get("USER_AGENT"):
        agent = f"learngraph/{version('learngraph')} (+{settings.get('CONTACT_URL')})"
        settings.set("USER_AGENT", agent, priority="cmdline")
    set_api_slots(settings)
    return settings


def set_api_slots(settings: Settings) -> None:
    """The API download slots, from ARXIV_DELAY and GITHUB_CONCURRENCY. The spider sets them
    too, for `scrapy crawl` and Scrapyd, which do not call ``load_settings``."""
    settings.set(
        "DOWNLOAD_SLOTS",
        {
            # No jitter: arXiv asks for at least ARXIV_DELAY between requests, never less.
            "arxiv-api": {"concurrency": 1, "delay": settings.getfloat("ARXIV_DELAY"), "jitter": 0},
            "github-api": {"concurrency": settings.getint("GITHUB_CONCURRENCY")},
            "semantic-scholar-api": {
                "concurrency": 1,
                "delay": settings.getfloat("SEMANTIC_SCHOLAR_DELAY"),
                "jitter": 0,
            },
            **settings.getdict("DOWNLOAD_SLOTS"),
        },
        priority="cmdline",
    )


def _boolean(text: str) -> bool:
    """What Scrapy's ``getbool`` takes: a whole number, or True/False in either case."""
    try:
        return bool(int(text))
    except ValueError:
        if text in ("True", "true", "False", "false"):
            return text in ("True", "true")
        raise


# The type of a default -> what a value given as text must be, and how to read it as one.
TYPES = {
    bool: ("true/false or 1/0", _boolean),
    int: ("a whole number", int),
    float: ("a number", float),
    list: ("a list", lambda text: text.split(",") if text else []),
}


def _typed(key: str, value, default):
    """``value``, given as text, read as the type of ``default``; a value not given as text,
    or for a setting whose type is not one of ``TYPES``, as it is."""
    if not isinstance(value, str) or type(default) not in TYPES:
        return value
    what, read = TYPES[type(default)]
    try:
        return read(value)
    except ValueError:
        raise SettingsError(f"setting {key} takes {what}, got {value!r}") from None
