"""The node of a page's JSON-LD or microdata that describes the page itself, and how its
values are read: a value can be text, a list, a literal ``{"@value": ...}`` or a node."""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

# A page's main entity: a video, then any kind of article or post, then the rest.
VIDEO_TYPES = ("VideoObject",)
ARTICLE_TYPE = re.compile(r"Article$|Posting$|^Report$|^Recipe$|^LearningResource$|^Course$|^HowTo$")
PAGE_TYPE = re.compile(r"Page$")


def main_entity(tree: HtmlElement, url: str) -> dict:
    """The JSON-LD or microdata node that describes the page itself, or {}; its
    ``@source`` says which syntax it came from."""
    nodes = [(node, "json-ld") for node in json_ld_nodes(tree)]
    if not nodes and tree.find(".//*[@itemscope]") is not None:
        nodes = [(node, "microdata") for node in microdata_nodes(tree, url)]
    ranked = sorted((rank(node), index) for index, (node, _) in enumerate(nodes) if rank(node) is not None)
    if not ranked:
        return {}
    node, syntax = nodes[ranked[0][1]]
    index = {item["@id"]: item for item, _ in nodes if isinstance(item.get("@id"), str)}
    return {**{name: resolved(value, index) for name, value in node.items()}, "@source": syntax}


def resolved(value, index: dict[str, dict]):
    """``value`` with each bare reference (``{"@id": ...}``, as Yoast's ``@graph`` names
    the author) replaced by the node it points to."""
    if isinstance(value, list):
        return [resolved(item, index) for item in value]
    if isinstance(value, dict) and value.keys() == {"@id"}:
        return index.get(value["@id"], value)
    return value


def json_ld_nodes(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD node of the page, ``@graph`` members and ``mainEntity`` included; a
    script that is not valid JSON, or nested too deep to walk, is skipped, as browsers
    and search engines skip it."""
    nodes = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            nodes += flatten([json.loads(script.text or "")])
        except (ValueError, RecursionError):
            continue
    return nodes


def microdata_nodes(tree: HtmlElement, url: str) -> list[dict]:
    """Microdata items in the shape of JSON-LD nodes: ``@type`` and properties."""
    from extruct.w3cmicrodata import MicrodataExtractor

    items = MicrodataExtractor().extract_items(tree, url)
    return list(flatten(as_json_ld(item) for item in items))


def as_json_ld(item):
    if isinstance(item, list):
        return [as_json_ld(value) for value in item]
    if not isinstance(item, dict) or "properties" not in item:
        return item
    properties = {name: as_json_ld(value) for name, value in item["properties"].items()}
    return {"@type": item.get("type"), **properties}


def flatten(nodes):
    for node in nodes:
        if isinstance(node, list):
            yield from flatten(node)
        elif isinstance(node, dict):
            yield node
            yield from flatten(as_list(node.get("@graph")))
            yield from flatten(n for n in as_list(node.get("mainEntity")) if isinstance(n, dict))


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types(node: dict) -> list[str]:
    """A node's schema.org type names, without any ``schema:`` or URL prefix."""
    return [re.split(r"[/:#]", kind)[-1] for kind in as_list(node.get("@type")) if isinstance(kind, str)]


def rank(node: dict) -> int | None:
    """How surely ``node`` is the page itself: videos, then articles, then web pages."""
    kinds = types(node)
    if any(kind in VIDEO_TYPES for kind in kinds):
        return 0
    if any(ARTICLE_TYPE.search(kind) for kind in kinds):
        return 1
    if any(PAGE_TYPE.search(kind) for kind in kinds):
        return 2
    return None


def text(value) -> str | None:
    """A JSON-LD value as text: the first of a list, the ``@value`` of a literal."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def publisher_name(entity: dict):
    publisher = entity.get("publisher")
    publisher = publisher[0] if isinstance(publisher, list) and publisher else publisher
    return publisher.get("name") if isinstance(publisher, dict) else None
