"""The normalise pipeline and its conversions."""

import json
import types
from dataclasses import asdict, fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import get_args, get_origin, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learngraph.crawler.records import KEEPS_RAW, ResourceItem
from learngraph.pipelines.normalize import (
    CONVERSIONS,
    NormalizePipeline,
    clean_text,
    to_authors,
    to_int,
    to_iso_date,
    to_language_tag,
    to_seconds,
    trim_text,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Attention Is\n   All You Need ", "Attention Is All You Need"),
        ("Q&amp;A with <b>LoRA</b>", "Q&A with LoRA"),
        ("1&nbsp;000&#160;words", "1 000 words"),
        ("escaped &lt;b&gt; stays text", "escaped <b> stays text"),
        ("自然语言处理\u3000入门", "自然语言处理 入门"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_trim_text_cuts_at_a_word_boundary():
    text = "word " * 300
    trimmed = trim_text(text.strip(), limit=1000)
    assert len(trimmed) <= 1000
    assert trimmed.endswith("word…")
    assert trim_text(trimmed, limit=1000) == trimmed


def test_trim_text_cuts_text_without_spaces_at_the_limit():
    trimmed = trim_text("词" * 1500, limit=1000)
    assert trimmed == "词" * 999 + "…"


def test_trim_text_leaves_short_text_alone():
    assert trim_text("short", limit=1000) == "short"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("20230525", "2023-05-25"),
        ("2023-05-25", "2023-05-25"),
        (" 2017-06-12T17:57:34Z\n", "2017-06-12T17:57:34Z"),
        ("2020-07-05T11:30:00-04:00", "2020-07-05T11:30:00-04:00"),
        ("2023-03-15T00:30:00.123+08:00", "2023-03-15T00:30:00+08:00"),
        ("2023-03-15 08:00:00", "2023-03-15T08:00:00Z"),
        ("Sun, 05 Jul 2020 15:31:02 GMT", "2020-07-05T15:31:02Z"),
        ("Tue, 14 May 2024 10:00:00 +0200", "2024-05-14T10:00:00+02:00"),
        (date(2021, 11, 15), "2021-11-15"),
        (datetime(2021, 11, 15, 7, 0, tzinfo=timezone(timedelta(hours=8))), "2021-11-15T07:00:00+08:00"),
    ],
)
def test_to_iso_date(raw, iso):
    assert to_iso_date(raw) == iso


@pytest.mark.parametrize("raw", ["yesterday", "2023-13-01", "25/05/2023", ""])
def test_to_iso_date_refuses_what_is_not_a_date(raw):
    with pytest.raises(ValueError):
        to_iso_date(raw)


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (6980, 6980),
        (5330.6, 5331),
        ("3723", 3723),
        ("PT1H2M3S", 3723),
        ("PT4M13S", 253),
        ("pt45s", 45),
        ("P1DT2H", 93600),
        ("PT1M30.5S", 90),
        ("1:02:03", 3723),
        ("2:03", 123),
        ("1:56:20", 6980),
    ],
)
def test_to_seconds(raw, seconds):
    assert to_seconds(raw) == seconds


@pytest.mark.parametrize("raw", ["soon", "PT", "P", "1:2:3:4", "-5", -5, True, "1h"])
def test_to_seconds_refuses_what_is_not_a_duration(raw):
    with pytest.raises(ValueError):
        to_seconds(raw)


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Ashish Vaswani, Noam Shazeer and Niki Parmar", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]),
        ("Alexander Rush & Sasha Anderson", ["Alexander Rush", "Sasha Anderson"]),
        ("张三、李四", ["张三", "李四"]),
        (["Vaswani, Ashish", " Shazeer,  Noam "], ["Vaswani, Ashish", "Shazeer, Noam"]),
        ({"@type": "Person", "name": "Jay Alammar"}, ["Jay Alammar"]),
        (
            [
                {"@type": "Person", "givenName": "Ada", "familyName": "Park"},
                {"@type": "Organization", "name": "Hugging Face"},
                "Ada Park",
                {"@id": "#anon"},
            ],
            ["Ada Park", "Hugging Face"],
        ),
    ],
)
def test_to_authors(raw, names):
    assert to_authors(raw) == names


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("zh_cn", "zh-CN"),
        ("EN", "en"),
        ("en-us", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("zh-CN", "zh-CN"),
    ],
)
def test_to_language_tag(raw, tag):
    assert to_language_tag(raw) == tag


