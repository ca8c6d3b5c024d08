"""The HTML report: one self-contained page with the topic tree, an interactive graph,
study plans, plots, gaps and the last run's changes.

``report_data`` gathers everything the page shows from the graph (pure, so tests read
the numbers directly); ``render_report`` puts it into the packaged template with
cytoscape.js inlined, so the file opens offline and fetches nothing. Crawled text only
ever reaches the page as JSON that the page's script inserts with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import networkx as nx

from learngraph.crawler.files import atomic_write

from .queries import gaps, plan, topic_resources

# What a resource row shows; anything else stays in graph.json.
RESOURCE_FIELDS = (
    "title",
    "kind",
    "status",
    "done",
    "duration",
    "reading_time",
    "stars",
    "pushed_at",
    "archived",
    "error",
    "http_status",
)
CHANGE_FIELDS = ("kind", "id", "title", "before", "after")
PLAN_FIELDS = ("resources", "video_time", "reading_time", "study_time", "papers", "unknown_length")
ASSETS = files("learngraph.graph") / "report_assets"
REPORT_FILENAME = "report.html"
# Where scheduled runs keep each run's change list: <output>/runs/<timestamp>/changes.json.
RUNS_FOLDER = "runs"
PLACEHOLDER = re.compile(r"/\*(STYLE|LIBRARY|SCRIPT|DATA|POLICY)\*/")
# Inline code the page runs: <style> and <script> elements, JSON data blocks aside.
INLINE_CODE = re.compile(r'<(style|script)\b(?![^>]*type="application/json")[^>]*>(.*?)</\1>', re.S)
# Nothing but the page's own inline code, each piece allowed by its hash: no other
# script, style, form target, base URL or plugin, whatever a title holds; and no connection
# but to the server of the page, the API of `learngraph serve` (none opened from a file).
POLICY = (
    "default-src 'none'; script-src {script}; style-src {style}; img-src data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
LINK_SCHEMES = ("http://", "https://")


def report_data(
    G: nx.MultiDiGraph, changes: list[dict] = (), *, generated_at: str | None = None, plans: bool = True
) -> dict:
    """Everything the report shows, as JSON-ready data.

    ``plans`` holds ``queries.plan`` (default speed, one pass) for every topic, so a click
    in the page needs no computation; ``changes`` is the last run's change list. Without
    ``plans`` (a page `learngraph serve` sends, whose plans come from its API) it is empty:
    a plan per topic of a large graph would take hours.

    Examples
    --------
    >>> from learngraph.crawler.roadmap import parse_roadmap
    >>> from learngraph.graph.build import build_graph
    >>> data = report_data(build_graph(parse_roadmap("# R\\n## A\\n[a](https://a.org)\\n")))
    >>> [t["name"] for t in data["topics"]], data["plans"]["r/a"]["resources"]
    (['R', 'A'], 1)
    """
    topics = sorted(
        (n for n, d in G.nodes(data=True) if d["type"] == "topic"), key=lambda t: G.nodes[t]["index"]
    )
    listed = {t: topic_resources(G, t) for t in topics}
    resources = {r: _resource(G.nodes[r]) for rs in listed.values() for r in rs}
    times = {t: sum(_length(resources[r]) for r in rs) for t, rs in listed.items()}
    statuses = [r["status"] for r in resources.values()]
    return {
        "title": G.graph.get("title", ""),
        "source": G.graph.get("source", ""),
        "generated_at": generated_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "topics": [_topic(G, t, listed[t], times[t]) for t in topics],
        "resources": resources,
        "edges": [
            {"from": u, "to": v, "basis": d["basis"]}
            for u, v, k, d in G.edges(keys=True, data=True)
            if k == "prerequisite"
        ],
        "plans": {t: _plan(G, t) for t in topics} if plans else {},
        "plots": {
            "study_time": [[G.nodes[t]["name"], times[t]] for t in topics if times[t]],
            "kinds": Counter(r["kind"] for r in resources.values()).most_common(),
            "statuses": Counter(statuses).most_common(),
        },
        "gaps": gaps(G),
        "suggestions": [_suggestion(G, n) for n, d in G.nodes(data=True) if d["type"] == "suggestion"],
        "changes": list(changes),
    }


def _suggestion(G: nx.MultiDiGraph, paper: str) -> dict:
    """A paper the roadmap is missing, with the topic it belongs under and how many of the
    roadmap's papers cite it, or that the search found it for that topic."""
    data = G.nodes[paper]
    topics = [v for _, v, k in G.out_edges(paper, keys=True) if k == "suggested_for"]
    why = {"found": True} if "found_for" in data else {"cited_by": len(data["cited_by"])}
    return {
        "id": paper,
        "title": data["title"],
        "url": _link(data["url"]),
        "topic": topics[0] if topics else None,
        **why,
    }


