"""The Turtle export holds the JSON-LD export's triples, with IRIs for every property."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from learngraph.graph.formats import FORMATS, jsonld, turtle

SCHEMA = Namespace("https://schema.org/")
LEARNGRAPH = Namespace("urn:learngraph:vocab:")


def topic(node: str) -> URIRef:
    return URIRef(f"urn:learngraph:topic:{quote(node, safe='/:')}")


@pytest.fixture(scope="module")
def exported(embedded_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rdf")
    jsonld.write_jsonld(embedded_graph, folder / "graph.jsonld")
    turtle.write_turtle(embedded_graph, folder / "graph.ttl")
    return folder


def test_turtle_parses_into_the_triples_of_the_jsonld(exported):
    # Parsed offline: the context is in the document, not behind a URL.
    from_jsonld = Graph().parse(exported / "graph.jsonld", format="json-ld")
    from_turtle = FORMATS["turtle"].read(exported / "graph.ttl")
    assert len(from_turtle) > 500
    assert isomorphic(from_jsonld, from_turtle)


def test_every_property_is_a_schema_org_or_learngraph_iri(exported):
    g = turtle.read_turtle(exported / "graph.ttl")
    predicates = set(g.predicates())
    assert predicates - {RDF.type}
    assert all(str(p).startswith((str(SCHEMA), str(LEARNGRAPH))) for p in predicates - {RDF.type})
    assert all(str(t).startswith(str(SCHEMA)) for t in g.objects(None, RDF.type))


def test_topics_resources_and_prerequisites_have_their_predicates(embedded_graph, exported):
    g = turtle.read_turtle(exported / "graph.ttl")
    transformer = topic("roadmap/transformer")
    assert (transformer, RDF.type, SCHEMA.DefinedTerm) in g
    assert (transformer, SCHEMA.name, Literal("Transformer")) in g
    assert (transformer, LEARNGRAPH.subtopicOf, topic("roadmap")) in g
    topics = sum(d["type"] == "topic" for _, d in embedded_graph.nodes(data=True))
    assert len(set(g.subjects(RDF.type, SCHEMA.DefinedTerm))) == topics

    expected = {(topic(u), topic(v)) for u, v, k in embedded_graph.edges(keys=True) if k == "prerequisite"}
    assert len(expected) == 8
    assert {(before, after) for after, before in g.subject_objects(LEARNGRAPH.prerequisite)} == expected

    paper = URIRef("https://arxiv.org/abs/2302.13971")
    assert {SCHEMA.ScholarlyArticle, SCHEMA.LearningResource} <= set(g.objects(paper, RDF.type))
    assert (paper, SCHEMA.teaches, topic("roadmap/llama")) in g
    assert (paper, SCHEMA.competencyRequired, topic("roadmap/transformer")) in g
    assert (paper, SCHEMA.url, paper) in g
    resources = {URIRef(d["url"]) for _, d in embedded_graph.nodes(data=True) if d["type"] == "resource"}
    assert resources == set(g.subjects(RDF.type, SCHEMA.LearningResource))
    video = URIRef("https://www.youtube.com/watch?v=nzqlFIcCSWQ")
    assert str(g.value(video, SCHEMA.duration)) == "PT1H28M3S"
