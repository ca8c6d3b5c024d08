"""MergePipeline as a component: two records that turn out to be one resource become one."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler

from learngraph.pipelines.merge import MergePipeline
from project_crawler import project_crawler

VIDEO = "youtube:aaaaaaaaaaa"


def test_the_first_record_of_a_resource_passes_and_a_later_one_is_merged_into_it():
    merge = build_from_crawler(MergePipeline, project_crawler())
    first = {
        "id": VIDEO,
        "url": "https://youtu.be/aaaaaaaaaaa",
        "topics": ["roadmap/basics"],
        "link_texts": ["Intro"],
        "title": "Intro",
        "duration": None,
        "description": "",
        "provenance": {"title": "yt-dlp"},
    }
    later = {
        "id": VIDEO,
        "url": "https://b23.tv/short",
        "topics": ["roadmap/basics", "roadmap/models"],
        "link_texts": ["Short link"],
        "title": "Another title",
        "duration": 630,
        "description": "What the video is about",
        "provenance": {"title": "oembed", "duration": "yt-dlp"},
    }
    assert merge.process_item(first) is first
    with pytest.raises(DropItem, match=f"merged into the earlier record of {VIDEO}"):
        merge.process_item(later)
    assert first == {
        "id": VIDEO,
        "url": "https://youtu.be/aaaaaaaaaaa",
        "topics": ["roadmap/basics", "roadmap/models"],
        "link_texts": ["Intro", "Short link"],
        "title": "Intro",
        "duration": 630,
        "description": "What the video is about",
        "provenance": {"title": "yt-dlp", "duration": "yt-dlp"},
    }


def test_records_of_different_resources_all_pass():
    merge = build_from_crawler(MergePipeline, project_crawler())
    records = [{"id": f"arxiv:2302.1397{n}", "title": f"Paper {n}"} for n in range(3)]
    assert [merge.process_item(record) for record in records] == records


def test_each_crawl_merges_only_its_own_records():
    crawler = project_crawler()
    build_from_crawler(MergePipeline, crawler).process_item({"id": VIDEO})
    again = {"id": VIDEO, "title": "Intro"}
    assert build_from_crawler(MergePipeline, crawler).process_item(again) is again