def _topic(G: nx.MultiDiGraph, topic: str, resources: list[str], time: float) -> dict:
    parents = [v for _, v, k in G.out_edges(topic, keys=True) if k == "subtopic_of"]
    data = G.nodes[topic]
    return {
        "id": topic,
        "name": data["name"],
        "level": data["level"],
        "parent": parents[0] if parents else None,
        "resources": resources,
        "time": time,
    }


def _resource(data: dict) -> dict:
    return {"url": _link(data["url"]), **{k: data[k] for k in RESOURCE_FIELDS if k in data}}


def _link(url) -> str | None:
    """``url`` if a page may link to it: a roadmap could hold a javascript: link."""
    return url if isinstance(url, str) and url.lower().startswith(LINK_SCHEMES) else None


def _length(resource: dict) -> float:
    """Seconds to study a resource once: its video length or reading time."""
    return resource.get("duration", 0) + resource.get("reading_time", 0)


def _plan(G: nx.MultiDiGraph, topic: str) -> dict:
    result = plan(G, topic)
    steps = [
        {**step, "time": sum(_length(G.nodes[r]) for r in step["resources"])} for step in result["steps"]
    ]
    return {"steps": steps, **{k: result[k] for k in PLAN_FIELDS}}


def read_changes(runs_dir) -> list[dict]:
    """The change list of the latest run under ``runs_dir`` (``<timestamp>/changes.json``).

    Tolerant of the format: a list of changes, or ``{"previous": ..., "changes": [...]}``
    as scheduled runs write it; each change keeps ``kind``, ``id``, ``url``, ``title``,
    ``before`` and ``after``. No run, a first run (nothing to compare with) or an unreadable
    file gives an empty list: the report then has no change section.
    """
    runs = sorted(Path(runs_dir).glob("*/changes.json")) if Path(runs_dir).is_dir() else []
    if not runs:
        return []
    try:
        found = json.loads(runs[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if isinstance(found, dict):
        found = found.get("changes", []) if found.get("previous", True) else []
    if not isinstance(found, list):
        return []
    return [
        {**{k: change[k] for k in CHANGE_FIELDS if k in change}, "url": _link(change.get("url"))}
        for change in found
        if isinstance(change, dict)
    ]


def script_json(data) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>`` or ``&`` left to end it."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_report(data: dict) -> str:
    """The report page: the template with its style, cytoscape.js, script and data inlined."""
    parts = {
        "STYLE": (ASSETS / "report.css").read_text(encoding="utf-8"),
        "LIBRARY": (ASSETS / "cytoscape.min.js").read_text(encoding="utf-8"),
        "SCRIPT": (ASSETS / "report.js").read_text(encoding="utf-8"),
        "DATA": script_json(data),
    }
    template = (ASSETS / "report.html").read_text(encoding="utf-8")
    code = {**parts, "DATA": "", "POLICY": ""}
    parts["POLICY"] = content_security_policy(PLACEHOLDER.sub(lambda m: code[m.group(1)], template))
    # One pass, so nothing inserted is ever read as a placeholder.
    return PLACEHOLDER.sub(lambda match: parts[match.group(1)], template)


def content_security_policy(page: str) -> str:
    """The policy that allows exactly the inline scripts and styles of ``page``, by their
    SHA-256 hashes."""
    hashes = {"script": [], "style": []}
    for element, text in INLINE_CODE.findall(page):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        hashes[element].append(f"'sha256-{digest}'")
    return POLICY.format(**{element: " ".join(found) or "'none'" for element, found in hashes.items()})


def write_report(G: nx.MultiDiGraph, out_dir, path=None) -> Path:
    """Write the report of ``G`` to ``path`` (default: report.html in ``out_dir``), with the
    change list of the latest run kept in ``out_dir``."""
    out_dir = Path(out_dir)
    path = Path(path or out_dir / REPORT_FILENAME)
    with atomic_write(path) as file:
        file.write(render_report(report_data(G, read_changes(out_dir / RUNS_FOLDER))))
    return path
