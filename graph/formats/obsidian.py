"""An Obsidian vault: one Markdown note per topic, linked to its prerequisites, what it
unlocks, its parent and subtopics by ``[[wikilinks]]``, with its resources as links and
their facts; and an index note of the topic tree.

A note is named after its topic, cleaned into a file name that Windows, macOS, Linux and
Obsidian's links all accept, and unique even where the file system ignores case; every
link names its note exactly so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from learngraph.crawler.files import atomic_write
from learngraph.crawler.text import one_line

from ..queries import is_finished, topic_resources
from ..units import compact_count, compact_time
from .printable import printable_data

INDEX_NOTE = "Index"
# What marks a note as this export's: a note without it is the user's and stays.
TOPIC_TAG = "learngraph/topic"
SUFFIX = ".md"
# Refused in a file name on some system (/ \ : * ? " < > | and controls) or in a link by
# Obsidian (# ^ [ ] |).
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#^\[\]]+')
# Device names Windows refuses, with any extension.
RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.I)
# File systems allow 255 bytes; room is left for a number that tells names apart.
NAME_BYTES = 120
# What Markdown or Obsidian would read as markup in text: emphasis, links, tags, math,
# highlights, comments, HTML and entities.
MARKUP = re.compile(r"([\\`*_\[\]<>#|!~$%=^&])")
WIKILINK = re.compile(r"\[\[([^\[\]|]+)\]\]")
# Obsidian reads [[...]] in a property as a link: an alias keeps single brackets only.
DOUBLE_BRACKET = re.compile(r"\[(?=\[)|\](?=\])")
# A resource line: "- [title](<url>) — facts".
RESOURCE_LINK = re.compile(r"^- \[(?:\\.|[^\\\]])*\]\(<([^<>\n]*)>\)", re.M)
SECTION = re.compile(r"^## (.+)\n((?:(?!## ).*\n?)*)", re.M)


def note_name(text: str) -> str:
    """``text`` as a file name every system and Obsidian accept.

    >>> note_name("C/C++: pointers?"), note_name("CON"), note_name("..")
    ('C C++ pointers', '_CON', 'Topic')
    """
    name = unicodedata.normalize("NFC", UNSAFE.sub(" ", one_line(text)[0]))
    name = " ".join(name.split())
    name = name.encode()[:NAME_BYTES].decode(errors="ignore")
    # Windows drops trailing dots and spaces; a leading dot hides a file.
    name = name.strip(". ")
    if RESERVED.fullmatch(name):
        name = "_" + name
    return name or "Topic"


def note_names(G: nx.MultiDiGraph, topics: list[str]) -> dict[str, str]:
    """Each topic's note name: its cleaned name, numbered where another note took it
    already (compared as case-insensitive file systems compare names)."""
    taken = {INDEX_NOTE.casefold()}
    names = {}
    for topic in topics:
        base = name = note_name(G.nodes[topic]["name"])
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"{base} {number}"
        taken.add(name.casefold())
        names[topic] = name
    return names


def markdown_text(text: str) -> str:
    """``text`` on one line, read by Markdown and Obsidian as the same plain text.

    >>> markdown_text("a *b* [c] #tag $x$")
    'a \\\\*b\\\\* \\\\[c\\\\] \\\\#tag \\\\$x\\\\$'
    """
    return MARKUP.sub(r"\\\1", " ".join(one_line(text)[0].split()))


def resource_facts(data: dict) -> list[str]:
    """What a learner weighs a resource by: kind, length, stars, year, status."""
    facts = [data["kind"]]
    if "duration" in data:
        facts.append(f"⏱ {compact_time(data['duration'])}")
    elif "reading_time" in data:
        facts.append(f"{compact_time(data['reading_time'])} read")
    if "stars" in data:
        facts.append(f"★ {compact_count(data['stars'])}")
    year = str(data.get("published") or data.get("created") or "")[:4]
    if year.isdigit():
        facts.append(year)
    facts.append(data["status"])
    if data.get("archived"):
        facts.append("archived")
    if data.get("done"):
        facts.append("done")
    return facts


def _link(url: str) -> str:
    """``url`` as a link destination: in angle brackets, which allow spaces and parentheses."""
    return "<" + "".join(one_line(url)[0].split()).replace("<", "%3C").replace(">", "%3E") + ">"


def _topic_note(G: nx.MultiDiGraph, topic: str, names: dict[str, str]) -> str:
    import yaml  # here: the query commands need no YAML

    data = G.nodes[topic]
    edges = [(u, v, k, d) for u, v, k, d in G.in_edges(topic, keys=True, data=True)]
    edges += [(u, v, k, d) for u, v, k, d in G.out_edges(topic, keys=True, data=True)]
    parents = [v for u, v, k, _ in edges if k == "subtopic_of" and u == topic]
    children = sorted(
        (u for u, v, k, _ in edges if k == "subtopic_of" and v == topic), key=lambda t: G.nodes[t]["index"]
    )
    needs = [(u, d["basis"]) for u, v, k, d in edges if k == "prerequisite" and v == topic]
    unlocks = [(v, d["basis"]) for u, v, k, d in edges if k == "prerequisite" and u == topic]
    resources = topic_resources(G, topic)
    seconds = sum(G.nodes[r].get("duration", 0) + G.nodes[r].get("reading_time", 0) for r in resources)
    front = {
        "id": topic,
        "aliases": [DOUBLE_BRACKET.sub("", a) for a in (data["name"], *data.get("aliases", ()))],
        "tags": [
            TOPIC_TAG,
            *(["learngraph/finished"] if resources and is_finished(G, topic) else []),
        ],
        **({"study_time": compact_time(seconds)} if seconds else {}),
        "study_seconds": round(seconds),
    }
    front = yaml.safe_dump(printable_data(front), allow_unicode=True, sort_keys=False, width=2**16)
    lines = ["---", front.rstrip(), "---"]
    lines.append(f"# {markdown_text(data['name'])}")
    if data.get("description"):
        lines += ["", markdown_text(data["description"])]
    if parents:
        lines += ["", "Part of " + ", ".join(f"[[{names[p]}]]" for p in parents)]
    if children:
        lines += ["", "Subtopics: " + ", ".join(f"[[{names[c]}]]" for c in children)]
    for heading, linked in (("Prerequisites", needs), ("Unlocks", unlocks)):
        if linked:
            lines += ["", f"## {heading}", *(f"- [[{names[t]}]] (basis: {basis})" for t, basis in linked)]
    if resources:
        lines += ["", "## Resources"]
        for r in resources:
            resource = G.nodes[r]
            title = markdown_text(resource.get("title") or resource["url"]) or "link"
            lines.append(f"- [{title}]({_link(resource['url'])}) — " + " · ".join(resource_facts(resource)))
    return "\n".join(lines) + "\n"


def _index_note(G: nx.MultiDiGraph, topics: list[str], names: dict[str, str]) -> str:
    lines = [f"# {markdown_text(G.graph.get('title') or 'Roadmap')}", ""]
    top = min((G.nodes[t]["level"] for t in topics), default=1)
    lines += [f"{'  ' * (G.nodes[t]['level'] - top)}- [[{names[t]}]]" for t in topics]
    return "\n".join(lines) + "\n"


def write_obsidian(G: nx.MultiDiGraph, directory) -> None:
    """The notes, into ``directory``; the notes an earlier export wrote for topics that are
    gone or renamed are removed, and notes of the user's own are left alone."""
    directory = Path(directory)
    earlier = set(_topic_notes(directory)) if directory.is_dir() else set()
    topics = sorted(
        (n for n, d in G.nodes(data=True) if d["type"] == "topic"), key=lambda t: G.nodes[t]["index"]
    )
    names = note_names(G, topics)
    for topic in topics:
        with atomic_write(directory / (names[topic] + SUFFIX)) as file:
            file.write(_topic_note(G, topic, names))
    with atomic_write(directory / (INDEX_NOTE + SUFFIX)) as file:
        file.write(_index_note(G, topics, names))
    for name in earlier - set(names.values()):
        (directory / (name + SUFFIX)).unlink()


