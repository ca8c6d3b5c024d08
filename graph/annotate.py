"""The roadmap written back with what the graph knows: each resource's facts after its
links (``⏱ 1h 28m``, ``★ 128k``, ``📄 2023``, ``archived``, ``dead: 404``) and each
section's study time after its heading, in a form a reader takes in at a glance.

Where annotations go and how they are found again is the parser's business
(``crawler/roadmap/annotations.py``); this module says what they say.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import networkx as nx

from learngraph.crawler.records import is_dead
from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.roadmap.annotations import annotation_places, with_annotations, without_annotations
from learngraph.crawler.sources import Registry

from .queries import reading_estimate
from .sections import covers, lineages
from .units import compact_count, compact_time

# What an annotation can tell, in the order it tells it; all of them unless asked otherwise.
FACTS = {
    "duration": "a video's or playlist's running time",
    "reading": "an article's reading time, or a paper's estimated from its pages",
    "stars": "a repository's stars",
    "year": "the year it was published",
    "status": "archived, or dead with the answer its site gave",
    "study": "a section's study time, after its heading",
}
YEAR = re.compile(r"\d{4}(?=-|$)")


def annotated_roadmap(
    text: str,
    G: nx.MultiDiGraph,
    facts=tuple(FACTS),
    *,
    source: str = "roadmap.md",
    registry: Registry | None = None,
    base_url: str | None = None,
) -> str:
    """``text``, a roadmap, with the ``facts`` the graph ``G`` has about its resources and
    sections; annotations already there are replaced, so that annotating twice changes
    nothing. Links to resources the graph lacks, or knows nothing of, stay as they are.

    Examples
    --------
    >>> from learngraph.graph.build import build_graph
    >>> roadmap = "# R\\n\\n- [Intro](https://youtu.be/aircAruvnKk)\\n"
    >>> G = build_graph(parse_roadmap(roadmap), [{"id": "youtube:aircAruvnKk", "duration": 1140}])
    >>> print(annotated_roadmap(roadmap, G), end="")
    # R
    <!-- learngraph -->⏱ 19m to study<!-- /learngraph -->
    <BLANKLINE>
    - [Intro](https://youtu.be/aircAruvnKk)<!-- learngraph --> (⏱ 19m)<!-- /learngraph -->
    """
    text = without_annotations(text, source)
    roadmap = parse_roadmap(text, source, registry=registry, base_url=base_url)
    study = section_times(G) if "study" in facts else {}
    notes = {}
    for place in annotation_places(text, roadmap, source):
        if place.kind == "resource" and G.nodes.get(place.id, {}).get("type") == "resource":
            shown = resource_facts(G.nodes[place.id], facts)
            note = f"({' · '.join(shown)})" if shown else ""
        else:
            note = study_note(*study[place.id]) if place.id in study else ""
        if note:
            notes[place] = note
    return with_annotations(text, notes)


def resource_facts(data: dict, facts=tuple(FACTS)) -> list[str]:
    """What a resource's annotation says, fact by fact; nothing for what is not known.

    >>> resource_facts({"duration": 5280, "stars": 128_400, "published": "2023-05-01"})
    ['⏱ 1h 28m', '★ 128k', '📄 2023']
    >>> resource_facts({"status": "not_found", "http_status": 404, "archived": True})
    ['dead: 404']
    """
    shown = []
    if "duration" in facts and _is_seconds(data.get("duration")):
        shown.append(f"⏱ {compact_time(data['duration'])}")
    if "reading" in facts and (seconds := reading_seconds(data)):
        shown.append(f"📖 {compact_time(seconds)}")
    if "stars" in facts and isinstance(data.get("stars"), int) and not isinstance(data["stars"], bool):
        shown.append(f"★ {compact_count(data['stars'])}")
    if "year" in facts and isinstance(data.get("published"), str) and (year := YEAR.match(data["published"])):
        shown.append(f"📄 {year[0]}")
    if "status" in facts and is_dead(data.get("status")):
        answer = data.get("http_status")
        shown.append(f"dead: {answer if isinstance(answer, int) else data['status'].replace('_', ' ')}")
    elif "status" in facts and data.get("archived") is True:
        shown.append("archived")
    return shown


def reading_seconds(data: dict) -> float | None:
    """A resource's reading time: measured on its text, else estimated from its pages."""
    if _is_seconds(data.get("reading_time")):
        return data["reading_time"]
    estimate = reading_estimate(data)
    return estimate["seconds"] if estimate else None


def section_times(G: nx.MultiDiGraph) -> dict[str, tuple[float, int]]:
    """Each section's study time: the seconds to watch or read once everything listed under
    it and its subsections, and how many of those have no known length. Prerequisites
    listed elsewhere are left out: their own headings tell their time."""
    lineage = lineages(G)
    listed: dict[str, set[str]] = defaultdict(set)
    for resource, topic in covers(G):
        for section in lineage[topic]:
            listed[section].add(resource)
    times = {}
    for section, resources in listed.items():
        lengths = [study_seconds(G.nodes[r]) for r in resources]
        times[section] = (sum(s for s in lengths if s), sum(not s for s in lengths))
    return times


def study_seconds(data: dict) -> float | None:
    """Seconds to study a resource once: its running time and reading time, if either is known."""
    seconds = [s for s in (data.get("duration"), reading_seconds(data)) if _is_seconds(s)]
    return sum(seconds) if seconds else None


def study_note(seconds: float, unknown: int) -> str:
    """A section's annotation; nothing while no length under it is known.

    >>> study_note(45_000, 3)
    '⏱ 12h 30m to study · 3 links of unknown length'
    """
    if not seconds:
        return ""
    note = f"⏱ {compact_time(seconds)} to study"
    return note + (f" · {unknown} link{'s' if unknown > 1 else ''} of unknown length" if unknown else "")


def _is_seconds(value) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    )
