"""A source added in this file, through the registry's public API, and crawled against the
local site by the spider as it is: the source recognises its URLs, asks one batch request
for all its resources and reads the answer into their records.

The crawl runs this file as a script in a process of its own (Twisted's reactor starts
once per process), so the source is defined here and nowhere else.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import SplitResult

from learngraph.crawler.sources import SOURCES, Registry
from learngraph.crawler.sources.base import Fetch, Identity, Source

LESSON = re.compile(r"^/lessons/(\d+)$")
# What the course site's API says of its lessons.
LESSONS = {"1": {"title": "Tokenizers", "minutes": 12}, "2": {"title": "Attention", "minutes": 30}}


class Lessons(Source):
    """Lessons of a course site, read from its API, all of them in one request."""

    name = "lessons"
    kind = "video"
    hosts = frozenset({"127.0.0.1"})
    examples = (("http://127.0.0.1:8080/lessons/1", "lesson:1"),)
    counter_examples = ("http://127.0.0.1:8080/lessons/", "http://127.0.0.1:8080/posts/attention")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        match = LESSON.match(url.path)
        if url.hostname not in cls.hosts or not match:
            return None
        return Identity(f"lesson:{match[1]}", cls.kind, cls.name, f"{url.scheme}://{url.netloc}{url.path}")

    @classmethod
    def fetches(cls, seeds, settings) -> list[Fetch]:
        sites: dict[str, list] = {}
        for seed in seeds:
            sites.setdefault(seed.url.rpartition("/lessons/")[0], []).append(seed)
        return [
            Fetch(
                [seed.id for seed in group],
                f"{site}/files/lessons.json?ids="
                + ",".join(seed.id.removeprefix("lesson:") for seed in group),
                cls.read,
                api=True,
            )
            for site, group in sites.items()
        ]

    @classmethod
    def read(cls, response, fetch: Fetch):
        lessons = json.loads(response.body)
        for resource_id in fetch.ids:
            lesson = lessons.get(resource_id.removeprefix("lesson:"))
            if lesson is None:
                yield resource_id, {"status": "not_found", "error": "the course has no such lesson"}
            else:
                fields = {"title": lesson["title"], "duration": lesson["minutes"] * 60}
                yield resource_id, {**fields, "provenance": dict.fromkeys(fields, "lessons-api")}


def registry() -> Registry:
    return Registry(sources=(*SOURCES, Lessons))


def crawl(roadmap: str, out: str, *settings: str) -> None:
    """Crawl ``roadmap`` with the registry that knows the lessons, as `learngraph crawl` would."""
    from scrapy.crawler import CrawlerProcess

    from learngraph.crawler.roadmap import read_roadmap
    from learngraph.crawler.settings import load_settings
    from learngraph.crawler.spiders.resources import ResourceSpider

    known = registry()
    Path(out).mkdir(parents=True, exist_ok=True)
    given = dict(setting.split("=", 1) for setting in settings)
    process = CrawlerProcess(load_settings({**given, "OUTPUT_DIR": out, "LOG_FILE": f"{out}/crawl.log"}))
    process.crawl(ResourceSpider, roadmaps=[read_roadmap(roadmap, registry=known)], registry=known)
    process.start()


def test_the_added_source_takes_its_urls_and_leaves_the_others():
    known = registry()
    for url, expected in Lessons.examples:
        assert (known.identify(url).source, known.identify(url).id) == ("lessons", expected)
    for url in Lessons.counter_examples:
        assert known.identify(url).source == "web"
    assert Registry().identify(Lessons.examples[0][0]).source == "web", "only a registry given it knows it"


def test_a_source_added_in_a_test_is_crawled_by_the_unchanged_spider(site, tmp_path):
    site.files["lessons.json"] = (json.dumps(LESSONS).encode(), "application/json")
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        f"""# Course
- [First]({site.base}/lessons/1)
- [Article]({site.base}/posts/attention)
- [Second]({site.base}/lessons/2)
- [Missing]({site.base}/lessons/99)
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            str(roadmap),
            str(out),
            "ALLOW_PRIVATE_HOSTS=1",
            "DOWNLOAD_TIMEOUT=10",
            "AUTOTHROTTLE_ENABLED=0",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = (out / "resources.jsonl").read_text(encoding="utf-8").splitlines()
    records = {record["link_texts"][0]: record for record in map(json.loads, lines)}

    first = records["First"]
    assert (first["id"], first["source"], first["status"]) == ("lesson:1", "lessons", "ok")
    assert (first["title"], first["duration"]) == ("Tokenizers", 720)
    assert first["provenance"] == {"title": "lessons-api", "duration": "lessons-api"}
    assert "final_url" not in first, "an API's address is no address of the lesson"
    assert (records["Second"]["title"], records["Second"]["duration"]) == ("Attention", 1800)
    assert records["Missing"]["status"] == "not_found"
    assert records["Article"]["title"] == "Attention, explained", "other links go to their own sources"
    assert site.requests["/files/lessons.json"] == 1, "one request for every lesson"
    assert not [path for path in site.requests if path.startswith("/lessons/")], "no lesson fetched as a page"


if __name__ == "__main__":
    crawl(*sys.argv[1:])
