"""People's names from author values and bylines: split, cleaned, and never a URL, a desk
("Staff") or the site that publishes them."""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from .structured_data import as_list, text, types

# Attributes that can mark a byline, in document order; reading their values in Python
# is several times faster than testing every element in XPath.
MARKS = XPath("//@class|//@rel|//@itemprop|//a/@href")
# A link to an author's page: ".../author/evan-symon/", "/autoren/name/max-kolter".
AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor|autoren|auteurs?|autore|autori|reporters?|journalists?|journalisten|redakteure?|"
    r"writers?|staff|contributors?)/[^/?#]",
    re.I,
)
BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|by-line|auteurs?|autor|writer)(?:[\s_-]|$)|author-?name|authorName", re.I
)
# A line that its first word makes a byline: "Von Claudia Lindner", "Auteur : K. Tiassou".
WRITTEN_BYLINE = re.compile(
    r"\s*(?:(?:written|posted)\s+by|by|von|par|por|door|auteure?|autor(?:in)?|authors?)\s*:?\s+\w", re.I
)
TEXTS = XPath("//text()[not(ancestor::script or ancestor::style)]")
# Where names are not the page's byline: readers' comments, menus of the site's authors.
ELSEWHERE = re.compile("comment|menu", re.I)
APART = ("nav", "aside")
# Names that stand for a desk, not a person.
NOT_PEOPLE = re.compile(
    r"^(?:staff|admin|administrator|editor|editorial|redaktion|redacción|rédaction|newsroom|"
    r"team|guest|anonymous|unknown|null|none|no author|follow)$",
    re.I,
)
# What comes before the names in a byline: "Posted on May 2 by", "Auteur :", "Von".
BYLINE_PREFIX = re.compile(
    r"^(?:.*?\b(?:by|von|par|por|door|av|af)(?:\s+|$)"
    r"|(?:authors?|auteurs?|autor|autoren|autorin|autore)\b\s*:?\s*)",
    re.I,
)
# Between names in a byline: commas, semicolons, slashes, "and" in the page's languages.
NAME_SEPARATORS = re.compile(r"\s*[,;/&|、，]\s*|\s+(?:and|und|et|y|e|og|och|en|i)\s+", re.I)
# Marks of an organisation's name: a legal form or a domain ("Verbraucher e.V.", "dw.com").
ORGANISATION = re.compile(
    r"\b(?:e\.V\.|GmbH|Ltd|Inc|LLC|Stiftung)(?:\W|$)|\b[\w-]+\.(?:com|org|net|de|at|ch|fr)\b"
)
# An account name, not a person's: "edilson.la.rosa", "gabor_munier".
HANDLE = re.compile(r"[a-z0-9]+(?:[._][a-z0-9]+)+")
URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|@\w|\.\w{2,4}/")
MAX_NAME_LENGTH = 80
MAX_NAME_WORDS = 6


def key(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def authors(value, publishers: set[str]) -> tuple[list[str], list[str]]:
    """The people an author value (text, a list, JSON-LD persons) names, and apart from
    them the organisations it names: the site, its publisher, an ``Organization``. No
    URLs, no desk names such as "Staff"."""
    persons, organisations = [], []
    for author in as_list(value):
        kinds = types(author) if isinstance(author, dict) else []
        if isinstance(author, dict):
            author = text(author.get("name")) or " ".join(
                filter(None, (text(author.get("givenName")), text(author.get("familyName"))))
            )
        if not isinstance(author, str):
            continue
        for name in split_names(author):
            person = "Person" in kinds and key(name) not in publishers  # "Jane Doe's blog" stays
            if not person and (kinds or is_publisher(name, publishers) or ORGANISATION.search(name)):
                organisations.append(name)
            elif not HANDLE.fullmatch(name):  # an account's name: the person's may follow
                persons.append(name)
    return list(dict.fromkeys(persons)), list(dict.fromkeys(organisations))


def byline_authors(lines, publishers: set[str]) -> tuple[list[str], list[str]]:
    """The people of the first byline that names people, or the organisations of the
    first that names one."""
    organisations = []
    for line in lines:
        if len(line) > 2 * MAX_NAME_LENGTH:
            continue
        persons, named = authors(line, publishers)
        if persons:
            return persons, []
        organisations = organisations or named
    return [], organisations


def is_publisher(name: str, publishers: set[str]) -> bool:
    name_key = key(name)
    return any(
        name_key == publisher or (len(name_key) > 3 and name_key in publisher) for publisher in publishers
    )


def split_names(byline: str) -> list[str]:
    """The names in a byline: "By Ada Lovelace and Alan Turing" -> both names."""
    byline = " ".join(byline.split())
    if URL_LIKE.search(byline) or len(byline) > 4 * MAX_NAME_LENGTH:
        return []
    names = (name.strip(" '\"|:-–—") for name in NAME_SEPARATORS.split(BYLINE_PREFIX.sub("", byline)))
    return [name for name in names if is_name(name)]


def is_name(name: str) -> bool:
    """Short enough, few enough words, no digits, not a desk, not a dateline's words
    ("Posted on", "Publiziert am": a name does not end in a short lowercase word)."""
    words = name.split()
    return (
        0 < len(name) <= MAX_NAME_LENGTH
        and len(words) <= MAX_NAME_WORDS
        and not NOT_PEOPLE.match(name)
        and not any(character.isdigit() for character in name)
        and not (len(words) > 1 and words[-1].islower() and len(words[-1]) <= 3)
    )


def bylines(tree: HtmlElement):
    """The author lines of the visible page, in order: elements marked as the author or
    byline by ``rel``, ``itemprop`` or class, and links to an author's page, outside
    comments and menus. Lazy: the first that names people is usually the first one."""
    marked = [mark.getparent() for mark in MARKS(tree) if marks_byline(mark)]
    return (
        " ".join(element.text_content().split())
        for element in dict.fromkeys(marked)
        if not elsewhere(element)
    )


def written_bylines(tree: HtmlElement):
    """Short elements whose text starts with a byline's word, in document order: the
    bylines that no markup names."""
    for run in TEXTS(tree):
        if not run.is_tail and WRITTEN_BYLINE.match(run):
            line = " ".join(run.getparent().text_content().split())
            if len(line) <= 2 * MAX_NAME_LENGTH and not elsewhere(run.getparent()):
                yield line


def is_byline(line: str) -> bool:
    """Whether ``line`` is a byline: short, a byline's word, then people's names."""
    return (
        len(line) <= 2 * MAX_NAME_LENGTH
        and bool(WRITTEN_BYLINE.match(line))
        and bool(authors(line, set())[0])
    )


def marks_byline(mark) -> bool:
    if mark.attrname == "class":
        return bool(BYLINE_CLASS.search(mark))
    if mark.attrname == "href":
        return bool(AUTHOR_PAGE.search(mark))
    return mark == "author"


def elsewhere(element: HtmlElement) -> bool:
    return any(apart(ancestor) for ancestor in element.iterancestors())


def apart(element: HtmlElement) -> bool:
    """Whether ``element`` is a part of the page apart from its article: a menu, a
    sidebar, readers' comments. Not a footer: an article's own footer often holds its
    byline."""
    return element.tag in APART or bool(
        ELSEWHERE.search(element.get("class", "") + " " + element.get("id", ""))
    )
