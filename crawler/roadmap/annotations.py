"""Where `learngraph annotate` writes into a roadmap, and how to find what it wrote.

A resource's facts go right after each of its links; a topic's on a line of its own
after its heading (within the heading they would change the anchor GitHub gives it, and
break every table of contents that links there). Each annotation stands between the
comments ``ANNOTATION_OPEN`` and ``ANNOTATION_CLOSE``, on one line, so that it is found
again: replaced rather than added twice, and skipped when the roadmap is read. The
markers count only where Markdown reads them as HTML; in a code span or a fenced block
they are text, and stay. Everything else is kept as written, byte for byte: line ends,
control characters and all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from markdown_it_pyrs import Node

from .links import BARE_WWW, trim_bare
from .model import Roadmap
from .syntax import (
    ANNOTATION_CLOSE,
    ANNOTATION_OPEN,
    HEADINGS,
    LINKS,
    SourceText,
    annotation_spans,
    prepared_tree,
)
from .walker import html_href

LINE_END = re.compile(r"\r\n|\r|\n")
# A topic's annotation: an HTML block of one line.
LINE_ANNOTATION = re.compile(f"{re.escape(ANNOTATION_OPEN)}[^\n]*{re.escape(ANNOTATION_CLOSE)}\n?")
# Where no annotation goes: a link there would be read as code, or as part of a heading's anchor.
UNANNOTATED = HEADINGS | {"code_inline", "code_block", "fence", "html_block"}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an annotation goes: after a link to resource ``id`` (``kind`` "resource"), or
    on a line of its own after the heading of topic ``id`` (``kind`` "topic"), ending with
    the heading's own line end."""

    offset: int  # an index into the text
    kind: str
    id: str
    line_end: str = ""


class _Tree:
    """The parser's syntax tree of a text, with its byte offsets turned back into indices
    of the text as written (the parser reads one kind of line end, no control characters)."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.root, parsed = prepared_tree(text, source)
        self.source = SourceText(parsed)
        self.parsed_lines = parsed.split("\n")
        self.line_starts = [0, *(m.end() for m in LINE_END.finditer(text))]

    def line(self, node: Node) -> int:
        return self.source.line(node)

    def written_line(self, number: int) -> tuple[int, str, str]:
        """Line ``number`` (from 1) as written: where it starts, its text, its line end."""
        start = self.line_starts[number - 1]
        end = LINE_END.search(self.text, start)
        return start, self.text[start : end.start() if end else len(self.text)], end[0] if end else ""

    def index(self, offset: int) -> int:
        """The index in the text as written of byte ``offset`` of the text parsed."""
        number = bisect_right(self.source.line_starts, offset) + 1
        line_start = self.source.line_starts[number - 2] if number > 1 else 0
        column = len(self.source.data[line_start:offset].decode(errors="replace"))
        start, written, _ = self.written_line(number)
        parsed = self.parsed_lines[number - 1]
        return start + (column if parsed == written else _written_column(parsed, written, column))

    def spans(self) -> Iterator[tuple[int, int]]:
        """The spans of the annotations in the text; one on a line of its own with its line end."""
        for node in self.root.children:
            if node.name == "html_block" and LINE_ANNOTATION.fullmatch(node.meta["content"]):
                number = self.line(node)
                start, _, end = self.written_line(number)
                yield start, (self.line_starts[number] if end else len(self.text))
        for start, end in annotation_spans(self.root, self.source):
            yield self.index(start), self.index(end)

    def links(self) -> Iterator[tuple[int, str, int]]:
        """(line, URL as the parser records it, end offset) of every link an annotation may
        follow: Markdown links, autolinks and bare URLs, ``<a>`` tags and bare "www." addresses,
        outside headings, code, HTML blocks and other links."""
        definitions = "\n".join(self.source.span(n) for n in self.root.walk() if n.name == "definition")
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.name in UNANNOTATED:
                continue
            if node.name in LINKS:
                url = node.meta["url"]
                if "%" in url:
                    url = self.source.as_written(url, node, lambda: definitions)
                yield self.line(node), url.strip(), node.srcmap[1]
                continue
            if node.name == "text":
                yield from self.bare_addresses(node)
            children, link_texts = node.children, set()
            for n, child in enumerate(children):
                if n in link_texts or child.name != "html_inline":
                    continue
                if (href := html_href(child.meta["content"])) is not None:
                    closing = next(
                        (m for m in range(n + 1, len(children)) if _is_closing_a(children[m])), None
                    )
                    if closing is not None:
                        yield self.line(child), href.strip(), children[closing].srcmap[1]
                        link_texts.update(range(n + 1, closing))
            stack.extend(reversed([c for n, c in enumerate(children) if n not in link_texts]))

    def bare_addresses(self, node: Node) -> Iterator[tuple[int, str, int]]:
        """The bare "www." addresses in a text node, which the parser links as GitHub does."""
        start, end = node.srcmap
        cursor = start
        for n, piece in enumerate(BARE_WWW.split(node.meta["content"])):
            if n % 2:
                address = trim_bare(piece)
                found = self.source.data.find(address.encode(), cursor, end)
                if found >= 0:
                    cursor = found + len(address.encode())
                    yield self.line(node), f"http://{address}", cursor

    def headings(self) -> Iterator[tuple[int, int, str]]:
        """(line, index of the next line, line end) of each heading at the top level whose
        line has an end: a line after a heading in a list or a quote would need their marks,
        and one after the file's last line an end it does not have."""
        for node in self.root.children:
            if node.name in HEADINGS:
                last = bisect_right(self.source.line_starts, node.srcmap[1]) + 1
                _, _, end = self.written_line(last)
                if end:
                    yield self.line(node), self.line_starts[last], end


