"""What a roadmap's sections are: which have something to study, which are asides (tips,
contents, interview questions, companies, shelves of a catalogue) and never prerequisites,
which the roadmap says are studied in order, and which gather what fits no step of an
order (see graph/prerequisites.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from .aliases import NUMBERING

if TYPE_CHECKING:  # only for the types: graph queries need no Markdown parser
    from ..crawler.roadmap import Roadmap

ROADMAP_SECTION = re.compile(r"roadmap|路线|学习路径|learning path|curriculum|syllabus", re.I)
ORDERED_INTRO = re.compile(
    r"\bin (?:the|this|that|my) order\b|\bin order\b(?! to)|step[- ]by[- ]step"
    r"|\bsequential|按顺序|顺序学习|循序渐进|学习路线|学习路径",
    re.I,
)
# Sections that are about the list, the learner or a job, not a subject to learn first.
NOT_A_SUBJECT = re.compile(
    r"sugges|sugget|\btips?\b|advice|建议|技巧|contents|目录|interview|面经|面试"
    r"|\bquestions\b|\bfaq\b|compan|公司|broken|失效|licen[cs]e|许可|acknowledg"
    r"|致谢|contribut|贡献|sponsor|\bcitation\b|学习方式|study method|research labs?",
    re.I,
)
# A step that gathers what fits nowhere else ("8. New Trends": "topics that didn't fit into
# other categories"): it follows no step before it, nor leads to the next.
CATCH_ALL = re.compile(
    r"^(?:(?:new|latest|recent|current|emerging)\s+(?:trends|developments|topics)|trends|misc\w*"
    r"|others?(?:\s+topics)?|extras?|bonus(?:\s+topics)?|odds and ends|further topics"
    r"|其他|其它|杂项|前沿(?:进展|趋势)?)\W*$",
    re.I,
)
# A heading that only names kinds of resource ("Libraries", "Data, Corpora and Treebanks"):
# a shelf of a catalogue, not something to learn before something else.
CATALOGUE = re.compile(
    r"^\W*(?:(?:librar(?:y|ies)|tool(?:s|ing)?|datasets?|data|corpora|treebanks|services"
    r"|books|videos|(?:online )?courses|tutorials|blogs|papers|articles|resources|links"
    r"|frameworks|software|anthology|implementations|code|notebooks|reading content"
    r"|annotation tools|other)\W*(?:\band\b|&|,)?\W*)+$",
    re.I,
)


def covers(G: nx.MultiDiGraph):
    """(resource, topic) for each resource listed under a topic."""
    return ((u, v) for u, v, k in G.edges(keys=True) if k == "covers" and G.nodes[u]["type"] == "resource")


def lineages(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each topic with the headings above it."""
    topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
    # From the topics' own edges: a walk over every edge of the graph takes four times longer.
    succ = G.succ
    parent = {u: v for u in topics for v, keys in succ[u].items() if "subtopic_of" in keys}
    lineages = {}
    for topic in topics:
        line = lineages[topic] = {topic}
        while topic in parent:
            topic = parent[topic]
            line.add(topic)
    return lineages


def studied_topics(G: nx.MultiDiGraph, covered: Iterable[tuple[str, str]] | None = None) -> set[str]:
    """Topics with something to study: a resource listed under them or a subsection.
    ``covered`` is ``covers(G)`` when the caller has listed it already."""
    lineage = lineages(G)
    pairs = covers(G) if covered is None else covered
    return {a for _, topic in pairs for a in lineage[topic]}


def subjects_of_study(G: nx.MultiDiGraph, studied: set[str]) -> set[str]:
    """Topics that may be prerequisites: the ``studied`` ones (``studied_topics``) with no
    tips, contents, interview questions or companies in their name or their sections' names."""
    lineage = lineages(G)
    return {t for t in studied if not in_aside(G, lineage[t])}


def is_aside(G: nx.MultiDiGraph, topic: str) -> bool:
    """True for a topic in a section that is no subject of study (tips, interview questions...)."""
    return in_aside(G, lineages(G)[topic])


def in_aside(G: nx.MultiDiGraph, lineage: set[str]) -> bool:
    """True for a topic in a section that is no subject of study."""
    return any(
        NOT_A_SUBJECT.search(name) or CATALOGUE.match(name) for name in (G.nodes[t]["name"] for t in lineage)
    )


def is_catch_all(name: str) -> bool:
    """True for a step of a sequence that gathers what fits nowhere else: no step of it."""
    return bool(CATCH_ALL.match(NUMBERING.sub("", name).strip()))


def is_ordered(topic, by_id: dict) -> bool:
    """Whether the roadmap says the subsections of ``topic`` are to be studied in order."""
    numbered = sum(bool(NUMBERING.match(by_id[c].name)) for c in topic.children)
    return bool(
        topic.ordered
        or ROADMAP_SECTION.search(topic.name)
        or numbered >= 2
        or ORDERED_INTRO.search(topic.description)
    )


def ordered_sections(roadmap: Roadmap) -> set[str]:
    """The sections whose own subsections the roadmap says are studied in order."""
    by_id = {t.id: t for t in roadmap.topics}
    return {t.id for t in roadmap.topics if is_ordered(t, by_id)}
