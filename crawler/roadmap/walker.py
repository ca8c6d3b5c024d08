"""Markdown roadmap -> Roadmap: topics (the heading tree), resources (every link, by its
canonical identity) and items (list entries that link nowhere: questions, notes).

The parser walks the syntax tree of markdown-it-pyrs (markdown-it in Rust), so whatever
CommonMark and GitHub accept (reference links, autolinks, bare URLs, tables, task lists,
HTML) is read the way GitHub shows it; source lines come from the tree's byte offsets.
"""

from __future__ import annotations

import codecs
import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import accumulate, chain
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

from bs4 import BeautifulSoup
from markdown_it_pyrs import MarkdownIt, Node

from ...text import printable
from ..sources import Identity, Registry
from ..sources.base import split_url

DONE_MARK = re.compile(r"^\s*(?:DONE\b|\[[xX]\]|✅|✔|☑)", re.UNICODE)
QUESTION = re.compile(r"[?？]|^(?:how|what|why|when|which|who|explain|describe)\b|什么|如何|哪些|哪几|为什么|怎么|怎样|是否|吗", re.I)
QUESTION_SECTION = re.compile(r"面经|面试|interview|question|faq|quiz|exercise", re.I)
# Declared prerequisites of the topic above: a "Prerequisites: A, B" paragraph or an
# invisible "<!-- requires: A, B -->" comment (see the README).
REQUIRES = re.compile(r"^\s*(?:<!--\s*)?(?:prerequisites|requires|前置知识|前置)\s*[:：]\s*(.*?)\s*(?:-->)?\s*$",
                      re.I | re.S)
# A section whose subsections are to be studied in the order written (see the README).
ORDERED_MARK = re.compile(r"^\s*<!--\s*ordered\s*-->\s*$", re.I)
# Lists and blockquotes nested deeper than this are refused: markdown-it-pyrs recurses once
# a level (100,000 levels overflow its stack) and takes quadratic time, while real roadmaps
# nest a handful of levels.
MAX_NESTING = 100
# The blockquote marks, bullets and list numbers a line starts with, and the space around them.
CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)))+[ \t]*", re.M)
CONTAINER_MARKER = re.compile(r">|[-+*]|[0-9]{1,9}[.)]")
IGNORED_SCHEMES = {"mailto": "mailto link", "tel": "phone link", "javascript": "script link",
                   "data": "inline data"}


class RoadmapError(Exception):
    """A roadmap that cannot be read; the message is one line for the user."""


@dataclass(slots=True)
class Topic:
    id: str
    name: str
    level: int
    parent: str | None
    order: int
    path: list[str]
    line: int
    description: str = ""
    children: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    ordered: bool = False


@dataclass(slots=True)
class Mention:
    """One place a resource is linked: under which topic, with what text, on what line."""

    topic: str | None
    text: str
    line: int
    url: str
    done: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass(slots=True)
class Resource:
    id: str
    url: str
    kind: str
    source: str
    attrs: dict
    mentions: list[Mention] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(m.topic for m in self.mentions if m.topic))

    @property
    def done(self) -> bool:
        return any(m.done for m in self.mentions)

    @property
    def title(self) -> str:
        return next((m.text for m in self.mentions if m.text), "")


@dataclass(slots=True)
class Item:
    id: str
    topic: str | None
    text: str
    line: int
    kind: str
    parent: str | None = None


@dataclass(slots=True)
class IgnoredLink:
    url: str
    text: str
    line: int
    topic: str | None
    reason: str