@pytest.mark.parametrize("raw", ["English", "en US", "", "zh-CN,zh;q=0.9"])
def test_to_language_tag_refuses_what_is_not_a_tag(raw):
    with pytest.raises(ValueError):
        to_language_tag(raw)


def test_to_int():
    assert to_int("126,412") == 126412
    assert to_int(1893201.0) == 1893201
    with pytest.raises(ValueError):
        to_int("lots")


def item(**values) -> ResourceItem:
    return ResourceItem(
        id="arxiv:1706.03762", url="https://arxiv.org/abs/1706.03762", kind="paper", source="arxiv", **values
    )


def test_pipeline_normalises_every_kind_of_field():
    record = NormalizePipeline().process_item(
        item(
            status="ok",
            title="Attention  Is\nAll You Need",
            abstract="The <i>dominant</i> models",
            published="20170612",
            updated="2023-08-02T02:41:18+02:00",
            fetched_at=datetime(2024, 5, 14, 10, 0, tzinfo=UTC),
            duration="PT1M",
            authors="Ashish Vaswani and Noam Shazeer",
            language="en_us",
            stars="12,000",
            chapters=[{"title": " intro ", "start": 0.0}, {"title": "data", "start": "7:50"}],
            description="x " * 600,
        )
    )
    assert (record.title, record.abstract) == ("Attention Is All You Need", "The dominant models")
    assert (record.published, record.updated) == ("2017-06-12", "2023-08-02T02:41:18+02:00")
    assert record.fetched_at == "2024-05-14T10:00:00Z"
    assert (record.duration, record.stars, record.language) == (60, 12000, "en-US")
    assert record.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert record.chapters == [{"title": "intro", "start": 0}, {"title": "data", "start": 470}]
    assert len(record.description) <= 1000 and record.description.endswith("…")
    assert (record.status, record.error) == ("ok", None)


def test_pipeline_keeps_the_sources_spelling_beside_a_converted_date_or_duration():
    record = NormalizePipeline().process_item(
        item(
            published="20170612",
            updated="2023-08-02",
            duration="PT10M30S",
            title=" LoRA ",
        )
    )
    assert (record.duration, record.duration_raw) == (630, "PT10M30S")
    assert (record.published, record.published_raw) == ("2017-06-12", "20170612")
    assert record.updated_raw is None, "a value already in its record form needs no raw beside it"
    assert not hasattr(record, "title_raw")
    assert NormalizePipeline().process_item({"duration": 5330.1}) == {
        "duration": 5330,
        "duration_raw": "5330.1",
    }


def test_pipeline_keeps_a_value_it_cannot_read_and_says_why():
    record = NormalizePipeline().process_item(
        item(
            status="partial",
            error="duration unknown for 1 of 5 playlist entries",
            title=" LoRA ",
            published="last spring",
            duration="forever",
        )
    )
    assert (record.title, record.status) == ("LoRA", "partial")
    assert (record.published, record.duration) == ("last spring", "forever")
    assert record.error == (
        "duration unknown for 1 of 5 playlist entries; "
        "published: not a date: 'last spring'; duration: not a duration: 'forever'"
    )


def test_pipeline_leaves_a_repository_language_alone():
    repo = ResourceItem(
        id="github:openai/gpt-2",
        url="https://github.com/openai/gpt-2",
        kind="repo",
        source="github",
        language="Jupyter Notebook",
    )
    assert NormalizePipeline().process_item(repo).language == "Jupyter Notebook"


def test_pipeline_works_on_plain_dicts_and_leaves_unknown_fields_out():
    record = NormalizePipeline().process_item({"id": "x", "title": "a&amp;b", "kind_hint": "video"})
    assert record == {"id": "x", "title": "a&b", "kind_hint": "video"}


def test_pipeline_twice_changes_nothing():
    pipeline = NormalizePipeline()
    once = asdict(
        pipeline.process_item(
            item(
                title="A &amp; B",
                description="word " * 400,
                published="Sun, 05 Jul 2020 15:31:02 GMT",
                duration=3723.4,
                authors=[{"name": "Ada Park"}],
                language="zh_cn",
                view_count=7.0,
            )
        )
    )
    assert asdict(pipeline.process_item(ResourceItem(**once))) == once


