"""Every learngraph and Scrapy default in one place.

Each name here can be overridden with ``-s KEY=VALUE`` on the command line or with an
environment variable ``LEARNGRAPH_<KEY>``; ``load_settings`` applies both, in that order
of precedence.
"""

import os

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

# Sources.
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIV_BATCH_SIZE = 100
GITHUB_API_URL = "https://api.github.com"
GITHUB_TOKEN = ""
CONTACT_URL = "https://github.com/learngraph/learngraph"
USER_AGENT = f"learngraph/0.1 (+{CONTACT_URL})"

# A roadmap is untrusted input: links to private, loopback and link-local addresses
# are refused unless this is set (tests and intranets need it).
ALLOW_PRIVATE_HOSTS = False

# Politeness: metadata work needs small pages quickly, from many hosts, gently.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

ENV_PREFIX = "LEARNGRAPH_"


def load_settings(overrides: dict[str, str] | None = None, environ=os.environ) -> Settings:
    """Defaults, then ``LEARNGRAPH_*`` environment variables, then explicit overrides."""
    settings = Settings()
    settings.setmodule(__name__, priority="project")
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX) and key != ENV_PREFIX:
            settings.set(key[len(ENV_PREFIX):], value, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings
