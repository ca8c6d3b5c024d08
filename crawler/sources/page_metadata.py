"""A page's title, description, authors, dates and language, and where each came from.

Each field is a list of candidates, tried in order: the page's structured data first
(JSON-LD, microdata), then its meta tags (OpenGraph, named tags, Dublin Core), then its
visible text. The first usable candidate wins and names its source in ``provenance``;
titles and publication dates also weigh the candidates against the page (its heading,
the date written beside it, htmldate's reading of it). The order is the one that scored
best on real pages (benchmarks/metadata.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from functools import partial
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.etree import Element, XPath
from lxml.html import HtmlElement

from .authors import apart, authors, byline_authors, bylines, is_byline, key, written_bylines
from .structured_data import VIDEO_TYPES, main_entity, publisher_name, text, types

# Separators between a headline and the site name a ``<title>`` appends or prefixes.
TITLE_SEPARATORS = r"\s+[|\-–—·•:»/]+\s+"
# Meta tag names, by field, in the order they are trusted.
META_TITLE = (
    ("opengraph", "og:title"),
    ("meta", "twitter:title"),
    ("meta", "dc.title"),
    ("meta", "citation_title"),
)
META_DESCRIPTION = (
    ("meta", "description"),
    ("opengraph", "og:description"),
    ("meta", "twitter:description"),
    ("meta", "dc.description"),
)
META_AUTHOR = (
    ("meta", "author"),
    ("opengraph", "article:author"),
    ("meta", "citation_author"),
    ("meta", "dc.creator"),
    ("meta", "parsely-author"),
    ("meta", "sailthru.author"),
    ("meta", "byl"),
    ("opengraph", "article:author_name"),
    ("meta", "articleauthor"),
)
META_PUBLISHED = (
    ("opengraph", "article:published_time"),
    ("meta", "citation_publication_date"),
    ("meta", "dc.date.issued"),
    ("meta", "dc.date"),
    ("meta", "date"),
    ("meta", "pubdate"),
    ("meta", "publishdate"),
    ("meta", "parsely-pub-date"),
    ("meta", "sailthru.date"),
)
META_UPDATED = (
    ("opengraph", "article:modified_time"),
    ("opengraph", "og:updated_time"),
    ("meta", "dc.date.modified"),
    ("meta", "last-modified"),
)
# A year and a month in any order a date is written in: "2024-05-03", "03.05.2024",
# "May 3, 2024", "Fri, 03 May 2024".
YEAR = r"(?:1[89]|2\d)\d\d"
FULL_DATE = re.compile(
    rf"{YEAR}[-/.]\d{{1,2}}"  # 2024-05-03, 2024/5
    rf"|\d{{1,2}}[-/. ]+(?:\d{{1,2}}|[A-Za-z]{{3,}})[-/., ]+{YEAR}"  # 03.05.2024, 03 May 2024
    rf"|[A-Za-z]{{3,}}\.? \d{{1,2}},? {YEAR}"  # May 3, 2024
    rf"|^{YEAR}\d{{4}}$"  # 20240503
)
# A date written with dots: "4. 2. 2022", "19.10.2019".
DOTTED_DATE = re.compile(rf"\b(\d{{1,2}})\.\s?(\d{{1,2}})\.\s?({YEAR})\b")
# A time stamp in ISO 8601 with a UTC offset other than zero: "2019-03-01T01:00:00+05:00".
LOCAL_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ][\d:.]+(?!Z|[+-]00:?00$)[+-]\d{2}:?\d{2}$")
# How far past the headline, in characters of text, its dateline can be, and how long
# it is at most: a line of a paragraph that cites a date is no dateline.
DATELINE_REACH = 300
DATELINE_LENGTH = 80
# A line that says when a page was updated, in the languages of the pages read most.
UPDATE_LINE = re.compile(
    r"updated|modified|aktualisiert|geändert|mis à jour|modifié|actualizado|atualizado", re.I
)
ENTRY_TITLE = XPath(
    "//h1[@itemprop='headline' or contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' post-title ')]"
)
# A description cut off where an excerpt ends: "…", "...", "&#8230;".
TRUNCATED = re.compile(r"(?:…|\.\.\.|&#8230;)\s*$")
# Shorter text found on the page is more likely a piece of a sentence than a summary.
SHOWN_DESCRIPTION = 40
# A paragraph long enough to say what a page is about.
SUBSTANTIAL = 80


def page_metadata(tree: HtmlElement, url: str, headers: dict[str, str]) -> tuple[dict, dict]:
    """Fields of the page at ``url`` and, per field, the source of its value."""
    meta = meta_tags(tree)
    entity = main_entity(tree, url)
    source = "json-ld" if entity.pop("@source", "json-ld") == "json-ld" else "microdata"
    site_name = first(
        (
            ("opengraph", meta.get("og:site_name")),
            ("meta", meta.get("application-name")),
            (source, text(publisher_name(entity))),
        )
    )
    canonical = tree.find(".//link[@rel='canonical'][@href]")
    canonical_url = absolute(url, canonical.get("href")) if canonical is not None else None
    # the address the page states, for a page saved elsewhere: the site's name is in its host
    stated_url = absolute(url, meta.get("og:url") or "") or canonical_url or url
    publishers = publisher_keys(stated_url, meta, entity)
    candidates = {
        "title": [
            (source, text(entity.get("headline"))),
            (source, text(entity.get("name"))),
            *meta_values(meta, META_TITLE),
            ("title-tag", tag_text(tree, "title")),
            ("heading", tag_text(tree, "h1")),
        ],
        "description": [
            *meta_values(meta, META_DESCRIPTION),
            (source, text(entity.get("description"))),
            ("first-paragraph", lambda: first_paragraph(tree)),
        ],
        "authors": [
            (source, partial(authors, entity.get("author"), publishers)),
            *((name, partial(authors, value, publishers)) for name, value in meta_values(meta, META_AUTHOR)),
            ("byline", lambda: byline_authors(bylines(tree), publishers)),
            ("byline-text", lambda: byline_authors(written_bylines(tree), publishers)),
        ],
        "published": [
            (source, dated(entity.get("datePublished"))),
            (source, dated(entity.get("uploadDate"))),
            *dates(meta, META_PUBLISHED),
        ],
        "updated": [(source, dated(entity.get("dateModified"))), *dates(meta, META_UPDATED)],
        "language": [
            ("html-lang", tree.get("lang") or tree.get("xml:lang")),
            ("opengraph", meta.get("og:locale")),
            ("meta", meta.get("content-language")),
            ("http-header", header(headers, "content-language")),
            ("detected", lambda: detect_language(tree)),
        ],
    }
    fields, provenance = {}, {}
    if canonical_url:
        fields["canonical_url"] = canonical_url
    for field, options in candidates.items():
        if field == "title":
            found = entry_title(options[:-1], tree) or seen_headline(options[:-1], tree) or first(options)
        elif field == "description":
            found = page_description(options, tree)
        elif field == "authors":
            found = named_authors(options)
        elif field == "published":
            found = publication_date(first(options), fields.get("title"), tree, stated_url)
        else:
            found = first(options)
        if found:
            provenance[field], fields[field] = found
    if site_name:
        provenance["site_name"], fields["site_name"] = site_name
        if "title" in fields:
            fields["title"] = without_site_name(fields["title"], site_name[1])
    if any(kind in VIDEO_TYPES for kind in types(entity)):
        fields["kind_hint"] = "video"
        if duration := text(entity.get("duration")):
            provenance["duration"], fields["duration"] = source, duration
    return fields, provenance


def first(options):
    """The first ``(source, value)`` whose value is present; a callable value is
    computed only when every option before it came up empty."""
    for source, value in options:
        if callable(value):
            value = value()
        if isinstance(value, str):
            value = " ".join(value.split())
        if value:
            return source, value
    return None


def page_description(options, tree: HtmlElement):
    """The page's description. When its stated descriptions differ, the one the page also
    shows its reader (a standfirst under the headline): the others are rewrites for
    search engines and social sites, and a shown excerpt cut off ("…") only repeats the
    page's first words. Otherwise the first stated one, then the first substantial
    paragraph; a stated excerpt that the first paragraph goes on from gives way to the
    whole paragraph. A byline ("Written by HLNF Staff") is no description."""
    stated = [
        (source, " ".join(value.split()))
        for source, value in options[:-1]
        if isinstance(value, str) and value.strip() and not is_byline(value)
    ]
    if len({value for _, value in stated}) > 1:
        body = tree.find("body")
        shown = folded((body if body is not None else tree).text_content())
        for source, value in stated:
            if not TRUNCATED.search(value) and len(value) >= SHOWN_DESCRIPTION and folded(value) in shown:
                return source, value
    found = first([*stated, options[-1]])
    if found and (cut := TRUNCATED.search(found[1])):
        paragraph = first_paragraph(tree)
        if paragraph and key(paragraph).startswith(key(found[1][: cut.start()])):
            return "first-paragraph", paragraph  # the excerpt uncut
    return found


def named_authors(options):
    """The people of the first source that names people; failing that, the organisations
    of the first source that names one: a page whose only stated author is a newswire or
    its own newsroom is credited to it."""
    organisations = None
    for source, value in options:
        persons, named = value()
        if persons:
            return source, persons
        organisations = organisations or (named and (source, named))
    return organisations


def entry_title(options, tree: HtmlElement):
    """The ``<h1>`` that the page marks as its entry's title (WordPress's ``entry-title``,
    ``itemprop="headline"``): what the reader sees, where the meta tags often carry an
    older or search-tuned title. Not when it holds one of those titles with more around
    it (a kicker, a byline): then that title is the headline."""
    heading = next(iter(ENTRY_TITLE(tree)), None)
    seen = " ".join(heading.text_content().split()) if heading is not None else ""
    titles = [value for _, value in options if isinstance(value, str) and value.strip()]
    if not seen or any(folded(title) in folded(seen) for title in titles):
        return None
    return "heading", seen


def seen_headline(options, tree: HtmlElement):
    """The title candidate (or the part of one between separators such as " | ") that a
    reader sees as the page's heading, when the candidates differ: a social title
    (``og:title``) and a ``headline`` are often rewordings of it. Without such a heading,
    the candidate the page's ``<title>`` repeats."""
    titles = [
        (source, " ".join(value.split()))
        for source, value in options
        if isinstance(value, str) and value.strip()
    ]
    differ = len({value for _, value in titles}) > 1
    if not differ and not any(re.search(TITLE_SEPARATORS, value) for _, value in titles):
        return None
    headings = {folded(heading.text_content()) for heading in tree.iter("h1", "h2")}
    parts = [
        (source, part) for source, value in titles for part in [value, *re.split(TITLE_SEPARATORS, value)]
    ]
    seen = [(source, part) for source, part in parts if folded(part) in headings]
    if not seen and differ and (title_tag := tag_text(tree, "title")):
        seen = [
            (source, value)
            for source, value in titles
            if source != "title-tag" and folded(value) in folded(title_tag)
        ]
    return max(seen, key=lambda found: len(found[1]), default=None)  # a site's name is the shorter


def folded(value: str) -> str:
    return " ".join(value.replace("\xad", "").split()).casefold()


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lowercased name, property or http-equiv; the first of a name wins."""
    tags = {}
    for tag in tree.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content)
    return tags


def dates(meta: dict[str, str], names) -> list[tuple[str, str | None]]:
    return [(source, dated(value)) for source, value in meta_values(meta, names)]


def dated(value) -> str | None:
    """``value`` if it names a day (a year, month and day), not only a time of day."""
    value = text(value)
    return value if value and FULL_DATE.search(value) else None


def meta_values(meta: dict[str, str], names) -> list[tuple[str, str | None]]:
    return [(source, meta.get(name)) for source, name in names]


def tag_text(tree: HtmlElement, name: str) -> str | None:
    tag = tree.find(f".//{name}")
    return tag.text_content() if tag is not None else None


def header(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def without_site_name(title: str, site_name: str) -> str:
    """``title`` without a leading or trailing site name it repeats:
    "Why it matters | Planet Money" -> "Why it matters"."""
    site = re.escape(" ".join(site_name.split()))
    for pattern in (rf"{TITLE_SEPARATORS}{site}$", rf"^{site}{TITLE_SEPARATORS}"):
        stripped = re.sub(pattern, "", title, flags=re.I)
        if stripped != title and stripped.strip():
            return stripped.strip()
    return title


def publisher_keys(url: str, meta: dict[str, str], entity: dict) -> set[str]:
    """The site and its publisher, as ``key`` spells names: an author named so is no person."""
    names = [meta.get("og:site_name"), meta.get("application-name"), text(publisher_name(entity))]
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "m")][:-1]
    return {key(name) for name in [*names, *labels, ".".join(labels)] if name} - {""}


def absolute(base: str, link: str) -> str | None:
    """``link`` resolved against ``base``, or None for a malformed one (``http://[oops``)."""
    try:
        address = urljoin(base, link.strip())
        urlsplit(address).hostname  # noqa: B018 - raises for a malformed host
    except ValueError:
        return None
    return address


def publication_date(stated: tuple[str, str] | None, title: str | None, tree: HtmlElement, url: str):
    """The day the page was first published, with the time of day when the structured
    data or meta tags state that day.

    The page's dateline (the date written beside its headline) confirms a stated date
    or stands in for a missing one. Otherwise htmldate weighs every date on the page
    (meta tags, JSON-LD, ``<time>``, the URL), preferring the original to the modified
    one: a page's first stated date is more often a modification or another article's
    than htmldate's choice. The dateline does not overrule a stated date on its own: a
    caption or a teaser beside the headline can carry a date too.
    """
    seen = dateline(tree, title) if title else None
    if stated and seen and agree(stated[1], seen[1]):
        return stated
    if seen and not stated:
        return seen
    day = page_date(tree, url)
    if stated and (not day or agree(stated[1], day[1])):
        return stated
    return day


def agree(stamp: str, day: str) -> bool:
    """Whether a stated time stamp falls on ``day``, as written or in its own time zone."""
    return stamp.startswith(day) or in_own_time_zone(stamp, day)


def dateline(tree: HtmlElement, title: str) -> tuple[str, str] | None:
    """The day written on a short line just under the page's headline (the heading
    that shows its ``title``): "1. Februar 2022, Daniel Dillenburg". Not a line that
    says when the page was updated."""
    headline = folded(title)
    heading = next(
        (
            heading
            for heading in tree.iter("h1", "h2")
            if (seen := folded(heading.text_content())) and (seen in headline or headline in seen)
        ),
        None,
    )
    if heading is None:
        return None
    for runs in (text_after(heading), text_before(heading)):
        reach = DATELINE_REACH
        for run in runs:
            line = " ".join((run or "").split())
            if len(line) <= DATELINE_LENGTH and FULL_DATE.search(line) and not UPDATE_LINE.search(line):
                if day := written_day(line):
                    return "dateline", day
            reach -= len(line)
            if reach < 0:
                break
    return None


def text_after(element: HtmlElement):
    """The page's text after ``element``, run by run in reading order, without the
    menus, sidebars and comments beside it."""
    while element is not None:
        yield element.tail
        for sibling in element.itersiblings(tag=Element):
            if not apart(sibling):
                yield from sibling.itertext()
            yield sibling.tail
        element = element.getparent()


def text_before(element: HtmlElement):
    """The page's text before ``element``, run by run, nearest first, without the menus,
    sidebars and comments beside it."""
    while (parent := element.getparent()) is not None:
        for sibling in element.itersiblings(Element, preceding=True):
            yield sibling.tail
            if not apart(sibling):
                yield from reversed(list(sibling.itertext()))
        yield parent.text
        element = parent


def written_day(line: str) -> str | None:
    """The day a line of text writes: a dotted date day first, as every locale that
    writes one reads it ("4. 2. 2022" is February 4th, where htmldate reads April 2nd);
    any other as htmldate reads dates in text."""
    from htmldate import find_date

    if dotted := DOTTED_DATE.search(line):
        day, month, year = map(int, dotted.groups())
        with suppress(ValueError):
            return date(year, month, day).isoformat()

    document = lxml.html.document_fromstring("<p></p>")
    document.find(".//p").text = line
    day = find_date(document, original_date=True, outputformat="%Y-%m-%d")
    return None if day and bare_year(day, lambda: [line]) else day


def page_date(tree: HtmlElement, url: str) -> tuple[str, str] | None:
    """htmldate's reading of the page's publication day."""
    from htmldate import find_date  # imports dateparser: paid by crawls, not by every command

    # extensive_search reads dates out of the text when the markup has none; its first
    # use in a process loads dateparser's languages (about 3 s, once)
    day = find_date(tree, url=url, original_date=True, outputformat="%Y-%m-%d")
    if day and bare_year(day, lambda: tree.xpath("//@content|//@datetime|//text()")):
        return None
    return ("htmldate", day) if day else None


def in_own_time_zone(stamp: str, day: str) -> bool:
    """Whether ``stamp``, written with the page's own UTC offset, is the moment htmldate
    read as ``day`` in another time zone: the day as the page wrote it is the one its
    readers saw."""
    local = LOCAL_STAMP.fullmatch(stamp)
    return bool(local) and abs((date.fromisoformat(local[1]) - date.fromisoformat(day)).days) == 1


def bare_year(day: str, texts: Callable[[], list[str]]) -> bool:
    """Whether htmldate's ``day`` is its reading of a bare year (a copyright line's, or
    "11 mayo 2022" not understood): January 1st, which none of ``texts`` writes out."""
    if not day.endswith("-01-01"):
        return False
    year = day[:4]
    new_year = re.compile(
        rf"{year}[-/.]0?1[-/.]0?1\b|\b0?1[-/.]0?1[-/.]{year}"
        rf"|\bJan\w*\.? 0?1(?:st)?,? {year}|\b0?1\.? Jan\w* {year}",
        re.I,
    )
    return not any(new_year.search(value) for value in texts())


def first_paragraph(tree: HtmlElement) -> str | None:
    """The first paragraph of the main content long enough to describe the page."""
    scope = next((tag for name in ("article", "main") if (tag := tree.find(f".//{name}")) is not None), tree)
    for paragraph in scope.iter("p"):
        words = " ".join(paragraph.text_content().replace("\xad", "").split())  # soft hyphens are unseen
        if len(words) >= SUBSTANTIAL:
            return words
    return None


def detect_language(tree: HtmlElement) -> str | None:
    """The language of the page's text, when nothing on the page states it."""
    import py3langid  # loads its model (about 1 s) on the first page that needs it

    body = tree.find("body")
    sample = " ".join((body if body is not None else tree).text_content().split())[:2000]
    return py3langid.classify(sample)[0] if len(sample) >= SUBSTANTIAL else None
