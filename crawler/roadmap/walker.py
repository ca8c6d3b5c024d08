"""The walk over a roadmap's syntax tree that builds the model: headings become topics,
links resources (or ignored links, with the reason), list entries that link nowhere
items; DONE marks, ticked task boxes and declared prerequisites are read on the way.

The tree is markdown-it-pyrs's (markdown-it in Rust), so whatever CommonMark and GitHub
accept (reference links, autolinks, bare URLs, tables, task lists, HTML) is read the way
GitHub shows it; source lines come from the tree's byte offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it_pyrs import Node

from ..sources import Registry
from .links import BARE_WWW, LinkIdentifier, trim_bare
from .model import IgnoredLink, Item, Mention, Resource, Roadmap, Topic
from .syntax import (
    ANNOTATION_OPEN,
    HEADINGS,
    INLINE,
    LINKS,
    SourceText,
    annotation_spans,
    in_token_order,
    plain_text,
    prepared_tree,
    within,
)

DONE_MARK = re.compile(r"^\s*(?:DONE\b|\[[xX]\]|✅|✔|☑)", re.UNICODE)
QUESTION = re.compile(
    r"[?？]|^(?:how|what|why|when|which|who|explain|describe)\b|什么|如何|哪些|哪几|为什么|怎么|怎样|是否|吗",
    re.I,
)
QUESTION_SECTION = re.compile(r"面经|面试|interview|question|faq|quiz|exercise", re.I)
# Declared prerequisites of the topic above: a "Prerequisites: A, B" paragraph or an
# invisible "<!-- requires: A, B -->" comment (see the README).
REQUIRES = re.compile(
    r"^\s*(?:<!--\s*)?(?:prerequisites|requires|前置知识|前置)\s*[:：]\s*(.*?)\s*(?:-->)?\s*$", re.I | re.S
)
# A section whose subsections are to be studied in the order written (see the README).
ORDERED_MARK = re.compile(r"^\s*<!--\s*ordered\s*-->\s*$", re.I)


def slugify(text: str) -> str:
    """A URL- and file-safe slug that keeps CJK and other letters as they are."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_") or "section"


@dataclass(slots=True)
class _Link:
    """A link being read: where it points, and its text so far."""

    href: str
    line: int
    done: bool
    bare: bool  # a bare URL, linked by the parser, not written as a link
    text: list[str] = field(default_factory=list)
    words: bool = False
    images: int = 0


class _LineStart:
    """The start of the current line, only as far as a DONE mark reaches: a line of
    thousands of links is not joined again for each of them."""

    __slots__ = ("text",)
    REACH = len("DONE") + 1  # and one character more for the word boundary

    def __init__(self):
        self.text = ""

    def add(self, piece: str) -> None:
        if len(self.text) < self.REACH:  # DONE_MARK allows any space before the mark
            self.text = (self.text + piece).lstrip()[: self.REACH]

    def clear(self) -> None:
        self.text = ""


@dataclass(slots=True)
class _ListFrame:
    """A list item being read: its text, whether it links anywhere, and its parent."""

    topic: str | None
    node: Node
    parent: _ListFrame | None
    text: list[str] = field(default_factory=list)
    has_link: bool = False
    task_done: bool = False
    item_id: str | None = None


