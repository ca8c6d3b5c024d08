"""Citations from Semantic Scholar's batch endpoint, served locally in its recorded shape."""

from __future__ import annotations

from learngraph_process import crawl

PAPERS = """# Papers
- [LLaMA](https://arxiv.org/abs/2302.13971)
- [LoRA](https://arxiv.org/abs/2106.09685)
- [Unknown paper](https://arxiv.org/abs/2999.99999)
"""


def s2(site) -> dict:
    return {"SEMANTIC_SCHOLAR_API_URL": f"{site.base}/s2/graph/v1", "SEMANTIC_SCHOLAR_DELAY": "0"}


def test_references_and_citation_counts_join_the_papers_records(site, tmp_path):
    records = crawl(site, tmp_path, PAPERS, **s2(site))
    [batch] = site.s2_batches
    assert batch["ids"] == ["ARXIV:2302.13971", "ARXIV:2106.09685", "ARXIV:2999.99999"]
    assert batch["fields"] == "title,externalIds,citationCount,references.externalIds,references.title"
    assert batch["api_key"] is None
    llama = records["LLaMA"]
    assert llama["status"] == "ok" and llama["citation_count"] == 9000
    assert llama["references"] == [
        {"id": "arxiv:1706.03762", "title": "Attention Is All You Need"},
        {"id": "arxiv:2005.14165", "title": "Language Models are Few-Shot Learners"},
        # A reference without an arXiv id goes by its DOI; one with no id at all is left out.
        {"id": "doi:10.1162/neco.1997.9.8.1735", "title": "Long Short-Term Memory"},
    ]
    assert [r["id"] for r in records["LoRA"]["references"]] == ["arxiv:1706.03762", "arxiv:2005.14165"]


def test_a_paper_semantic_scholar_does_not_know_keeps_its_record_without_citations(site, tmp_path):
    unknown = crawl(site, tmp_path, PAPERS, **s2(site))["Unknown paper"]
    assert unknown["status"] == "not_found"
    assert "references" not in unknown and "citation_count" not in unknown


def test_a_429_is_waited_out_then_the_batch_is_answered(site, tmp_path):
    site.s2_busy = 1
    records = crawl(site, tmp_path, PAPERS, **s2(site))
    assert site.requests["/s2/graph/v1/paper/batch"] == 2
    assert records["LLaMA"]["citation_count"] == 9000


def test_without_an_answer_the_papers_records_stand_without_citations(site, tmp_path):
    site.s2_busy = 10
    records = crawl(site, tmp_path, PAPERS, **s2(site))
    assert site.requests["/s2/graph/v1/paper/batch"] == 2  # the first try and RETRY_TIMES=1
    assert records["LLaMA"]["title"] == "LLaMA: Open and Efficient Foundation Language Models"
    assert "references" not in records["LLaMA"]


def test_one_batch_request_carries_500_papers(site, tmp_path):
    links = "".join(f"- [p{n}](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(500))
    records = crawl(site, tmp_path, "# Many\n" + links, **s2(site))
    assert len(records) == 500
    assert site.requests["/api/query"] == 5  # arXiv takes 100 a request
    [batch] = site.s2_batches
    assert len(batch["ids"]) == 500 and batch["ids"][-1] == "ARXIV:2301.00499"


def test_the_api_key_is_sent_as_x_api_key_and_written_nowhere(site, tmp_path):
    secret = "s2-key-that-must-not-leak"
    crawl(site, tmp_path, PAPERS, SEMANTIC_SCHOLAR_API_KEY=secret, **s2(site))
    assert site.s2_batches[0]["api_key"] == secret
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
