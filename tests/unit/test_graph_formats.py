"""Every export reloads with the same nodes, edges and attribute values."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from learngraph.graph import formats
from learngraph.graph.formats import jsonld, neo4j, node_link


def assert_same_graph(G, H):
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True), key=repr) == sorted(G.edges(keys=True, data=True), key=repr)
    assert H.graph == G.graph


@pytest.mark.parametrize("name", ["json", "graphml", "gexf", "cytoscape", "neo4j"])
def test_round_trip(embedded_graph, tmp_path, name):
    fmt = formats.FORMATS[name]
    path = tmp_path / fmt.filename
    fmt.write(embedded_graph, path)
    H = fmt.read(path)
    if name in ("gexf", "neo4j"):  # they hold nodes and edges, not graph attributes
        assert H.graph == {}
        H.graph = embedded_graph.graph
    assert_same_graph(embedded_graph, H)


def test_graphml_has_one_type_per_key_and_reads_in_networkx(embedded_graph, tmp_path):
    path = tmp_path / "graph.graphml"
    formats.write_graphml(embedded_graph, path)
    H = nx.read_graphml(path)
    assert H.number_of_nodes() == embedded_graph.number_of_nodes()
    keys = [(k.get("for"), k.get("attr.name")) for k in _graphml_keys(path)]
    assert len(keys) == len(set(keys))
    assert json.loads(H.nodes["arxiv:2302.13971"]["authors_json"])[0] == "Hugo Touvron"


def _graphml_keys(path):
    from xml.etree import ElementTree

    return ElementTree.parse(path).getroot().findall("{http://graphml.graphdrawing.org/xmlns}key")


def test_node_link_json_names_its_edges_key(embedded_graph, tmp_path):
    path = tmp_path / "graph.json"
    node_link.write_json(embedded_graph, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data


def test_jsonld_types_and_properties(embedded_graph, tmp_path):
    path = tmp_path / "graph.jsonld"
    jsonld.write_jsonld(embedded_graph, path)
    document = jsonld.read_jsonld(path)
    assert document["@context"]["@vocab"] == "https://schema.org/"
    by_id = {entry["@id"]: entry for entry in document["@graph"]}
    paper = by_id["https://arxiv.org/abs/2302.13971"]
    assert paper["@type"] == ["ScholarlyArticle", "LearningResource"]
    assert paper["teaches"] == [{"@id": "urn:learngraph:topic:roadmap/llama"}]
    assert {"@id": "urn:learngraph:topic:roadmap/transformer"} in paper["competencyRequired"]
    assert paper["author"][0] == {"@id": "urn:learngraph:person:Hugo%20Touvron"}
    video = by_id["https://www.youtube.com/watch?v=nzqlFIcCSWQ"]
    assert video["@type"] == ["VideoObject", "LearningResource"]
    assert video["duration"] == video["timeRequired"] == "PT1H28M3S"
    assert (
        by_id["https://github.com/huggingface/transformers/tree/main/examples"]["@type"][0]
        == "SoftwareSourceCode"
    )
    assert by_id["https://zhuanlan.zhihu.com/p/403433120"]["@type"][0] == "Article"
    topic = by_id["urn:learngraph:topic:roadmap/transformer"]
    assert topic["@type"] == "DefinedTerm" and topic["name"] == "Transformer"
    resources = [e for e in document["@graph"] if "LearningResource" in e["@type"]]
    assert len(resources) == sum(d["type"] == "resource" for _, d in embedded_graph.nodes(data=True))


def test_neo4j_headers_are_typed_for_neo4j_admin(embedded_graph, tmp_path):
    neo4j.write_neo4j(embedded_graph, tmp_path)
    headers = {p.name: next(csv.reader(p.open(encoding="utf-8"))) for p in tmp_path.glob("*.csv")}
    assert set(headers) == {
        "topics.csv",
        "resources.csv",
        "items.csv",
        "people.csv",
        "suggestions.csv",
        "relationships.csv",
    }
    assert headers["topics.csv"][:2] == ["id:ID", ":LABEL"]
    assert {"duration:long", "done:boolean", "title:string", "stars:long"} <= set(headers["resources.csv"])
    assert headers["relationships.csv"][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"confidence:double", "position:long"} <= set(headers["relationships.csv"])
    with (tmp_path / "relationships.csv").open(encoding="utf-8") as file:
        assert {row[2] for row in csv.reader(file)} - {":TYPE"} == {
            "SUBTOPIC_OF",
            "COVERS",
            "PREREQUISITE",
            "AUTHORED_BY",
            "LINKS_TO",
            "ABOUT",
            "SUGGESTED_FOR",
        }


def test_writes_are_atomic(embedded_graph, tmp_path, monkeypatch):
    path = tmp_path / "graph.json"
    path.write_text("previous", encoding="utf-8")
    monkeypatch.setattr(node_link.nx, "node_link_data", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        node_link.write_json(embedded_graph, path)
    assert path.read_text(encoding="utf-8") == "previous"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(("seconds", "iso"), [(0, "PT0S"), (59, "PT59S"), (3600, "PT1H"), (3723, "PT1H2M3S")])
def test_iso_duration(seconds, iso):
    assert jsonld.iso_duration(seconds) == iso
