"""The arXiv API's Atom feed, parsed into paper records."""

from urllib.parse import parse_qs, urlsplit

import pytest
from fixture_cases import as_record, cases, check_case

from learngraph.crawler.sources import arxiv


@pytest.mark.parametrize("case", cases("arxiv"))
def test_parse_feed(case):
    def to_records(papers):
        return {paper_id: as_record(fields, "paper") for paper_id, fields in papers.items()}

    check_case(case, lambda: arxiv.parse_feed((case / "input.xml").read_bytes()), to_records)


def test_query_url_asks_for_every_id_in_one_request():
    url = arxiv.query_url("https://export.arxiv.org/api/query", ["1706.03762", "hep-th/9711200"])
    assert url == ("https://export.arxiv.org/api/query?id_list=1706.03762,hep-th/9711200&max_results=2")
    assert parse_qs(urlsplit(url).query) == {
        "id_list": ["1706.03762,hep-th/9711200"],
        "max_results": ["2"],
    }


def test_query_url_keeps_a_query_the_api_url_already_has():
    url = arxiv.query_url("http://127.0.0.1:8080/api/query?key=1", ["2106.09685"])
    assert url == "http://127.0.0.1:8080/api/query?key=1&id_list=2106.09685&max_results=1"


def test_a_well_formed_xml_document_that_is_not_a_feed_is_refused():
    with pytest.raises(ValueError, match="not an Atom feed"):
        arxiv.parse_feed(b"<?xml version='1.0'?><error>Rate exceeded.</error>")


def test_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>'
    )
    with pytest.raises(ValueError):
        arxiv.parse_feed(bomb)