class _Parser:
    def __init__(self, source: str, registry: Registry, base_url: str | None):
        self.links = LinkIdentifier(registry, base_url, self.headings)
        self.roadmap = Roadmap(title="", source=source)
        self.resources: dict[str, Resource] = {}
        self.topic: Topic | None = None
        self.siblings: dict[str | None, int] = {}
        self.stack: list[Topic] = []
        self.frames: list[_ListFrame] = []
        self.list_items: list[_ListFrame] = []
        self.topics_seen: set[str] = set()

    def parse(self, text: str) -> Roadmap:
        self.tree, text = prepared_tree(text, self.roadmap.source)
        self.source = SourceText(text)
        # What `learngraph annotate` wrote is no part of the roadmap; most have none to look for.
        self.annotations = annotation_spans(self.tree, self.source) if ANNOTATION_OPEN in text else []
        self.visit(self.tree.children)
        self.finish_items()
        self.roadmap.resources = list(self.resources.values())
        if not self.roadmap.title:
            self.roadmap.title = Path(self.roadmap.source).stem
        return self.roadmap

    def headings(self) -> Iterator[str]:
        """This document's headings as GitHub shows them, which links into it point at."""
        return (plain_text(n.children) for n in self.tree.walk() if n.name in HEADINGS)

    @cached_property
    def definitions(self) -> str:
        """The source of all reference definitions, where reference links' URLs are written."""
        return "\n".join(self.source.span(n) for n in self.tree.walk() if n.name == "definition")

    @property
    def topic_id(self) -> str | None:
        return self.topic.id if self.topic else None

    # Block structure.
    def visit(self, nodes: list[Node]) -> None:
        """Read block nodes in order. A tight list item holds its paragraphs' inline nodes
        itself: each run of them is read as one paragraph."""
        run: list[Node] = []
        for node in nodes:
            name = node.name
            if name in INLINE:
                run.append(node)
                continue
            if run:
                self.read_inline(run)
                run = []
            if name == "list_item":
                frame = _ListFrame(self.topic_id, node, self.frames[-1] if self.frames else None)
                self.frames.append(frame)
                self.list_items.append(frame)
                self.visit(node.children)
                self.frames.pop()
            elif name == "paragraph" or name == "tcell":
                self.read_inline(node.children)
            elif name in HEADINGS:
                self.open_topic(node)
                self.read_inline(node.children, in_heading=True)
            elif name == "html_block":
                self.read_html(node.meta["content"], self.source.line(node))
            elif name != "code_block" and name != "fence":
                self.visit(node.children)
        if run:
            self.read_inline(run)

    def open_topic(self, node: Node) -> None:
        name = plain_text(node.children).strip() or "Untitled"
        level = node.meta["level"]
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        path = (parent.path if parent else []) + [name]
        base_id = "/".join(slugify(p) for p in path)
        topic_id, n = base_id, 1
        while topic_id in self.topics_seen:
            n += 1
            topic_id = f"{base_id}-{n}"
        order = self.siblings.get(parent.id if parent else None, 0)
        self.siblings[parent.id if parent else None] = order + 1
        topic = Topic(
            topic_id, name, level, parent.id if parent else None, order, path, self.source.line(node)
        )
        if parent:
            parent.children.append(topic_id)
        if not self.roadmap.title and level == 1:
            self.roadmap.title = name
        self.roadmap.topics.append(topic)
        self.topics_seen.add(topic_id)
        self.stack.append(topic)
        self.topic = topic

    # Inline content: links, their text and line, and what surrounds them.
    def read_inline(self, nodes: list[Node], in_heading: bool = False) -> None:
        frame = self.frames[-1] if self.frames else None
        line_start = _LineStart()  # what stands on the current line before a link
        plain: list[str] = []
        link: _Link | None = None
        linked = False
        for name, node in in_token_order(nodes):
            if (
                self.annotations
                and node is not None
                and node.srcmap
                and within(self.annotations, node.srcmap[0])
            ):
                continue
            if name == "text" or name == "text_special":
                content = node.meta["content"]
                if link is not None:
                    link.text.append(content)
                    link.words = link.words or bool(content.strip())
                    continue
                if name == "text":
                    linked = self.read_bare_addresses(content, node, line_start, frame) or linked
                else:
                    line_start.add(content)
                plain.append(content)
                continue
            if name == "html_inline":  # an <a> tag opens or closes a link as Markdown's do
                content = node.meta["content"]
                if link is not None and content.lower().startswith("</a"):
                    name = "link_close"
                elif (tag_href := html_href(content)) is not None:
                    name = "html_link"
            if name == "link_close":
                if link is not None:
                    link_text = self.close_link(link)
                    plain.append(link_text)
                    line_start.add(link_text)
                    link = None
            elif name in LINKS or name == "html_link":
                linked = True
                href = tag_href if name == "html_link" else self.written_url(node)
                link = _Link(href, self.source.line(node), _is_done(line_start, frame), name == "linkify")
            elif name == "softbreak" or name == "hardbreak":
                line_start.clear()
                plain.append("\n")
            elif name == "todo_checkbox":
                frame.task_done = node.meta["checked"]
            elif name == "html_inline":
                if link is not None and content.lower().startswith("<img"):
                    link.images += 1
                self.read_html(content, self.source.line(node))
            elif name == "image":
                alt = plain_text(node.children)
                if link is not None:
                    link.images += 1
                    link.text.append(alt)
                self.ignore(self.written_url(node), alt, self.source.line(node), "image")
        if link is not None:  # an <a> never closed: it still links
            plain.append(self.close_link(link))
        if in_heading or (frame is not None and frame.has_link):
            return  # a heading's words are its name; a list entry with a link is no item
        text = " ".join("".join(plain).split())
        if frame is not None:
            frame.text.append(text)
        elif self.topic and (match := REQUIRES.match(text)):
            self.topic.requires += _names(match.group(1))
        elif self.topic and not linked and text and not self.topic.description:
            self.topic.description = text

    def read_bare_addresses(
        self, text: str, node: Node, line_start: _LineStart, frame: _ListFrame | None
    ) -> bool:
        """Link the bare "www." addresses in a text node, as GitHub does; True if there were any."""
        pieces = BARE_WWW.split(text)
        for n, piece in enumerate(pieces):
            if n % 2:
                url = trim_bare(piece)
                self.add_link(f"http://{url}", url, self.source.line(node), _is_done(line_start, frame))
            line_start.add(piece)
        return len(pieces) > 1

    def written_url(self, node: Node) -> str:
        """The URL of a link or image node as the roadmap writes it (see `SourceText.as_written`)."""
        url = node.meta["url"]
        # Only a percent-encoded URL can differ from what is written; searching the source for
        # every URL would cost a quarter of `learngraph parse` of 3,000 links (benchmarks/parse.py).
        return self.source.as_written(url, node, lambda: self.definitions) if "%" in url else url

    def close_link(self, link: _Link) -> str:
        """Record a link whose text has been read, as a resource or ignored; its text."""
        link_text = "".join(link.text).strip()
        if link.bare and not link_text.lower().startswith(("http", "www.")):
            pass  # a word that only looks like a domain ("Node.js"), not a link
        elif link.images and not link.words:
            self.ignore(link.href, link_text, link.line, "badge")
            self.mark_frame_linked()
        else:
            self.add_link(link.href, link_text, link.line, link.done)
        return link_text

    def read_html(self, html: str, line: int) -> None:
        if self.topic and ORDERED_MARK.match(html):
            self.topic.ordered = True
            return
        if self.topic and (match := REQUIRES.match(html)) and html.lstrip().startswith("<!--"):
            self.topic.requires += _names(match.group(1))
            return
        soup = BeautifulSoup(html, "html.parser")
        for anchor in soup.find_all("a", href=True):
            text = anchor.get_text(" ", strip=True)
            if anchor.find("img") and not text:
                self.ignore(anchor["href"], text, _tag_line(anchor, line), "badge")
            else:
                self.add_link(anchor["href"], text, _tag_line(anchor, line), False)
        for image in soup.find_all("img", src=True):
            self.ignore(image["src"], image.get("alt", ""), _tag_line(image, line), "image")

    def mark_frame_linked(self) -> None:
        if self.frames:
            self.frames[-1].has_link = True

    def add_link(self, href: str, text: str, line: int, done: bool) -> None:
        self.mark_frame_linked()
        href = href.strip()
        identity, reason = self.links.identify(href)
        if identity is None:
            self.ignore(href, text, line, reason)
            return
        resource = self.resources.get(identity.id)
        if resource is None:
            resource = Resource(
                identity.id, identity.url, identity.kind, identity.source, dict(identity.attrs)
            )
            self.resources[identity.id] = resource
        resource.mentions.append(Mention(self.topic_id, text, line, href, done, dict(identity.attrs)))

    def ignore(self, url: str, text: str, line: int, reason: str) -> None:
        self.roadmap.ignored.append(IgnoredLink(url, text, line, self.topic_id, reason))

    def finish_items(self) -> None:
        """List entries that link nowhere become items, numbered within their topic."""
        # Everything inside a section of questions ("Interview questions", "面经", "FAQ").
        question_topics = {
            t.id for t in self.roadmap.topics if any(QUESTION_SECTION.search(name) for name in t.path)
        }
        counters: dict[str | None, int] = {}
        for frame in self.list_items:
            if frame.has_link:
                continue
            text = " ".join(" ".join(frame.text).split())
            if not text:
                continue
            n = counters[frame.topic] = counters.get(frame.topic, 0) + 1
            frame.item_id = f"{frame.topic or 'roadmap'}#{n}"
            parent = frame.parent
            while parent is not None and parent.item_id is None:
                parent = parent.parent
            kind = "question" if QUESTION.search(text) or frame.topic in question_topics else "note"
            self.roadmap.items.append(
                Item(
                    frame.item_id,
                    frame.topic,
                    text,
                    self.source.line(frame.node),
                    kind,
                    parent.item_id if parent else None,
                )
            )


def _names(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[,，、;]", text) if name.strip()]


def html_href(tag: str) -> str | None:
    """The href of an HTML ``<a href>`` tag; None for other tags and named anchors (``<a id>``)."""
    anchor = BeautifulSoup(tag, "html.parser").find("a")
    return anchor.get("href") if anchor else None


def _tag_line(tag, block_line: int) -> int:
    """The source line of a tag inside an HTML block starting on ``block_line``."""
    return block_line + (tag.sourceline or 1) - 1


def _is_done(line_start: _LineStart, frame: _ListFrame | None) -> bool:
    """A link is finished when its line starts with a DONE mark or its task box is ticked."""
    return (frame is not None and frame.task_done) or DONE_MARK.match(line_start.text) is not None


def parse_roadmap(
    text: str, source: str = "roadmap.md", *, registry: Registry | None = None, base_url: str | None = None
) -> Roadmap:
    """Parse Markdown text into a Roadmap. Never raises on malformed Markdown; raises
    RoadmapError, with one line for the user, for lists or blockquotes nested deeper than
    MAX_NESTING."""
    return _Parser(source, registry or Registry(), base_url).parse(text)
