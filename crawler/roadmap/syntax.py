"""markdown-it-pyrs's syntax tree of a roadmap and the text behind it: lines and spans
from the tree's byte offsets, URLs as written, inline nodes in token order, and what
markdown-it-pyrs cannot take (lists nested thousands deep, a backtick left open inside
brackets) kept from it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, chain
from urllib.parse import unquote

from markdown_it_pyrs import MarkdownIt, Node

from ..text import printable
from .model import RoadmapError

# Lists and blockquotes nested deeper than this are refused: markdown-it-pyrs recurses once
# a level (100,000 levels overflow its stack) and takes quadratic time, while real roadmaps
# nest a handful of levels.
MAX_NESTING = 100
# The blockquote marks, bullets and list numbers a line starts with, and the space around them.
CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)))+[ \t]*", re.M)
CONTAINER_MARKER = re.compile(r">|[-+*]|[0-9]{1,9}[.)]")

# GitHub-flavoured: CommonMark with raw HTML, plus GFM tables, strikethrough, bare URLs
# and task lists. Its link URLs come percent-encoded; `SourceText.as_written` undoes that.
MARKDOWN = MarkdownIt("commonmark").enable_many(["table", "strikethrough", "linkify", "tasklist"])
HEADINGS = frozenset({"heading", "lheading"})
LINKS = frozenset({"link", "linkify", "autolink"})
# Inline nodes with inline children.
NESTING = frozenset({"code_inline", "em", "strong", "strikethrough"}) | LINKS
INLINE = (
    frozenset({"text", "text_special", "softbreak", "hardbreak", "html_inline", "image", "todo_checkbox"})
    | NESTING
)
# A code span on one line, or a run of backticks nothing on its line closes.
# The comments `learngraph annotate` puts around what it writes into a roadmap (see
# annotations.py); what stands between them is no part of the roadmap.
ANNOTATION_OPEN = "<!-- learngraph -->"
ANNOTATION_CLOSE = "<!-- /learngraph -->"
CODE_SPAN_OR_OPEN_BACKTICKS = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)|(?<!\\)`+")
ESCAPES = re.compile(r"((?:%[0-9A-Fa-f]{2})+)")


class SourceText:
    """The roadmap's text, to turn markdown-it-pyrs's byte offsets into lines and spans."""

    def __init__(self, text: str):
        self.data = text.encode()
        # Where each line after the first starts.
        self.line_starts = list(accumulate(len(line) + 1 for line in self.data.split(b"\n")))

    def line(self, node: Node) -> int:
        return bisect_right(self.line_starts, node.srcmap[0]) + 1

    def span(self, node: Node) -> str:
        start, end = node.srcmap
        return self.data[start:end].decode(errors="replace")

    def as_written(self, url: str, node: Node, definitions: Callable[[], str]) -> str:
        """A link node's percent-encoded ``url`` as the roadmap writes it: found in the
        link's source (or, for a reference link, in ``definitions()``) by trying each
        escaped run both as it stands and decoded."""
        pattern = "".join(
            f"(?:{re.escape(part)}|{re.escape(unquote(part))})" if n % 2 else re.escape(part)
            for n, part in enumerate(ESCAPES.split(url))
        )
        for source in (lambda: self.span(node), definitions):
            if found := [m[0] for m in re.finditer(pattern, source())]:
                return found[-1]
        return url


def annotation_spans(root: Node, source: SourceText) -> list[tuple[int, int]]:
    """The byte spans, in order, of the annotations `learngraph annotate` wrote after links:
    an ANNOTATION_OPEN comment, text, and an ANNOTATION_CLOSE comment, all read as inline
    HTML and text on one line. Markers anywhere else (in code, apart, unclosed) are text
    like any other."""
    spans, opened = [], None
    for node in root.walk():
        content = node.meta.get("content") if node.name == "html_inline" else None
        if content == ANNOTATION_OPEN:
            opened = node
        elif content == ANNOTATION_CLOSE and opened is not None and source.line(opened) == source.line(node):
            spans.append((opened.srcmap[0], node.srcmap[1]))
            opened = None
        elif node.name != "text":
            opened = None
    return spans


def within(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when ``offset`` falls inside one of ``spans`` (in order, apart)."""
    n = bisect_right(spans, (offset, math.inf)) - 1
    return n >= 0 and offset < spans[n][1]


def plain_text(nodes: Iterable[Node]) -> str:
    """A heading's words as GitHub shows them: no markup, no image alt texts (badges)."""
    return "".join(
        node.meta["content"] for name, node in in_token_order(nodes) if name in ("text", "text_special")
    )


def check_nesting(text: str, source: str) -> None:
    """Refuse, before markdown-it-pyrs sees it, a text whose lists or blockquotes may nest
    deeper than MAX_NESTING. A line reaches at most one level per marker it starts with and
    one per two columns of indentation (the least a nested list item needs)."""
    for prefix in CONTAINER_PREFIX.finditer(text):
        markers = CONTAINER_MARKER.findall(prefix[0])
        columns = len(prefix[0].expandtabs(4)) - sum(map(len, markers))
        if len(markers) + columns // 2 > MAX_NESTING:
            line = text.count("\n", 0, prefix.start()) + 1
            raise RoadmapError(
                f"{source}: line {line} nests lists or blockquotes deeper than "
                f"the {MAX_NESTING} levels learngraph reads"
            )


def prepared_tree(text: str, source: str) -> tuple[Node, str]:
    """The tree of a roadmap's text as the parser reads it, and the text it was built from:
    one kind of line end (for counting lines), no control characters (no part of a name or
    a link text), nesting checked (``check_nesting``). Lines stay where they were."""
    text = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
    check_nesting(text, source)
    return syntax_tree(text)


def syntax_tree(text: str) -> tuple[Node, str]:
    """markdown-it-pyrs's tree of ``text``, and the text it was built from.

    markdown-it-pyrs 0.4 panics on a backtick left open inside brackets ("[Andrew Ng`s
    course](...)"). An open backtick is plain text, and so is its entity: on a panic the
    text is read again with the backticks that nothing closes on their line as entities,
    and, failing that, with every backtick as one.
    """
    for escape in (_open_backticks_as_entities, _backticks_as_entities):
        try:
            return MARKDOWN.tree(text), text
        except BaseException as error:  # pyo3's PanicException is not an Exception
            if type(error).__name__ != "PanicException":
                raise
        text = escape(text)
    return MARKDOWN.tree(text), text


def _open_backticks_as_entities(text: str) -> str:
    return CODE_SPAN_OR_OPEN_BACKTICKS.sub(lambda m: m[0] if m[1] else "&#96;" * len(m[0]), text)


def _backticks_as_entities(text: str) -> str:
    return text.replace("`", "&#96;")


_EXHAUSTED = object()  # what next() gives for a run of nodes read to its end


def in_token_order(nodes: Iterable[Node]) -> Iterator[tuple[str, Node | None]]:
    """Inline nodes with their names, in the order of markdown-it's token stream: a link,
    its text, then ``("link_close", None)``; an image alone (its alt text is read apart).

    A stack, not recursion: emphasis can nest thousands of levels deep."""
    stack: list[Iterator[Node | None]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], _EXHAUSTED)
        if node is _EXHAUSTED:
            stack.pop()
        elif node is None:
            yield "link_close", None
        else:
            name = node.name
            yield name, node
            if name in NESTING:  # a link's children end with its close, None
                stack.append(chain(node.children, (None,)) if name in LINKS else iter(node.children))
