"""A Markdown learning roadmap read into topics (the heading tree), resources (every link,
by its canonical identity) and items (list entries that link nowhere: questions, notes).

- ``model``: the dataclasses a roadmap is made of, and their JSON form
- ``reading``: the embedded roadmap, files and URLs, size limits and encodings
- ``syntax``: markdown-it-pyrs's tree and the source text behind it
- ``walker``: the walk over the tree that builds the model
- ``links``: what a link is, a resource's identity or the reason it is none
"""

from .model import IgnoredLink, Item, Mention, Resource, Roadmap, RoadmapError, Topic
from .reading import embedded_roadmap_bytes, read_roadmap
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
    "embedded_roadmap_bytes",
    "parse_roadmap",
    "read_roadmap",
]
