"""A Markdown learning roadmap read into topics (the heading tree), resources (every link,
by its canonical identity) and items (list entries that link nowhere: questions, notes)."""

from .walker import (
    MAX_NESTING,
    IgnoredLink,
    Item,
    Mention,
    Resource,
    Roadmap,
    RoadmapError,
    Topic,
    embedded_roadmap_bytes,
    parse_roadmap,
    read_roadmap,
)

__all__ = [
    "MAX_NESTING",
    "IgnoredLink",
    "Item",
    "Mention",
    "Resource",
    "Roadmap",
    "RoadmapError",
    "Topic",
    "embedded_roadmap_bytes",
    "parse_roadmap",
    "read_roadmap",
]
