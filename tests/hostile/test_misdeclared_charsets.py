"""Pages whose declared charset is not the one their bytes are in: a UTF-8 page under an
old ``<meta charset="gb2312">`` or a Latin-1 Content-Type is read as UTF-8, never as
mojibake."""

from learngraph.crawler.sources import pages

TITLE = "深度学习中的注意力机制"
PARAGRAPH = "注意力机制让模型在处理一个词的时候，可以同时看到句子里的其他词，并根据相关程度给它们不同的权重。"


def page(declaration: str) -> bytes:
    return (
        f"<html><head>{declaration}<title>{TITLE}</title></head><body><p>{PARAGRAPH}</p></body></html>"
    ).encode()


def test_utf8_under_a_gb2312_meta_declaration_is_read_as_utf8():
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    fields = pages.parse_page("https://example.cn/attention", {"Content-Type": "text/html"}, body)
    assert fields["title"] == TITLE


def test_utf8_under_a_latin1_content_type_is_read_as_utf8():
    body = "<html><head><title>Ayer perdí el respeto por él</title></head><body></body></html>".encode()
    headers = {"Content-Type": "text/html; charset=iso-8859-15"}
    assert pages.parse_page("https://example.es/", headers, body)["title"] == "Ayer perdí el respeto por él"
