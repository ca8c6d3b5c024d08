"""yt-dlp info dicts, parsed into video and playlist records."""

import pytest
from fixture_cases import as_record, cases, check_case, read_json

from learngraph.crawler.sources import video_info


@pytest.mark.parametrize("case", cases("video"))
def test_parse_info(case):
    check_case(
        case,
        lambda: video_info.parse_info(read_json(case / "info.json")),
        lambda fields: as_record(fields, "video"),
    )


def test_a_playlist_without_any_known_duration_has_no_duration():
    info = {"_type": "playlist", "title": "Talks", "entries": [{"id": "a"}, None]}
    assert video_info.parse_info(info) == {
        "title": "Talks",
        "playlist_count": 2,
        "status": "partial",
        "error": "duration unknown for 2 of 2 playlist entries",
        "provenance": {"title": "yt-dlp", "playlist_count": "yt-dlp"},
    }


def test_channel_falls_back_to_uploader():
    assert video_info.parse_info({"uploader": "Someone", "duration": 3})["channel"] == "Someone"
