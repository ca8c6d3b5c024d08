"""Real PDF files for tests, written with pypdf: metadata, a page count and a first page
that shows a line of text."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def pdf_file(metadata: dict, first_page_text: str = "", pages: int = 1) -> bytes:
    """A PDF of ``pages`` blank pages, the first showing ``first_page_text``, with
    ``metadata`` (``{"/Title": ..., "/Author": ...}``) in its document information."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    if first_page_text:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page = writer.pages[0]
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({first_page_text}) Tj ET".encode("latin-1"))
        page.replace_contents(content)
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
