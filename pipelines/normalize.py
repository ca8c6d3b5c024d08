"""Normalise record values to the forms the README promises.

The rule: parsers pick, this pipeline converts. A source parser decides which value of a
response becomes which record field and returns it as the source spells it (yt-dlp's
``20230525``, JSON-LD's ``PT4M13S`` and author dicts, arXiv's wrapped abstract lines);
only values a parser derives itself (a playlist's total, a reading time) are computed
there. Every change of a value's form happens here, once, for every source: control
characters, lone surrogates and noncharacters out of every string (``learngraph.crawler.text``;
each field that held one is noted), text cleaned, descriptions trimmed, dates to ISO
8601, durations to seconds, authors to a list of names, language tags to BCP 47 case,
counts to int.

A value that cannot be converted is kept as it was and the problem is appended to
``error``; the item is never dropped and its status never changes. A converted date or
duration keeps the source's spelling beside it (``published_raw``) where it differs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from itemadapter import ItemAdapter
from w3lib.html import remove_tags, replace_entities

from learngraph.crawler.records import KEEPS_RAW, with_problems
from learngraph.crawler.text import one_line

DESCRIPTION_LIMIT = 1000
# A title is one line a reader scans; a page can put megabytes in one, which would swell
# the state, the graph and the report and exceed a Neo4j import's field buffer.
TITLE_LIMIT = 500
AMOUNT = r"\d+(?:\.\d+)?"
NUMBER = re.compile(AMOUNT)
ISO_DURATION = re.compile(  # days, hours, minutes, seconds
    rf"P(?:({AMOUNT})D)?(?:T(?:({AMOUNT})H)?(?:({AMOUNT})M)?(?:({AMOUNT})S)?)?", re.IGNORECASE
)
CLOCK = re.compile(r"(?:\d+:)?\d{1,2}:\d{1,2}(?:\.\d+)?")
AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;&、]|\band\b)\s*")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def plain(value):
    """``value`` with every string in it (list items, dict keys and values too) made one
    printable line; and whether an unwanted character was taken out of any of them.

    >>> plain({"title": "Intro\\x1b[31m to\\nNLP"})
    ({'title': 'Intro[31m to NLP'}, True)
    """
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, list):
        cleaned = [plain(element) for element in value]
        return [element for element, _ in cleaned], any(removed for _, removed in cleaned)
    if isinstance(value, dict):
        cleaned = [(plain(key), plain(element)) for key, element in value.items()]
        return (
            {key: element for (key, _), (element, _) in cleaned},
            any(in_key or in_element for (_, in_key), (_, in_element) in cleaned),
        )
    return value, False


def clean_text(value: str) -> str:
    """Text as a reader sees it: tags stripped, entities unescaped, whitespace collapsed.

    Tags go first, so an escaped ``&lt;b&gt;`` in the text survives as ``<b>``.

    >>> clean_text("Attention&nbsp;Is <i>All</i>\\n  You Need")
    'Attention Is All You Need'
    """
    return " ".join(replace_entities(remove_tags(value)).split())


def trim_text(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when there is one
    in the second half (CJK text has none), marked with an ellipsis.

    >>> trim_text("one two three", limit=10)
    'one two…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def to_iso_date(value: str | date) -> str:
    """A date as ``YYYY-MM-DD``, a moment as ``YYYY-MM-DDTHH:MM:SS`` with the offset it
    was stated in (``Z`` for UTC): converting to UTC could move it to another day.

    Accepts ISO 8601 (with an offset, ``Z`` or none, meaning UTC), ``20230525`` and
    RFC 2822 (``Thu, 25 May 2023 10:00:00 GMT``).

    >>> to_iso_date("2017-06-12T19:57:34+02:00")
    '2017-06-12T19:57:34+02:00'
    >>> to_iso_date("20230525")
    '2023-05-25'
    """
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return _timestamp(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _timestamp(parsedate_to_datetime(text))
    except (TypeError, ValueError):
        raise ValueError(f"not a date: {text!r}") from None


def _timestamp(moment: datetime) -> str:
    offset = moment.utcoffset()
    if not offset:  # none stated, or UTC
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.replace(microsecond=0).isoformat()


def to_seconds(value: int | float | str) -> int:
    """A duration in whole seconds, from a number, ISO 8601 ``PT1H2M3S`` or ``1:02:03``.

    >>> to_seconds("PT1H2M3S"), to_seconds("1:02:03"), to_seconds(3723.4)
    (3723, 3723, 3723)
    """
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        seconds = _duration_text_seconds(value.strip())
    if seconds < 0:
        raise ValueError(f"negative duration: {value!r}")
    return round(seconds)


def _duration_text_seconds(text: str) -> float:
    if NUMBER.fullmatch(text):
        return float(text)
    if CLOCK.fullmatch(text):
        seconds = 0.0
        for part in text.split(":"):
            seconds = seconds * 60 + float(part)
        return seconds
    match = ISO_DURATION.fullmatch(text)
    if match and any(match.groups()):
        days, hours, minutes, seconds = (float(group or 0) for group in match.groups())
        return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    raise ValueError(f"not a duration: {text!r}")


def to_authors(value: str | dict | list) -> list[str]:
    """Author names, in order and without repeats.

    A string is a list of names (``"A, B and C"``); a list holds names or JSON-LD
    ``Person`` / ``Organization`` dicts, whose ``name`` (else given and family name) counts.

    >>> to_authors("Ashish Vaswani, Noam Shazeer and Niki Parmar")
    ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar']
    >>> to_authors([{"@type": "Person", "name": "Jay Alammar"}])
    ['Jay Alammar']
    """
    if isinstance(value, str):
        names = AUTHOR_SEPARATORS.split(value)
    elif isinstance(value, dict):
        names = [_person_name(value)]
    elif isinstance(value, list):
        names = [name if isinstance(name, str) else _person_name(name) for name in value]
    else:
        raise ValueError(f"not an author list: {value!r}")
    return list(dict.fromkeys(filter(None, map(clean_text, names))))


def _person_name(person: dict) -> str:
    name = person.get("name") or " ".join(filter(None, (person.get("givenName"), person.get("familyName"))))
    return name if isinstance(name, str) else ""


def to_language_tag(value: str) -> str:
    """A language tag in BCP 47 case: language lower, Script title, REGION upper.

    >>> to_language_tag("zh_cn"), to_language_tag("zh-hant-tw")
    ('zh-CN', 'zh-Hant-TW')
    """
    text = value.strip()
    if not LANGUAGE_TAG.fullmatch(text):
        raise ValueError(f"not a language tag: {text!r}")
    language, *subtags = re.split(r"[-_]", text)
    return "-".join([language.lower(), *map(_subtag_case, subtags)])


def _subtag_case(subtag: str) -> str:
    if len(subtag) == 4 and subtag.isalpha():
        return subtag.title()
    if len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()
    return subtag.lower()


def to_int(value: int | float | str) -> int:
    """A count as int, from a number or a string such as ``"1,234"``."""
    if isinstance(value, bool):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, int | float):
        return round(value)
    return int(value.replace(",", "").strip())


def to_text(value) -> str:
    """Text as it is; any other value as its JSON spelling, so that it can be read."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def to_description(value: str) -> str:
    return trim_text(clean_text(value))