def test_a_reused_record_collects_no_problem_twice():
    """Scheduled runs put stored records through the pipelines again: their problems stay as
    they were, however many runs there are."""
    from learngraph.pipelines.validate import ValidatePipeline

    record = item(status="ok", error="robots.txt slow", published="last spring", title=None)
    for _ in range(3):
        record = ValidatePipeline().process_item(NormalizePipeline().process_item(record))
    assert record.status == "partial"
    assert record.error == "robots.txt slow; published: not a date: 'last spring'; no title"


REMOVED = "control characters or noncharacters removed"


def test_pipeline_takes_control_characters_out_of_every_string_and_says_where():
    record = NormalizePipeline().process_item(
        item(
            status="ok",
            title="Intro\x1b[31m to NLP",
            link_texts=["NUL\x00 here"],
            tags=["half \ud83d pair"],
            chapters=[{"title": "One\ufdd0", "start": 0}],
            license="MIT\x9b",
            description="plain",
        )
    )
    assert record.title == "Intro[31m to NLP"
    assert (record.link_texts, record.tags, record.license) == (["NUL here"], ["half  pair"], "MIT")
    assert record.chapters == [{"title": "One", "start": 0}]
    assert record.error == "; ".join(
        f"{field}: {REMOVED}" for field in ("link_texts", "title", "chapters", "license", "tags")
    )


def test_tabs_and_line_breaks_become_spaces_without_a_problem():
    record = NormalizePipeline().process_item(item(tags=["deep\tlearning"], license="MIT\r\nLicense"))
    assert (record.tags, record.license, record.error) == (["deep learning"], "MIT  License", None)


def _text_values():
    """Text with anything in it: controls, lone surrogates, noncharacters, markup."""
    anything = st.characters(exclude_categories=())
    return st.text(anything | st.sampled_from("\x00\x1b\x9b\ud800\ufffe\t\n<&;[]"), max_size=20)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text_values(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text_values(), inner, max_size=3),
    max_leaves=8,
)
FIELDS = [f.name for f in fields(ResourceItem)]
RECORD_FORMS = get_type_hints(ResourceItem)
UNWANTED = (
    set("\t\n\r")
    | {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000), *range(0xFDD0, 0xFDF0)]}
    | {chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)}
)


def test_unwanted_are_the_controls_surrogates_and_noncharacters_and_nothing_else():
    from learngraph.crawler.text import UNWANTED as PATTERN

    found = {chr(c) for c in range(0x110000) if PATTERN.match(chr(c))}
    assert found == UNWANTED - set("\t\n\r")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for element in value:
            yield from strings(element)
    elif isinstance(value, dict):
        for key, element in value.items():
            yield key
            yield from strings(element)


def conforms(value, form) -> bool:
    """Whether ``value`` has the record's type ``form`` (``int | None``, ``list[str]``...)."""
    if isinstance(form, types.UnionType):
        return any(conforms(value, option) for option in get_args(form))
    if get_origin(form) is list:
        (element,) = get_args(form)
        return isinstance(value, list) and all(conforms(v, element) for v in value)
    return isinstance(value, form)


@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES))
def test_any_json_value_in_any_field_gives_a_record_with_its_problems_noted(values):
    given_values = json.loads(json.dumps(values))  # a copy: the pipeline changes the record
    record = NormalizePipeline().process_item(values)

    kept_raw = {f"{name}_raw" for name in given_values if name in KEEPS_RAW} - set(given_values)
    kept_raw &= set(record)
    noted = {"error"} if record.get("error") else set()
    assert set(record) == set(given_values) | kept_raw | noted
    assert all(isinstance(record[name], str) for name in kept_raw), "the source's spelling, as text"
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # storable: no lone surrogate left
    for name, value in record.items():
        assert not any(set(text) & UNWANTED for text in strings(value)), name
    error = record.get("error") or ""
    for name, value in given_values.items():
        if any(set(text) & (UNWANTED - set("\t\n\r")) for text in strings(value)):
            assert f"{name}: {REMOVED}" in error
        converted = name in CONVERSIONS and not (name == "language" and record.get("kind") == "repo")
        if converted and value is not None:
            assert conforms(record[name], RECORD_FORMS[name]) or f"{name}: " in error, name
