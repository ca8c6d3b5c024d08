"""RDF Turtle, for triple stores and SPARQL: the JSON-LD export converted by rdflib, so
that the two always hold the same triples."""

from __future__ import annotations

import networkx as nx

from learngraph.crawler.files import atomic_write

from .jsonld import SCHEMA, VOCABULARY, jsonld_data
from .printable import json_text


def turtle_text(G: nx.MultiDiGraph) -> str:
    # Imported here: the query commands, which never write Turtle, need not load rdflib.
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    graph.parse(data=json_text(jsonld_data(G)), format="json-ld")
    graph.bind("schema", SCHEMA)
    graph.bind("learngraph", VOCABULARY)
    return graph.serialize(format="turtle")


def write_turtle(G: nx.MultiDiGraph, path) -> None:
    text = turtle_text(G)
    with atomic_write(path) as file:
        file.write(text)


def read_turtle(path):
    """The triples, as an ``rdflib.Graph``."""
    import rdflib

    return rdflib.Graph().parse(path, format="turtle")