@dataclass
class Roadmap:
    title: str
    source: str
    topics: list[Topic] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ignored: list[IgnoredLink] = field(default_factory=list)

    def topic(self, topic_id: str) -> Topic:
        return self._topics_by_id[topic_id]

    @property
    def _topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @property
    def empty_topics(self) -> list[Topic]:
        """Topics with no resource and no item anywhere beneath them."""
        filled = {m.topic for r in self.resources for m in r.mentions} | {i.topic for i in self.items}
        by_id = self._topics_by_id
        reached: set[str] = set()
        for topic_id in filled:
            while topic_id and topic_id not in reached:
                reached.add(topic_id)
                topic_id = by_id[topic_id].parent if topic_id in by_id else None
        return [t for t in self.topics if t.id not in reached]

    def to_dict(self) -> dict:
        resources = []
        for r in self.resources:
            record = asdict(r)
            record.update(topics=r.topics, done=r.done, title=r.title)
            resources.append(record)
        return {
            "title": self.title,
            "source": self.source,
            "topics": [asdict(t) for t in self.topics],
            "resources": resources,
            "items": [asdict(i) for i in self.items],
            "ignored": [asdict(i) for i in self.ignored],
            "empty_topics": [t.id for t in self.empty_topics],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Roadmap:
        def resource(record: dict) -> Resource:
            fields = {k: record[k] for k in ("id", "url", "kind", "source", "attrs")}
            return Resource(**fields, mentions=[Mention(**m) for m in record["mentions"]])

        return cls(
            title=data["title"],
            source=data["source"],
            topics=[Topic(**t) for t in data["topics"]],
            resources=[resource(r) for r in data["resources"]],
            items=[Item(**i) for i in data["items"]],
            ignored=[IgnoredLink(**i) for i in data["ignored"]],
        )


def slugify(text: str) -> str:
    """A URL- and file-safe slug that keeps CJK and other letters as they are."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_") or "section"


def github_anchor(text: str) -> str:
    """The fragment GitHub gives a heading, to recognise links to this very document."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def github_anchors(headings: Iterable[str]) -> set[str]:
    """The fragments of all these headings; GitHub numbers a repeated one ``-1``, ``-2``."""
    anchors: set[str] = set()
    for heading in headings:
        anchor = base = github_anchor(heading)
        n = 0
        while anchor in anchors:
            n += 1
            anchor = f"{base}-{n}"
        anchors.add(anchor)
    return anchors


# GitHub-flavoured: CommonMark with raw HTML, plus GFM tables, strikethrough, bare URLs
# and task lists. Its link URLs come percent-encoded; `_Source.as_written` undoes that.
_MD = MarkdownIt("commonmark").enable_many(["table", "strikethrough", "linkify", "tasklist"])
HEADINGS = frozenset({"heading", "lheading"})
LINKS = frozenset({"link", "linkify", "autolink"})
# Inline nodes with inline children.
NESTING = frozenset({"code_inline", "em", "strong", "strikethrough"}) | LINKS
INLINE = frozenset({"text", "text_special", "softbreak", "hardbreak", "html_inline", "image",
                    "todo_checkbox"}) | NESTING
# A code span on one line, or a run of backticks nothing on its line closes.
CODE_SPAN_OR_OPEN_BACKTICKS = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)|(?<!\\)`+")
ESCAPES = re.compile(r"((?:%[0-9A-Fa-f]{2})+)")
# A bare "www." address, which GitHub links too (markdown-it-pyrs links only URLs with a
# scheme): after a space, "(" or an emphasis mark; the punctuation after it is no part of it.
BARE_WWW = re.compile(r"(?<![^\s(*_~])(www\.[\w-]+(?:\.[\w-]+)+(?:[/?#][^\s<>]*)?)", re.I)
TRAILING = ".,:;!?*_~'\"。，、；：！？"


class _Source:
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
            self.text = (self.text + piece).lstrip()[:self.REACH]

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
        self.registry = registry
        self.base_url = base_url
        self.roadmap = Roadmap(title="", source=source)
        self.resources: dict[str, Resource] = {}
        self.topic: Topic | None = None
        self.siblings: dict[str | None, int] = {}
        self.stack: list[Topic] = []
        self.frames: list[_ListFrame] = []
        self.list_items: list[_ListFrame] = []
        self.topics_seen: set[str] = set()

    def parse(self, text: str) -> Roadmap:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # one kind of line end, for counting lines
        text = printable(text)  # a control character is no part of a name or a link text
        _check_nesting(text, self.roadmap.source)
        self.tree, text = _syntax_tree(text)
        self.source = _Source(text)
        self.visit(self.tree.children)
        self.finish_items()
        self.roadmap.resources = list(self.resources.values())
        if not self.roadmap.title:
            self.roadmap.title = Path(self.roadmap.source).stem
        return self.roadmap

    @cached_property
    def anchors(self) -> set[str]:
        """The fragments of this document's headings, which links into it end with."""
        return github_anchors(_plain_text(n.children) for n in self.tree.walk() if n.name in HEADINGS)

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
        name = _plain_text(node.children).strip() or "Untitled"
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
        topic = Topic(topic_id, name, level, parent.id if parent else None, order, path,
                      self.source.line(node))
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
        for name, node in _in_token_order(nodes):
            if name == "text" or name == "text_special":
                content = node.meta["content"]
                if link is not None:
                    link.text.append(content)
                    link.words = link.words or bool(content.strip())
                    continue
                if name == "text" and "www." in content.lower():
                    linked = self.read_bare_addresses(content, node, line_start, frame) or linked
                else:
                    line_start.add(content)
                plain.append(content)
                continue
            if name == "html_inline":  # an <a> tag opens or closes a link as Markdown's do
                content = node.meta["content"]
                if link is not None and content.lower().startswith("</a"):
                    name = "link_close"
                elif (html_href := _html_href(content)) is not None:
                    name = "html_link"
            if name == "link_close":
                if link is not None:
                    link_text = self.close_link(link)
                    plain.append(link_text)
                    line_start.add(link_text)
                    link = None
            elif name in LINKS or name == "html_link":
                linked = True
                href = html_href if name == "html_link" else self.written_url(node)
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
                alt = _plain_text(node.children)
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

    def read_bare_addresses(self, text: str, node: Node, line_start: _LineStart, frame: _ListFrame | None) -> bool:
        """Link the bare "www." addresses in a text node, as GitHub does; True if there were any."""
        pieces = BARE_WWW.split(text)
        for n, piece in enumerate(pieces):
            if n % 2:
                url = _trim_bare(piece)
                self.add_link(f"http://{url}", url, self.source.line(node), _is_done(line_start, frame))
            line_start.add(piece)
        return len(pieces) > 1

    def written_url(self, node: Node) -> str:
        """The URL of a link or image node as the roadmap writes it (see `_Source.as_written`)."""
        url = node.meta["url"]
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
        identity, reason = self.identify(href)
        if identity is None:
            self.ignore(href, text, line, reason)
            return
        resource = self.resources.get(identity.id)
        if resource is None:
            resource = Resource(identity.id, identity.url, identity.kind, identity.source,
                                dict(identity.attrs))
            self.resources[identity.id] = resource
        resource.mentions.append(Mention(self.topic_id, text, line, href, done, dict(identity.attrs)))

    def identify(self, href: str) -> tuple[Identity | None, str]:
        """The identity of a link (resolved against the base URL), or None and why the link
        is no resource."""
        if not href:
            return None, "empty link"
        if href.startswith("#"):
            return None, "in-page anchor"
        try:
            parts = split_url(urljoin(self.base_url, href) if self.base_url else href)
        except ValueError:
            return None, "malformed URL"
        if parts.scheme in IGNORED_SCHEMES:
            return None, IGNORED_SCHEMES[parts.scheme]
        if not parts.scheme and not parts.netloc and not self.base_url:
            return None, "relative link (give --base-url to resolve it)"
        identity = self.registry.identify(parts)
        if identity is None:
            return None, f"unsupported scheme {parts.scheme or '?'}"
        if parts.fragment and self.points_at_this_document(href, parts.fragment, identity):
            return None, "in-page anchor"
        return identity, ""

    def points_at_this_document(self, href: str, fragment: str, identity: Identity) -> bool:
        """True for an absolute link back into this roadmap, as tables of contents write them:
        to the base URL, or to a heading of a GitHub repository's README."""
        if self.base_url and urldefrag(href).url.rstrip("/") == urldefrag(self.base_url).url.rstrip("/"):
            return True
        path = identity.attrs.get("path", "")
        if identity.source != "github" or (path and not path.lower().endswith("readme.md")):
            return False
        fragment = unquote(fragment).lower()
        return fragment in self.anchors or fragment.removeprefix("user-content-") in self.anchors

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
                Item(frame.item_id, frame.topic, text, self.source.line(frame.node), kind,
                     parent.item_id if parent else None)
            )


def _names(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[,，、;]", text) if name.strip()]


def _html_href(tag: str) -> str | None:
    """The href of an HTML ``<a href>`` tag; None for other tags and named anchors (``<a id>``)."""
    if tag[:3].lower() not in ("<a ", "<a\n", "<a\t"):
        return None
    anchor = BeautifulSoup(tag, "html.parser").find("a")
    return anchor.get("href") if anchor else None


def _tag_line(tag, block_line: int) -> int:
    """The source line of a tag inside an HTML block starting on ``block_line``."""
    return block_line + (tag.sourceline or 1) - 1


def _plain_text(nodes: Iterable[Node]) -> str:
    """A heading's words as GitHub shows them: no markup, no image alt texts (badges)."""
    return "".join(node.meta["content"] for name, node in _in_token_order(nodes)
                   if name in ("text", "text_special"))


def _check_nesting(text: str, source: str) -> None:
    """Refuse, before markdown-it-pyrs sees it, a text whose lists or blockquotes may nest
    deeper than MAX_NESTING. A line reaches at most one level per marker it starts with and
    one per two columns of indentation (the least a nested list item needs)."""
    for prefix in CONTAINER_PREFIX.finditer(text):
        if 2 * len(prefix[0]) <= MAX_NESTING:  # a tab, the widest character, is two levels at most
            continue
        markers = CONTAINER_MARKER.findall(prefix[0])
        columns = len(prefix[0].expandtabs(4)) - sum(map(len, markers))
        if len(markers) + columns // 2 > MAX_NESTING:
            line = text.count("\n", 0, prefix.start()) + 1
            raise RoadmapError(f"{source}: line {line} nests lists or blockquotes deeper than "
                               f"the {MAX_NESTING} levels learngraph reads")


def _syntax_tree(text: str) -> tuple[Node, str]:
    """markdown-it-pyrs's tree of ``text``, and the text it was built from.

    markdown-it-pyrs 0.4 panics on a backtick left open inside brackets ("[Andrew Ng`s
    course](...)"). An open backtick is plain text, and so is its entity: on a panic the
    text is read again with the backticks that nothing closes on their line as entities,
    and, failing that, with every backtick as one.
    """
    for escape in (_open_backticks_as_entities, _backticks_as_entities):
        try:
            return _MD.tree(text), text
        except BaseException as error:  # pyo3's PanicException is not an Exception
            if type(error).__name__ != "PanicException":
                raise
        text = escape(text)
    return _MD.tree(text), text


def _open_backticks_as_entities(text: str) -> str:
    return CODE_SPAN_OR_OPEN_BACKTICKS.sub(lambda m: m[0] if m[1] else "&#96;" * len(m[0]), text)


def _backticks_as_entities(text: str) -> str:
    return text.replace("`", "&#96;")


_EXHAUSTED = object()  # what next() gives for a run of nodes read to its end


def _in_token_order(nodes: Iterable[Node]) -> Iterator[tuple[str, Node | None]]:
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


def _is_done(line_start: _LineStart, frame: _ListFrame | None) -> bool:
    """A link is finished when its line starts with a DONE mark or its task box is ticked."""
    return (frame is not None and frame.task_done) or DONE_MARK.match(line_start.text) is not None


def _trim_bare(url: str) -> str:
    """A bare address without the punctuation after it; a ``)`` ends it when unmatched."""
    url = url.rstrip(TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(TRAILING)
    return url


def parse_roadmap(text: str, source: str = "roadmap.md", *, registry: Registry | None = None,
                  base_url: str | None = None) -> Roadmap:
    """Parse Markdown text into a Roadmap. Never raises on malformed Markdown; raises
    RoadmapError, with one line for the user, for lists or blockquotes nested deeper than
    MAX_NESTING."""
    with _collector_paused():
        return _Parser(source, registry or Registry(), base_url).parse(text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a roadmap is read: the model is a dozen objects a
    link, all kept and none in a cycle, which the collector would otherwise walk again and
    again as they pile up. Afterwards they go straight to the oldest generation (freeze,
    then unfreeze), so the collector does not walk them all once more as young objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def read_roadmap(location: str | Path | None, *, registry: Registry | None = None,
                 base_url: str | None = None, max_bytes: int = 10 * 1024 * 1024) -> Roadmap:
    """Read and parse a roadmap file or URL; the embedded roadmap when ``location`` is None.

    Raises RoadmapError with a one-line message for anything a user can get wrong.
    """
    if location is None:
        data, source = embedded_roadmap_bytes(), "nlp-roadmap.md"
    elif str(location).startswith(("http://", "https://")):
        data, source = _fetch(str(location), max_bytes), str(location)
        base_url = base_url or source
    else:
        data, source = _read_file(Path(location), max_bytes), str(location)
    return parse_roadmap(decode_text(data, source), source, registry=registry, base_url=base_url)


def embedded_roadmap_bytes() -> bytes:
    from importlib.resources import files

    return files(__package__).joinpath("data", "nlp-roadmap.md").read_bytes()


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise RoadmapError(f"{path}: is a directory, not a Markdown file")
        if size > max_bytes:
            raise RoadmapError(
                f"{path}: {size / 2**20:.1f} MiB is more than the {max_bytes / 2**20:.0f} MiB "
                "a roadmap may have (raise ROADMAP_MAX_BYTES to read it)"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise RoadmapError(f"{path}: no such file") from None
    except PermissionError:
        raise RoadmapError(f"{path}: permission denied") from None


def _fetch(url: str, max_bytes: int) -> bytes:
    from urllib.request import Request, urlopen

    try:
        with urlopen(Request(url, headers={"User-Agent": "learngraph"}), timeout=30) as response:
            data = response.read(max_bytes + 1)
    except OSError as error:
        raise RoadmapError(f"{url}: cannot fetch the roadmap ({error})") from None
    if len(data) > max_bytes:
        raise RoadmapError(f"{url}: more than the {max_bytes / 2**20:.0f} MiB a roadmap may have")
    return data


# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, source: str) -> str:
    """UTF-16 or UTF-32 when a BOM says so; UTF-8 first (with or without BOM); otherwise
    the detected charset (GBK, Big5, ...)."""
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise RoadmapError(f"{source}: starts with a {encoding.upper()} mark but is not "
                                   f"{encoding.upper()} text") from None
    if b"\x00" in data[:8192]:
        raise RoadmapError(f"{source}: a binary file, not Markdown text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise RoadmapError(f"{source}: not text in any encoding learngraph knows")
    # A short CJK text decodes cleanly as GBK, Big5 and EUC-JP alike; of equally clean
    # readings take GB18030 (a superset of GBK), the legacy encoding Chinese roadmaps use.
    tied = [m for m in matches if m.chaos <= best.chaos]
    return str(next((m for m in tied if m.encoding == "gb18030"), best))