def _is_closing_a(node: Node) -> bool:
    return node.name == "html_inline" and node.meta["content"].lower().startswith("</a")


def _written_column(parsed: str, written: str, column: int) -> int:
    """Column ``column`` of a line as parsed, in the line as written (the two differ only
    by the characters the parser leaves out or spells as entities)."""
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, parsed, written, autojunk=False).get_opcodes():
        if tag == "equal" and i1 <= column <= i2:
            return j1 + column - i1
        if column < i2:
            return j2
    return len(written)


def without_annotations(text: str, source: str = "roadmap.md") -> str:
    """``text`` without the annotations `learngraph annotate` wrote in it: as it was before.

    An annotated text with lists nested deeper than the parser reads raises RoadmapError.
    """
    if ANNOTATION_OPEN not in text:  # a text never annotated: no tree to build
        return text
    kept, cursor = [], 0
    for start, end in sorted(_Tree(text, source).spans()):
        kept.append(text[cursor:start])
        cursor = end
    return "".join(kept) + text[cursor:]


def annotation_places(text: str, roadmap: Roadmap, source: str = "roadmap.md") -> list[Place]:
    """Where annotations go in ``text`` (with none yet), parsed as ``roadmap``: after each
    link to one of its resources, and after the heading of each of its topics."""
    tree = _Tree(text, source)
    resources = {(m.line, m.url): r.id for r in roadmap.resources for m in r.mentions}
    topics = {t.line: t.id for t in roadmap.topics}
    places = [
        Place(tree.index(end), "resource", resources[line, url])
        for line, url, end in tree.links()
        if (line, url) in resources
    ]
    places += [
        Place(offset, "topic", topics[line], line_end)
        for line, offset, line_end in tree.headings()
        if line in topics
    ]
    return places


def with_annotations(text: str, notes: Mapping[Place, str]) -> str:
    """``text`` with each note written at its place, between the annotation markers."""
    pieces, cursor = [], 0
    for place in sorted(notes, key=lambda p: p.offset):
        note = notes[place]
        written = (
            f"{ANNOTATION_OPEN} {note}{ANNOTATION_CLOSE}"
            if place.kind == "resource"
            else f"{ANNOTATION_OPEN}{note}{ANNOTATION_CLOSE}{place.line_end}"
        )
        pieces += [text[cursor : place.offset], written]
        cursor = place.offset
    return "".join(pieces) + text[cursor:]
