"""A Markdown learning roadmap read into topics (the heading tree), resources (every link,
by its canonical identity) and items (list entries that link nowhere: questions, notes).

- ``model``: the dataclasses a roadmap is made of, and their JSON form
- ``reading``: the embedded roadmap, files and URLs, size limits and encodings
- ``syntax``: markdown-it-pyrs's tree and the source text behind it
- ``walker``: the walk over the tree that builds the model
- ``links``: what a link is, a resource's identity or the reason it is none
- ``annotations``: where `learngraph annotate` writes into a roadmap, and how it finds that again
"""

from .model import IgnoredLink, Item, Mention, Resource, Roadmap, RoadmapError, Topic
from .reading import decode_text, embedded_roadmap_bytes, is_url, read_roadmap, roadmap_bytes
from .syntax import MAX_NESTING
from .walker import parse_roadmap

__all__ = [
    "MAX_NESTING",
    "IgnoredLink",
    "Item",
    "Mention",
    "Resource",
    "Roadmap",
    "RoadmapError",
    "Topic",
    "decode_text",
    "embedded_roadmap_bytes",
    "is_url",
    "parse_roadmap",
    "read_roadmap",
    "roadmap_bytes",
]
