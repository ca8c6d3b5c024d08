"""The reliability table: each class of hostile input, how many cases its tests tried and
how many passed or failed, measured by running those tests.

A case is one test run, or one generated example of a Hypothesis property (as many as the
active profile runs: 50 in the default ci profile). Prints a Markdown table for the README.

    python benchmarks/hostile.py
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class HostileClass:
    name: str
    tests: tuple[str, ...]  # test files, or node ids
    outcome: str  # what the tests assert


CLASSES = [
    HostileClass(
        "Text: control characters, surrogates, noncharacters",
        (
            "tests/hostile/test_control_text.py",
            "tests/unit/test_normalize.py::test_any_json_value_in_any_field_gives_a_record_with_its_problems_noted",
        ),
        "cleaned once in normalise and noted in `error`; every export valid whatever the graph "
        "holds; no escape sequence on the terminal",
    ),
    HostileClass(
        "Text: markup-looking names (`[/r/MachineLearning]`, `list[str]`)",
        ("tests/hostile/test_markup_text.py",),
        "printed as written by every command",
    ),
    HostileClass(
        "URLs: escaped and reserved characters, overlong URLs",
        ("tests/hostile/test_urls.py",),
        "fetched as written (same segments and query pairs, idempotent); too long ends with a status; RDF exports keep the address, as an IRI",
    ),
    HostileClass(
        "Private addresses, DNS rebinding, redirects, yt-dlp connections",
        ("tests/hostile/test_private_addresses.py",),
        "`blocked` with the address in `error`; the private server receives nothing",
    ),
    HostileClass(
        "GitHub token: redirects, other hosts, its sources",
        ("tests/hostile/test_github_token.py",),
        "sent to the API origin only; never printed",
    ),
    HostileClass(
        "Damaged state: not a database, truncated, old schema, cut JSONL",
        ("tests/hostile/test_damaged_state.py",),
        "moved aside in one line, full crawl; `diff` one line",
    ),
    HostileClass(
        "Roadmap parser limits: deep nesting, long lines, UTF-16/32, any text",
        ("tests/hostile/test_roadmap_limits.py",),
        "a model or one `RoadmapError`; linear time; never a crash",
    ),
    HostileClass(
        "Topic names that begin other names",
        ("tests/hostile/test_overlapping_topic_names.py",),
        "each name found once; the roadmap builds",
    ),
    HostileClass(
        "Bad paths and values on the command line",
        ("tests/hostile/test_bad_paths.py",),
        "one line, exit 2, nothing half-written",
    ),
    HostileClass(
        "Report: hostile titles and its Content-Security-Policy",
        (
            "tests/unit/test_report.py::test_a_hostile_title_stays_data_and_never_markup",
            "tests/unit/test_report.py::test_the_policy_allows_exactly_the_inline_code_of_the_page_by_hash",
            "tests/unit/test_report.py::test_script_json_escapes_what_could_end_a_script_element",
            "tests/unit/test_report.py::test_only_web_links_become_links",
            "tests/integration/test_report_browser.py",
        ),
        "no `'unsafe-inline'`, hashes only; text stays text; the browser still renders and clicks",
    ),
    HostileClass(
        "Offline: no resolver, missing names, temporary failures",
        ("tests/hostile/test_offline.py",),
        "`dns_error` fast; a missing name asked once, temporary failures retried a bounded number of times",
    ),
    HostileClass(
        "yt-dlp refusals: bot check, age and region gates, private video",
        ("tests/hostile/test_ytdlp_refusals.py",),
        "`blocked` or `gone` with yt-dlp's line as `error`",
    ),
    HostileClass(
        "Embedding API answers (oEmbed, Mastodon)",
        ("tests/hostile/test_embedding_api_answers.py",),
        "fields or a `ValueError` recorded as a status; nothing else raised",
    ),
    HostileClass(
        "PDF bodies: truncated, corrupt, encrypted, wrong types",
        ("tests/hostile/test_pdf_bodies.py",),
        "fields or `partial`; nothing else raised",
    ),
    HostileClass(
        "Host page data (Zhihu, Medium, WeChat, CSDN)",
        ("tests/hostile/test_host_page_data.py",),
        "what can be read, or nothing; never raises",
    ),
    HostileClass(
        "JSON-LD of the wrong types; malformed canonical and base links",
        ("tests/hostile/test_json_ld_wrong_types.py", "tests/hostile/test_malformed_page_links.py"),
        "the page keeps its other metadata",
    ),
    HostileClass(
        "Declared charsets the bytes are not in (UTF-8 under `gb2312`, Latin-1 headers)",
        ("tests/hostile/test_misdeclared_charsets.py",),
        "read as UTF-8 when the bytes are UTF-8; never mojibake",
    ),
    HostileClass(
        "Semantic Scholar answers of the wrong types",
        ("tests/hostile/test_semantic_scholar_wrong_types.py",),
        "papers read as far as they make sense; the search for empty topics still writes its file",
    ),
    HostileClass(
        "Damaged files beside the graph: found-papers.json, graph.json.cache",
        ("tests/hostile/test_damaged_found_papers.py", "tests/hostile/test_damaged_graph_cache.py"),
        "`build` one line and exit 2, the next crawl replaces it; a damaged cache is read past",
    ),
    HostileClass(
        "A graph.json whose prerequisites form a cycle (not written by `build`)",
        ("tests/hostile/test_cyclic_prerequisites.py",),
        "refused at load in one line, exit 2; no traceback",
    ),
    HostileClass(
        "Annotation markers written by hand; graph facts no crawl writes",
        ("tests/hostile/test_annotation_markers.py",),
        "only annotate's own annotations are skipped or replaced; nothing else removed or added",
    ),
    HostileClass(
        "End to end: `learngraph run` where every linked page is hostile",
        ("tests/hostile/test_hostile_run.py",),
        "exit 0 or 1, one final status per link, graph, report and every export parse",
    ),
    HostileClass(
        "Topic names no file system takes (`C/C++:`, `CON`, case twins, 300 characters)",
        ("tests/hostile/test_note_names.py",),
        "one Obsidian note each, named safely for Windows, macOS and Linux and unique ignoring case; "
        "every wikilink finds its note",
    ),
    HostileClass(
        "Names and titles that are Mermaid or Markdown syntax (quotes, `#`, `;`, `%%`, `end`)",
        ("tests/hostile/test_diagram_syntax.py",),
        "the flowchart keeps to Mermaid's grammar and the notes show text; both read back as written",
    ),
    HostileClass(
        "Requests to `learngraph serve`: any text as topic, query or parameter; raw request lines",
        ("tests/hostile/test_api_requests.py",),
        "200, 404, 409 or 422 as JSON with a reason (400 from HTTP itself); never 500; the server answers on",
    ),
]
# Hypothesis's statistics for one phase of a property test.
EXAMPLES = re.compile(r"(\d+) passing, (\d+) failing")


class Tally:
    """A pytest plugin: per test, its outcome and how many cases (examples) it ran."""

    def __init__(self):
        self.cases: Counter[str] = Counter()
        self.failed: set[str] = set()
        self.passed: set[str] = set()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        if report.when == "teardown":
            statistics = getattr(item, "hypothesis_statistics", "")
            self.cases[item.nodeid] = sum(int(p) + int(f) for p, f in EXAMPLES.findall(statistics)) or 1

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.add(report.nodeid)
        elif report.when == "call" and report.passed:
            self.passed.add(report.nodeid)


def main() -> int:
    os.chdir(ROOT)
    tally = Tally()
    selected = [test for hostile in CLASSES for test in hostile.tests]
    exit_code = pytest.main(["-q", "-p", "no:cacheprovider", *selected], plugins=[tally])
    print("\n| Class of hostile input | Tests | Cases tried | Passed | Failed | Outcome asserted |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    totals = Counter()
    for hostile in CLASSES:
        mine = [node for node in tally.cases if node.startswith(hostile.tests)]
        row = Counter(
            tests=len(mine),
            cases=sum(tally.cases[node] for node in mine),
            passed=sum(node in tally.passed and node not in tally.failed for node in mine),
            failed=sum(node in tally.failed for node in mine),
        )
        totals += row
        print(
            f"| {hostile.name} | {row['tests']} | {row['cases']} | {row['passed']} | {row['failed']} "
            f"| {hostile.outcome} |"
        )
    print(f"| **All** | {totals['tests']} | {totals['cases']} | {totals['passed']} | {totals['failed']} | |")
    return int(exit_code)


if __name__ == "__main__":
    sys.exit(main())
