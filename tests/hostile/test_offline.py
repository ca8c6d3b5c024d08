"""Offline: DNS failures end ``dns_error`` fast. A name that does not exist is asked once, a
temporary failure is tried again a bounded number of times, and a resolver that keeps
failing is taken as down instead of being waited for link by link. A night offline is a
failed crawl, not the death of every link."""

from __future__ import annotations

import json

from learngraph_process import read_records, run_learngraph

QUICK = ("-s", "ALLOW_PRIVATE_HOSTS=1", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "AUTOTHROTTLE_ENABLED=0")


def crawl(tmp_path, links: list[str], fake_dns: dict, *settings: str):
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text("# Offline\n" + "".join(f"- [{n}]({url})\n" for n, url in enumerate(links)))
    result = run_learngraph(
        "crawl",
        str(roadmap),
        "--out",
        str(tmp_path / "out"),
        *QUICK,
        *settings,
        cwd=tmp_path,
        fake_dns=fake_dns,
    )
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "out" / "crawl.log").read_text()
    return read_records(tmp_path / "out"), log


def lookups(log: str, name: str) -> int:
    return log.count(f"fake DNS lookup: {name}\n")


def test_a_name_that_does_not_exist_is_asked_once_and_not_retried(tmp_path):
    links = [f"https://gone{n}.test/page" for n in range(20)]
    records, log = crawl(tmp_path, links, {"*": "missing"})
    assert {r["status"] for r in records.values()} == {"dns_error"}
    assert [lookups(log, f"gone{n}.test") for n in range(20)] == [1] * 20, "robots.txt and page share it"
    assert "Retrying" not in log and "Gave up retrying" not in log


def test_a_temporary_failure_is_tried_again_a_bounded_number_of_times(site, tmp_path):
    port = site.base.rsplit(":", 1)[1]
    table = {
        "flaky.test": ["temporary", "temporary", "127.0.0.1"],
        "down.test": "temporary",
        "silent.test": "silent",
    }
    records, log = crawl(
        tmp_path,
        [f"http://flaky.test:{port}/posts/attention", "http://down.test/page", "http://silent.test/page"],
        table,
        "-s",
        "DNS_RETRY_DELAY=0.05",
        "-s",
        "DNS_TIMEOUT=0.3",
    )
    assert (records["0"]["status"], records["0"]["title"]) == ("ok", "Attention, explained")
    assert lookups(log, "flaky.test") == 3
    assert records["1"]["status"] == "dns_error"
    assert lookups(log, "down.test") == 3, "the first try and DNS_RETRY_TIMES=2 more"
    assert records["2"]["status"] == "dns_error", "a lookup without an answer times out"
    assert lookups(log, "silent.test") == 3


def test_a_resolver_that_keeps_failing_is_taken_as_down(tmp_path):
    links = [f"https://site{n}.invalid/page" for n in range(120)]
    records, log = crawl(tmp_path, links, {"*": "temporary"}, "-s", "DNS_RETRY_DELAY=0.2")
    assert len(records) == 120 and {r["status"] for r in records.values()} == {"dns_error"}
    assert "the resolver is taken as down" in log
    asked = log.count("fake DNS lookup:")
    assert 120 <= asked <= 120 + 2 * 16, "retries stop once the resolver is down"


def test_a_night_offline_reports_no_link_died_and_none_came_back(site, tmp_path):
    port = site.base.rsplit(":", 1)[1]
    links = [f"http://page{n}.test:{port}/pages/p{n}" for n in range(3)]
    online, offline = {"*": "127.0.0.1"}, {"*": "temporary"}
    for table in (online, offline, online):
        crawl(tmp_path, links, table, "-s", "FRESHNESS_PAGES_DAYS=0", "-s", "DNS_RETRY_DELAY=0.05")
    runs = sorted((tmp_path / "out" / "runs").iterdir())
    changes = [json.loads((run / "changes.json").read_text())["changes"] for run in runs]
    assert [change["kind"] for change in changes[0]] == ["added"] * 3
    assert changes[1:] == [[], []], "a link dies when its site says so, not when DNS is down"
