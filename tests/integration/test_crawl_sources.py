"""`learngraph crawl` of links that need a source of their own: posts read through their
site's embedding API, YouTube videos yt-dlp is refused for, PDFs. Real crawls, real
yt-dlp, the embedding APIs served by the local site."""

from __future__ import annotations

from learngraph_process import crawl, read_records, run_learngraph, site_settings
from pdf_files import pdf_file

# The sites yt-dlp would ask, all answering from a loopback address where nothing listens on
# their port: yt-dlp is refused as by a site that will not serve it.
REFUSING_SITES = dict.fromkeys(
    ("twitter.com", "x.com", "api.x.com", "api.twitter.com", "www.youtube.com", "youtube.com", "youtu.be"),
    "127.0.0.9",
)


def source_settings(site) -> dict:
    return {
        "TWITTER_OEMBED_URL": f"{site.base}/oembed/twitter",
        "YOUTUBE_OEMBED_URL": f"{site.base}/oembed/youtube",
    }


def crawl_refused(site, tmp_path, markdown: str) -> tuple[dict[str, dict], list[str]]:
    """The records of a crawl in which yt-dlp's sites refuse it, and the names yt-dlp looked up."""
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(markdown, encoding="utf-8")
    out = tmp_path / "out"
    result = run_learngraph(
        "crawl",
        str(roadmap),
        "--out",
        str(out),
        *site_settings(site, **source_settings(site)),
        cwd=tmp_path,
        fake_dns=REFUSING_SITES,
    )
    assert result.returncode == 0, result.stderr
    log = (out / "crawl.log").read_text(encoding="utf-8")
    return read_records(out), [
        line.rsplit(" ", 1)[1] for line in log.splitlines() if "fake DNS lookup:" in line
    ]


def test_posts_are_read_from_their_embedding_api(site, tmp_path):
    records, looked_up = crawl_refused(
        site,
        tmp_path,
        f"""# Posts
- [Tweet](https://twitter.com/karpathy/status/1617979122625712128?s=20)
- [Deleted tweet](https://x.com/someone/status/1700000000000000000)
- [Tweet with a picture](https://x.com/dair_ai/status/1641802431035584513)
- [Toot]({site.base}/@ada/109377213917390281)
- [Deleted toot]({site.base}/@ada/109377213917390999)
""",
    )

    tweet = records["Tweet"]
    assert (tweet["kind"], tweet["status"]) == ("post", "ok")
    assert tweet["title"] == "The hottest new programming language is English"
    assert tweet["authors"] == ["Andrej Karpathy"]
    assert tweet["published"] == "2023-01-24T20:14:18Z"
    assert tweet["provenance"] == {"title": "oembed", "authors": "oembed", "published": "status-id"}
    deleted = records["Deleted tweet"]
    assert (deleted["kind"], deleted["status"]) == ("post", "gone")
    assert deleted["published"] == "2023-09-08T04:15:59Z"  # known from the id alone

    toot = records["Toot"]
    assert (toot["kind"], toot["status"]) == ("post", "ok")
    assert toot["authors"] == ["Ada Writer"]
    assert toot["title"] == "Notes on attention: https://example.org/attention"
    assert toot["description"] == "Notes on attention: https://example.org/attention Read it twice."
    assert toot["published"] == "2022-11-20T17:03:55Z"
    assert toot["provenance"]["title"] == "mastodon-api"
    assert records["Deleted toot"]["status"] == "gone"

    pictured = records["Tweet with a picture"]  # yt-dlp is asked, and finds no video (refused)
    assert (pictured["kind"], pictured["status"]) == ("post", "ok")
    assert pictured["title"] == "Top ML Papers of the Week (Mar 27 - Apr 2): pic.twitter.com/4mKq0ZBq1d"
    assert "duration" not in pictured

    assert site.requests["/oembed/twitter"] == 3
    assert looked_up and set(looked_up) <= {"twitter.com", "x.com", "api.x.com", "api.twitter.com"}, (
        "only the post with media went to yt-dlp"
    )


def test_a_youtube_video_yt_dlp_is_refused_for_gets_its_oembed_metadata(site, tmp_path):
    records, looked_up = crawl_refused(
        site,
        tmp_path,
        """# Videos
- [GPT](https://www.youtube.com/watch?v=kCc8FmEb1nY)
- [No embedding](https://youtu.be/embedOff123)
- [Private](https://www.youtube.com/watch?v=privateVid1)
""",
    )

    gpt = records["GPT"]
    assert (gpt["kind"], gpt["status"]) == ("video", "partial")
    assert gpt["title"] == "Let's build GPT: from scratch, in code, spelled out."
    assert gpt["channel"] == "Andrej Karpathy"
    assert gpt["thumbnail"] == "https://i.ytimg.com/vi/kCc8FmEb1nY/hqdefault.jpg"
    assert gpt["error"].startswith("[youtube] kCc8FmEb1nY: "), "yt-dlp's refusal is kept as the error"
    assert gpt["provenance"] == {"title": "oembed", "channel": "oembed", "thumbnail": "oembed"}
    for name in ("No embedding", "Private"):  # oEmbed has nothing either: yt-dlp's word stands
        assert records[name]["status"] == "http_error" and records[name]["error"].startswith("[youtube] ")
        assert "thumbnail" not in records[name]
        assert "oembed" not in records[name].get("provenance", {}).values()
    assert looked_up and set(looked_up) <= {"www.youtube.com", "youtube.com"}
    assert site.requests["/oembed/youtube"] == 3


def test_a_pdf_is_read_from_its_metadata(site, tmp_path):
    site.files["attention.pdf"] = (
        pdf_file(
            {"/Title": "Attention Over Tables", "/Author": "Ada Writer and Alan Reader"},
            "Abstract. We study attention over tables.",
            pages=3,
        ),
        "application/pdf",
    )
    site.files["manual"] = (
        pdf_file({"/Title": "Router manual"}, "Chapter 1. Setup", pages=2),
        "application/octet-stream",
    )  # a PDF a server did not name as one
    site.files["broken.pdf"] = (b"%PDF-1.7\n" + b"\x00" * 200, "application/pdf")
    records = crawl(
        site,
        tmp_path,
        f"""# Documents
- [Paper]({site.base}/files/attention.pdf)
- [Manual]({site.base}/files/manual)
- [Broken]({site.base}/files/broken.pdf)
""",
    )

    paper = records["Paper"]
    assert (paper["kind"], paper["status"]) == ("paper", "ok")
    assert (paper["title"], paper["authors"], paper["page_count"]) == (
        "Attention Over Tables",
        ["Ada Writer", "Alan Reader"],
        3,
    )
    assert paper["provenance"] == dict.fromkeys(("title", "authors", "page_count"), "pdf-metadata")
    manual = records["Manual"]
    assert (manual["kind"], manual["title"], manual["page_count"]) == ("document", "Router manual", 2)
    broken = records["Broken"]
    assert broken["status"] == "partial" and "unreadable PDF" in broken["error"]
