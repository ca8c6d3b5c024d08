"""Semantic Scholar's batch request and answer, as pure functions."""

from __future__ import annotations

import doctest
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from learngraph.crawler.sources import semantic_scholar
from site_content import S2_PAPERS  # the recorded answer shapes


def test_one_request_for_500_papers_and_no_more():
    ids = [f"arxiv:2301.{n:05d}" for n in range(499)] + ["doi:10.1162/neco.1997.9.8.1735"]
    url, body = semantic_scholar.batch_request("https://s2.example/graph/v1/", ids)
    assert urlsplit(url).path == "/graph/v1/paper/batch"
    assert parse_qs(urlsplit(url).query)["fields"] == [semantic_scholar.FIELDS]
    asked = json.loads(body)["ids"]
    assert (
        len(asked) == 500 and asked[0] == "ARXIV:2301.00000" and asked[-1] == "DOI:10.1162/neco.1997.9.8.1735"
    )
    with pytest.raises(ValueError, match="at most 500"):
        semantic_scholar.batch_request("https://s2.example/graph/v1", ids + ["arxiv:2301.99999"])


def test_answers_join_their_papers_by_position_and_unknown_papers_are_absent():
    ids = ["arxiv:2302.13971", "arxiv:2999.99999", "arxiv:2106.09685"]
    answer = json.dumps([S2_PAPERS["ARXIV:2302.13971"], None, S2_PAPERS["ARXIV:2106.09685"]]).encode()
    found = semantic_scholar.parse_batch(answer, ids)
    assert set(found) == {"arxiv:2302.13971", "arxiv:2106.09685"}
    assert found["arxiv:2302.13971"]["citation_count"] == 9000
    assert found["arxiv:2302.13971"]["references"][2] == {
        "id": "doi:10.1162/neco.1997.9.8.1735",
        "title": "Long Short-Term Memory",
    }


def test_a_reference_known_only_to_semantic_scholar_keeps_its_paper_id():
    reference = {"paperId": "abc123", "title": "A workshop paper", "externalIds": {"CorpusId": 1}}
    answer = json.dumps([{"citationCount": 3, "references": [reference]}]).encode()
    found = semantic_scholar.parse_batch(answer, ["arxiv:2302.13971"])
    assert found["arxiv:2302.13971"]["references"] == [{"id": "s2:abc123", "title": "A workshop paper"}]


@pytest.mark.parametrize("body", [b'{"message":"Too Many Requests"}', b"<html>busy</html>", b"[null]"])
def test_an_answer_that_is_no_list_of_the_papers_asked_is_refused(body):
    with pytest.raises(ValueError):
        semantic_scholar.parse_batch(body, ["arxiv:2302.13971", "arxiv:2106.09685"])


def test_only_papers_have_an_id_semantic_scholar_knows():
    assert semantic_scholar.paper_id("youtube:BR9h47Jtqyw") is None


def test_search_answers_keep_papers_with_an_id_in_their_order():
    body = json.dumps(
        {
            "total": 3,
            "offset": 0,
            "data": [
                {
                    "paperId": "a1",
                    "title": "Only an S2 id",
                    "externalIds": {},
                    "citationCount": 5,
                    "year": 2020,
                },
                {"paperId": None, "title": "No id at all", "externalIds": None},
                {
                    "paperId": "b2",
                    "title": "LoRA",
                    "externalIds": {"ArXiv": "2106.09685"},
                    "citationCount": 8000,
                },
            ],
        }
    ).encode()
    assert semantic_scholar.parse_search(body) == [
        {"id": "s2:a1", "title": "Only an S2 id", "year": 2020, "citation_count": 5},
        {"id": "arxiv:2106.09685", "title": "LoRA", "citation_count": 8000},
    ]
    assert semantic_scholar.parse_search(b'{"total": 0, "offset": 0}') == []


@pytest.mark.parametrize("body", [b'{"message":"Too Many Requests"', b"[1, 2]", b'{"data": "none"}'])
def test_an_answer_that_is_no_search_answer_is_refused(body):
    with pytest.raises(ValueError):
        semantic_scholar.parse_search(body)


def test_docstring_examples_run():
    assert doctest.testmod(semantic_scholar, raise_on_error=True).attempted == 2
