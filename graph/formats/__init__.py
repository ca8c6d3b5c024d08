"""The graph in the formats other tools read: one module per format, each with a
``write_x`` / ``read_x`` pair, and the registry ``FORMATS`` of them all.

Every file is written atomically: to a temporary file beside it, then renamed, so a reader
never sees half a graph (``learngraph.crawler.files.atomic_write``); and every file is valid
whatever the graph holds (``printable``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from .cytoscape import read_cytoscape, write_cytoscape
from .gexf import read_gexf, write_gexf
from .graphml import read_graphml, write_graphml
from .jsonld import read_jsonld, write_jsonld
from .mermaid import read_mermaid, write_mermaid
from .neo4j import read_neo4j, write_neo4j
from .node_link import read_json, write_json
from .obsidian import read_obsidian, write_obsidian
from .turtle import read_turtle, write_turtle


@dataclass(frozen=True)
class Format:
    write: Callable[[nx.MultiDiGraph, Path], None]
    read: Callable[[Path], object]
    filename: str
    # A folder of files rather than one file.
    folder: bool = False


FORMATS = {
    "json": Format(write_json, read_json, "graph.json"),
    "graphml": Format(write_graphml, read_graphml, "graph.graphml"),
    "jsonld": Format(write_jsonld, read_jsonld, "graph.jsonld"),
    "gexf": Format(write_gexf, read_gexf, "graph.gexf"),
    "cytoscape": Format(write_cytoscape, read_cytoscape, "graph.cyjs"),
    "neo4j": Format(write_neo4j, read_neo4j, "neo4j", folder=True),
    "turtle": Format(write_turtle, read_turtle, "graph.ttl"),
    "obsidian": Format(write_obsidian, read_obsidian, "obsidian", folder=True),
    "mermaid": Format(write_mermaid, read_mermaid, "graph.mmd"),
}