def to_title(value: str) -> str:
    return trim_text(clean_text(value), TITLE_LIMIT)


def to_chapters(value: list[dict]) -> list[dict]:
    return [
        {"title": clean_text(chapter["title"]), "start": to_seconds(chapter["start"])} for chapter in value
    ]


CONVERSIONS: dict[str, Callable] = {
    **dict.fromkeys(("abstract", "comment", "journal_ref", "channel", "site_name"), clean_text),
    "title": to_title,
    "description": to_description,
    "error": to_text,  # problems are appended to it as text
    **dict.fromkeys(("published", "updated", "created", "pushed_at", "fetched_at"), to_iso_date),
    "duration": to_seconds,
    "chapters": to_chapters,
    "authors": to_authors,
    "language": to_language_tag,
    **dict.fromkeys(
        (
            "stars",
            "forks",
            "open_issues",
            "view_count",
            "playlist_count",
            "word_count",
            "reading_time",
            "http_status",
        ),
        to_int,
    ),
}


class NormalizePipeline:
    """Converts every known value of an item to its record form; never drops an item."""

    def process_item(self, item):
        adapter = ItemAdapter(item)
        problems = []
        for name, value in list(adapter.items()):
            cleaned, removed = plain(value)
            if cleaned != value:
                adapter[name] = cleaned
            if removed:
                problems.append(f"{name}: control characters or noncharacters removed")
        for name, convert in CONVERSIONS.items():
            value = adapter.get(name)
            if value is None or (name == "language" and adapter.get("kind") == "repo"):
                continue  # a repository's language is a programming language, not a tag
            try:
                converted = convert(value)
            except Exception as exc:  # whatever a bad value raises, the record survives
                problems.append(f"{name}: {exc}")
                continue
            if name in KEEPS_RAW and converted != value:
                adapter[f"{name}_raw"] = to_text(value)
            adapter[name] = converted
        if problems:
            adapter["error"] = with_problems(adapter.get("error"), problems)
        return item
