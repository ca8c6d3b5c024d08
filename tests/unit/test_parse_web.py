"""HTML pages, parsed into page records from their structured data and text."""

import pytest
from fixture_cases import as_record, cases, check_case, read_json

from learngraph.crawler.sources import pages


@pytest.mark.parametrize("case", cases("web"))
def test_parse_page(case):
    def parse():
        url = (case / "url.txt").read_text(encoding="utf-8").strip()
        body = (case / "input.html").read_bytes()
        return pages.parse_page(url, read_json(case / "headers.json"), body)

    check_case(case, parse, lambda fields: as_record(fields, "page", frozenset({"kind_hint"})))


def test_an_undeclared_gbk_page_is_detected():
    body = (
        "<html><head><title>深度学习中的注意力机制</title></head><body><p>注意力机制让模型在处理"
        "一个词的时候，可以同时看到句子里的其他词，并根据相关程度给它们不同的权重。"
        "这种方法最早用于机器翻译，后来成为大语言模型的核心组件。</p></body></html>"
    ).encode("gbk")
    page = pages.parse_page("https://example.cn/attention", {"Content-Type": "text/html"}, body)
    assert page["title"] == "深度学习中的注意力机制"


def test_a_whitespace_only_body_is_empty():
    with pytest.raises(ValueError, match="empty body"):
        pages.parse_page("https://example.org/", {}, b" \r\n\t ")


def test_a_utf16_page_with_a_bom_is_not_junk():
    body = "<html><head><title>Ünïcode</title></head><body>ok</body></html>".encode("utf-16")
    assert pages.parse_page("https://example.org/", {}, body)["title"] == "Ünïcode"


def test_a_utf16_page_declared_in_its_header_without_a_bom_is_not_junk():
    body = "<html><head><title>Plain ASCII</title></head><body>ok</body></html>".encode("utf-16-le")
    headers = {"Content-Type": "text/html; charset=utf-16le"}
    assert pages.parse_page("https://example.org/", headers, body)["title"] == "Plain ASCII"


def json_ld_page(json_ld: str) -> bytes:
    return (
        '<html lang="en"><head><title>Plain title</title>'
        '<meta property="og:title" content="The real title">'
        f'<script type="application/ld+json">{json_ld}</script>'
        "</head><body><p>Body text.</p></body></html>"
    ).encode()


def test_invalid_json_ld_is_skipped():
    body = json_ld_page('{"@type": "Article", "headline": "Cut off" "author": ')
    fields = pages.parse_page("https://example.org/post", {}, body)
    assert fields["title"] == "The real title"
    assert fields["provenance"]["title"] == "opengraph"


def test_json_ld_nested_past_the_recursion_limit_is_skipped():
    deep = '{"@type": "Article", "headline": "Deep", "author": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert pages.parse_page("https://example.org/post", {}, json_ld_page(deep))["title"] == "The real title"


def test_a_time_of_day_is_no_publication_date():
    body = (
        b'<html lang="en"><head><title>Notes</title>'
        b'<meta property="article:published_time" content="08:00"></head>'
        b"<body><p>Nothing dated here.</p></body></html>"
    )
    assert "published" not in pages.parse_page("https://example.org/notes", {}, body)


def test_a_year_read_out_of_a_dateline_is_no_publication_date():
    body = (
        '<html lang="es"><head><meta charset="utf-8"><title>Productor fumigó con glifosato</title></head>'
        "<body><h1>Productor fumigó con glifosato</h1><p>Publicado 11 mayo 2022</p>"
        "<p>El predio linda con una escuela rural.</p></body></html>"
    ).encode()
    assert "published" not in pages.parse_page("https://ladiaria.example/productor", {}, body)
