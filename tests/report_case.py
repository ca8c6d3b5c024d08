"""The report's test case: the embedded roadmap and its saved crawl, one page titled hostile."""

from __future__ import annotations

from pathlib import Path

from learngraph.crawler.records import read_records

CRAWL = Path(__file__).parent / "fixtures" / "crawl" / "nlp-roadmap" / "resources.jsonl"
HOSTILE = "<script>alert(1)</script>"


def hostile_records() -> tuple[list[dict], str]:
    """The saved crawl with one LLaMA page retitled HOSTILE, and that page's id."""
    records = read_records(CRAWL)
    victim = next(r for r in records if "roadmap/llama" in r["topics"] and r["status"] == "ok")
    victim["title"] = HOSTILE
    return records, victim["id"]
