"""Hostile PDF bodies: truncated, corrupt, encrypted, with metadata of the wrong types.
The parser returns fields or refuses with ValueError (the crawl records ``partial``);
it never raises anything else."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NumberObject

from learngraph.crawler.sources import pdf
from pdf_files import pdf_file

GOOD = pdf_file({"/Title": "A title", "/Author": "Ada"}, "Abstract. Text.", pages=2)


def rewritten(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(GOOD)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def odd_metadata(writer: PdfWriter) -> None:
    info = writer._info.get_object()  # the information dictionary itself, to put non-text values in
    info[NameObject("/Title")] = ArrayObject([NumberObject(1), NumberObject(2)])
    info[NameObject("/Author")] = NumberObject(7)


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-",
        b"%PDF-1.7\n" + b"\x00" * 4096,
        GOOD[: len(GOOD) // 2],
        GOOD[:-40],
        GOOD.replace(b"/Root", b"/Rooo"),
        GOOD.replace(b"/Count 2", b"/Count 99999999"),
        GOOD.replace(b"/Type /Pages", b"/Type /Page"),
        rewritten(lambda writer: writer.encrypt(user_password="secret", owner_password="owner")),
        b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=[
        "magic-only",
        "zeros",
        "half",
        "no-trailer",
        "no-root",
        "page-count-lies",
        "pages-not-pages",
        "encrypted",
        "self-parent",
    ],
)
def test_a_broken_pdf_gives_fields_or_a_value_error(body):
    try:
        fields = pdf.parse_pdf(body)
    except ValueError as error:
        assert str(error).startswith("unreadable PDF")
        return
    assert fields["status"] in ("ok", "partial")


def test_metadata_of_the_wrong_types_is_left_out():
    fields = pdf.parse_pdf(rewritten(odd_metadata))
    assert "title" not in fields and "authors" not in fields
    assert (fields["status"], fields["page_count"]) == ("partial", 2)
