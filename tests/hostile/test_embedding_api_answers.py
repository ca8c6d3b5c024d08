"""Hostile answers from embedding APIs (X's and YouTube's oEmbed, a Mastodon instance's
status API): whatever comes back, the parser returns fields or refuses with ValueError,
which the crawl records as a status; it never raises anything else."""

from __future__ import annotations

import json

import pytest

from learngraph.crawler.sources import oembed, post

ANSWERS = [
    b"",
    b"null",
    b"42",
    b'"Forbidden"',
    b"[]",
    b"{",
    b"\xff\xfe\x00garbage",
    b"<html>Rate limit</html>",
    b'{"title": ["a", "list"], "author_name": {"a": 1}, "thumbnail_url": 7}',
    b'{"title": NaN, "author_name": Infinity}',
    b'{"html": 12, "author_name": null}',
    b'{"html": "<blockquote><p></p></blockquote>", "author_name": "   "}',
    b'{"html": "<p>' + b"<b>" * 2000 + b'deep</p>", "author_name": "A"}',
    b'{"content": ["not", "html"], "account": "nobody", "created_at": 5}',
    b'{"content": "<p>hi</p>", "account": {"display_name": 3, "username": ["x"]}, "created_at": {"no": 1}}',
    json.dumps({"title": "x" * 100_000, "author_name": "y"}).encode(),
]


@pytest.mark.parametrize("body", ANSWERS)
@pytest.mark.parametrize(
    "parse",
    [
        oembed.parse_video,
        lambda body: post.parse_post("twitter:1617979122625712128", body),
        lambda body: post.parse_post("mastodon:example.social/109377213917390281", body),
    ],
    ids=["youtube-oembed", "twitter-oembed", "mastodon-api"],
)
def test_a_hostile_answer_gives_fields_or_a_value_error(parse, body):
    try:
        fields = parse(body)
    except ValueError:
        return
    assert fields["provenance"], "every value it gives is traced"
    assert all(isinstance(value, str | list | int) for key, value in fields.items() if key != "provenance")


@pytest.mark.parametrize(
    "resource_id",
    [
        "twitter:99999999999999999999",
        "mastodon:example.social/99999999999999999999",
        "twitter:0",
        "mastodon:example.social/0",
    ],
)
def test_an_id_from_no_calendar_gives_no_date(resource_id):
    assert post.date_from_id(resource_id) is None
