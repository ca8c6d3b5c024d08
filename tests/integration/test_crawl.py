"""`learngraph crawl` end to end: a real Scrapy crawl, real yt-dlp, a real local server."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from learngraph_process import crawl, run_learngraph, site_settings


def test_every_link_gets_its_metadata_or_an_honest_status(site, tmp_path):
    base, video = site.base, site.base.replace("127.0.0.1", "localhost")
    records = crawl(
        site,
        tmp_path,
        f"""# Test roadmap
## Papers
- [LLaMA](https://arxiv.org/abs/2302.13971)
- [LoRA](https://arxiv.org/pdf/2106.09685v1.pdf)
- [Unknown paper](https://arxiv.org/abs/2999.99999)
## Repos
- [Examples](https://github.com/huggingface/transformers/tree/main/examples)
- [Transformers](https://github.com/huggingface/transformers)
- [Archived](https://github.com/old/archived)
- [Missing repo](https://github.com/no/such)
## Pages
- [Article]({base}/posts/attention)
- [GBK]({base}/cn/gbk)
- [Video]({video}/videos/lora)
- [Dead]({base}/status/404)
- [Gone]({base}/status/410)
- [Flaky]({base}/flaky)
- [Patient]({base}/retry-after)
- [Slow]({base}/slow?s=5)
- [Loop]({base}/loop)
- [Huge]({base}/huge)
- [Junk]({base}/junk)
- [Empty]({base}/empty)
- [Disallowed]({base}/private/page)
- [No DNS](http://no-such-host.invalid/x)
## Again
- [Transformers again](https://github.com/huggingface/transformers/)
""",
    )
    assert len(records) == 21  # 22 links, two of them to one repository

    llama = records["LLaMA"]
    assert llama["status"] == "ok"
    assert llama["title"] == "LLaMA: Open and Efficient Foundation Language Models"
    assert llama["authors"][:2] == ["Hugo Touvron", "Thibaut Lavril"]
    assert "transformer" in llama["abstract"]
    assert llama["published"].startswith("2023-02-27")
    assert records["LoRA"]["version"] == "v2"  # the latest version, whatever the link said
    assert records["Unknown paper"]["status"] == "not_found"
    assert site.requests["/api/query"] == 1, "all papers in one API request"

    examples = records["Examples"]
    assert (examples["status"], examples["stars"], examples["language"]) == ("ok", 150000, "Python")
    assert (examples["path"], examples["ref"]) == ("examples", "main")
    assert records["Transformers"]["topics"] == ["test-roadmap/repos", "test-roadmap/again"]
    assert records["Archived"]["archived"] is True
    assert records["Missing repo"]["status"] == "not_found"
    assert site.requests["/github/repos/huggingface/transformers"] == 1, "one call per repository"

    article = records["Article"]
    assert article["title"] == "Attention, explained"
    assert article["authors"] == ["Ada Writer"]
    assert article["published"] == "2024-03-05T09:00:00+01:00"
    assert article["reading_time"] == pytest.approx(460 / 230 * 60, abs=15)
    sources = article["provenance"]
    assert (sources["title"], sources["authors"], sources["published"], sources["description"]) == (
        "json-ld",
        "json-ld",
        "json-ld",
        "meta",
    )
    assert (llama["provenance"]["title"], examples["provenance"]["stars"]) == ("arxiv-api", "github-api")
    assert records["Dead"]["provenance"] == {"title": "link-text"}
    assert records["GBK"]["title"] == "注意力机制详解"

    lora_video = records["Video"]
    assert (lora_video["status"], lora_video["kind"]) == ("ok", "video")
    assert (lora_video["title"], lora_video["duration"]) == ("Intro to LoRA", 630)

    statuses = {text: r["status"] for text, r in records.items()}
    assert statuses["Dead"] == "not_found" and records["Dead"]["http_status"] == 404
    assert statuses["Gone"] == "gone"
    assert statuses["Flaky"] == "ok" and site.requests["/flaky"] == 2
    assert statuses["Patient"] == "ok" and site.requests["/retry-after"] == 2
    waited = site.times["/retry-after"][1] - site.times["/retry-after"][0]
    assert waited >= 0.9, "Retry-After: 1 was honoured"
    assert statuses["Slow"] == "timeout"
    assert statuses["Loop"] == "http_error" and "redirect" in records["Loop"]["error"]
    assert statuses["Huge"] == "too_large"
    assert statuses["Junk"] == "unsupported"
    assert statuses["Empty"] == "partial"
    assert statuses["Disallowed"] == "blocked" and site.requests["/private/page"] == 0
    assert statuses["No DNS"] == "dns_error"
    for record in records.values():
        assert record["title"], "every record has a title, at worst the link text"


def test_private_addresses_are_refused_also_after_a_redirect(site, tmp_path):
    public_looking = site.base.replace("127.0.0.1", "localhost")
    records = crawl(
        site,
        tmp_path,
        f"""# T
- [Direct]({site.base}/posts/attention)
- [Redirected]({public_looking}/redirect?to={site.base}/cn/gbk)
""",
        ALLOW_PRIVATE_HOSTS="0",
        PRIVATE_HOST_ALLOWLIST="localhost",
        VIDEO_HOSTS="",
    )
    assert records["Direct"]["status"] == "blocked"
    assert records["Redirected"]["status"] == "blocked"
    assert "private address" in records["Redirected"]["error"]
    assert site.requests["/posts/attention"] == 0 and site.requests["/cn/gbk"] == 0


def test_arxiv_is_asked_politely_in_batches(site, tmp_path):
    ids = [f"2301.{n:05d}" for n in range(250)]
    markdown = "# Papers\n" + "".join(f"- [p{n}](https://arxiv.org/abs/{i})\n" for n, i in enumerate(ids))
    records = crawl(site, tmp_path, markdown, ARXIV_DELAY="1")
    assert site.requests["/api/query"] == 3  # 100 + 100 + 50
    times = site.times["/api/query"]
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:])), "one request per ARXIV_DELAY"
    assert {r["status"] for r in records.values()} == {"not_found"}


def test_github_rate_limit_stops_the_flood(site, tmp_path):
    site.github_remaining = 2
    repos = "".join(f"- [r{n}](https://github.com/owner{n}/repo)\n" for n in range(8))
    records = crawl(
        site, tmp_path, "# Repos\n" + repos, GITHUB_CONCURRENCY="1", GITHUB_RATE_LIMIT_MAX_WAIT="5"
    )
    sent = sum(n for path, n in site.requests.items() if path.startswith("/github/"))
    assert sent == 2, "once the budget is spent, not one request more"
    statuses = [records[f"r{n}"]["status"] for n in range(8)]
    assert statuses[:2] == ["not_found", "not_found"]
    assert statuses[2:] == ["rate_limited"] * 6


def test_the_token_is_sent_but_never_written(site, tmp_path):
    secret = "ghp_supersecretvalue123"
    (tmp_path / "roadmap.md").write_text("# R\n- [HF](https://github.com/huggingface/transformers)\n")
    env_run = run_learngraph(
        "crawl",
        "roadmap.md",
        "--out",
        "out",
        *site_settings(site),
        cwd=tmp_path,
        env={"LEARNGRAPH_GITHUB_TOKEN": secret},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert any(h.get("Authorization") == f"Bearer {secret}" for h in site.headers_seen)
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path
    assert secret not in env_run.stdout + env_run.stderr


def test_one_host_never_gets_more_than_its_share(site, tmp_path):
    pages = "".join(f"- [b{n}]({site.base}/busy/{n})\n" for n in range(12))
    records = crawl(
        site, tmp_path, "# Busy\n" + pages, CONCURRENT_REQUESTS_PER_DOMAIN="2", DOWNLOAD_DELAY="0"
    )
    assert {r["status"] for r in records.values()} == {"ok"}
    assert site.peak_in_flight == 2


def test_a_crawl_opens_no_remote_console(site, tmp_path):
    """Scrapy 2.19 would serve a code-executing remote control for every crawl; a crawler
    of untrusted links runs none, and no telnet console either."""
    crawl(site, tmp_path, f"# R\n- [Article]({site.base}/posts/attention)\n")
    log = (tmp_path / "out" / "crawl.log").read_text()
    extensions = log.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "CrawlProgress" in extensions
    assert "RemoteControl" not in extensions and "TelnetConsole" not in extensions


def test_every_request_names_learngraph_its_version_and_the_contact_url(site, tmp_path):
    contact = "https://nlp.example.edu/crawl"
    crawl(site, tmp_path, f"# R\n- [Page]({site.base}/pages/a)\n", CONTACT_URL=contact)
    agents = {headers.get("User-Agent") for headers in site.headers_seen}
    assert agents == {f"learngraph/{version('learngraph')} (+{contact})"}
