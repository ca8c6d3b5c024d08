"""People's names from author values and bylines: split, cleaned, and never a URL, a desk
("Staff") or the site that publishes them."""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from .structured_data import as_list, text, types

# Attributes that can mark a byline, in document order; reading their values in Python
# is several times faster than testing every element in XPath.
MARKS = XPath("//@class|//@rel|//@itemprop")
BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|by-line|auteurs?|autor|writer)(?:[\s_-]|$)|author-?name|authorName", re.I
)
COMMENTS = re.compile("comment", re.I)
# Names that stand for a desk, not a person.
NOT_PEOPLE = re.compile(
    r"^(?:staff|admin|administrator|editor|editorial|redaktion|redacción|rédaction|newsroom|"
    r"team|guest|anonymous|unknown|null|none)$", re.I,
)
# What comes before the names in a byline: "Posted on May 2 by", "Auteur :", "Von".
BYLINE_PREFIX = re.compile(
    r"^(?:.*?\b(?:by|von|par|por|door|av|af)(?:\s+|$)"
    r"|(?:authors?|auteurs?|autor|autoren|autorin|autore)\b\s*:?\s*)", re.I
)
# Between names in a byline: commas, semicolons, slashes, "and" in the page's languages.
NAME_SEPARATORS = re.compile(r"\s*[,;/&|、，]\s*|\s+(?:and|und|et|y|e|og|och|en|i)\s+", re.I)
URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|@\w|\.\w{2,4}/")
MAX_NAME_LENGTH = 80
MAX_NAME_WORDS = 6


def key(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def people(value, publishers: set[str]) -> list[str] | None:
    """Names of people from an author value (text, a list, JSON-LD persons): no URLs, no
    desk names such as "Staff", not the site or its publisher; organisations only when no
    person is named."""
    persons, organisations = [], []
    for author in as_list(value):
        kinds = types(author) if isinstance(author, dict) else []
        if isinstance(author, dict):
            author = text(author.get("name")) or " ".join(
                filter(None, (text(author.get("givenName")), text(author.get("familyName")))))
        if not isinstance(author, str):
            continue
        for name in split_names(author):
            if "Person" in kinds:  # a person's blog is named after them: the name stays
                persons.append(name)
            elif not is_publisher(name, publishers):
                (organisations if "Organization" in kinds else persons).append(name)
    return list(dict.fromkeys(persons or organisations)) or None


def first_people(lines, publishers: set[str]) -> list[str] | None:
    """The names of the first line that names people."""
    short = (line for line in lines if len(line) <= 2 * MAX_NAME_LENGTH)
    return next(filter(None, (people(line, publishers) for line in short)), None)


def is_publisher(name: str, publishers: set[str]) -> bool:
    name_key = key(name)
    return any(name_key == publisher or (len(name_key) > 3 and name_key in publisher)
               for publisher in publishers)


def split_names(byline: str) -> list[str]:
    """The names in a byline: "By Ada Lovelace and Alan Turing" -> both names."""
    byline = " ".join(byline.split())
    if URL_LIKE.search(byline) or len(byline) > 4 * MAX_NAME_LENGTH:
        return []
    names = (name.strip(" '\"|:-–—") for name in NAME_SEPARATORS.split(BYLINE_PREFIX.sub("", byline)))
    return [name for name in names if is_name(name)]


def is_name(name: str) -> bool:
    """Short enough, few enough words, no digits, not a desk."""
    return (0 < len(name) <= MAX_NAME_LENGTH and len(name.split()) <= MAX_NAME_WORDS
            and not NOT_PEOPLE.match(name) and not any(character.isdigit() for character in name))


def bylines(tree: HtmlElement):
    """The author lines of the visible page, in order: elements marked as the author or
    byline by ``rel``, ``itemprop`` or class, outside comments. Lazy: the first that
    names people is usually the first one."""
    marked = [mark.getparent() for mark in MARKS(tree)
              if (mark == "author" if mark.attrname != "class" else BYLINE_CLASS.search(mark))]
    return (" ".join(element.text_content().split())
            for element in dict.fromkeys(marked) if not in_comments(element))


def in_comments(element: HtmlElement) -> bool:
    return any(COMMENTS.search(ancestor.get("class", "") + " " + ancestor.get("id", ""))
               for ancestor in element.iterancestors())