def _topic_notes(directory) -> dict[str, tuple[dict, str]]:
    """The topic notes in ``directory`` by name, each as its front matter and body: the
    notes with the topic tag, which only this export writes."""
    import yaml

    notes = {}
    for path in Path(directory).glob("*" + SUFFIX):
        text = path.read_text(encoding="utf-8", errors="replace")
        front, separator, body = text.removeprefix("---\n").partition("\n---\n")
        try:
            data = yaml.safe_load(front) if text.startswith("---\n") and separator else None
        except yaml.YAMLError:
            continue
        tags = data.get("tags") if isinstance(data, dict) else None
        if isinstance(tags, list) and TOPIC_TAG in tags and "id" in data:
            notes[path.stem] = (data, body)
    return notes


@dataclass
class Vault:
    """What a vault's notes say: the topic of each note, the prerequisite pairs
    (before, after) and each topic's resource URLs in order."""

    topics: dict[str, str] = field(default_factory=dict)
    prerequisites: set[tuple[str, str]] = field(default_factory=set)
    resources: dict[str, list[str]] = field(default_factory=dict)


def read_obsidian(directory) -> Vault:
    notes = _topic_notes(directory)
    vault = Vault()
    vault.topics = {front["id"]: name for name, (front, _) in notes.items()}
    for front, body in notes.values():
        sections = {m.group(1): m.group(2) for m in SECTION.finditer(body)}
        for name in WIKILINK.findall(sections.get("Prerequisites", "")):
            vault.prerequisites.add((notes[name][0]["id"], front["id"]))
        vault.resources[front["id"]] = RESOURCE_LINK.findall(sections.get("Resources", ""))
    return vault
