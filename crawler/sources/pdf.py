"""PDF documents: title, authors and page count from the document's own metadata.

The body is at most DOWNLOAD_MAXSIZE (Scrapy cancels larger responses), and pypdf reads
it lazily: the metadata and the page tree, never the page contents, except the first
page's text when it is needed to tell a paper from another document.
"""

from __future__ import annotations

import io
import logging
import re

from ..records import present

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns of every file it repairs

# A paper says so on its first page: an abstract, an arXiv stamp or a DOI.
PAPER_MARKS = re.compile(r"\babstract\b|\barxiv:\s*\d{4}\.\d{4,5}|\bdoi:?\s*10\.\d{4,9}/", re.I)
# Producers fill the title with a file name when the author left it empty.
FILE_NAME = re.compile(r"^[\w ()-]+\.(?:docx?|pdf|tex|dvi|pptx?|odt|rtf)$|^untitled$", re.I)


def is_pdf(content_type: str, body: bytes) -> bool:
    """A PDF by its declared type or, whatever the server said, by its magic bytes."""
    return content_type.split(";")[0].strip() == "application/pdf" or body[:1024].lstrip().startswith(
        b"%PDF-"
    )


def parse_pdf(body: bytes) -> dict:
    """Record fields of a PDF: title, authors, page count, and ``kind_hint`` ``paper``
    or ``document``. Raises ValueError for a body pypdf cannot read."""
    from pypdf import PdfReader  # imported by the first PDF: most crawls meet none

    try:
        reader = PdfReader(io.BytesIO(body))
        info = reader.metadata or {}
        pages = len(reader.pages)
        first_page = reader.pages[0].extract_text() if pages else ""
    except Exception as error:  # a malformed file can make pypdf raise almost anything
        raise ValueError(f"unreadable PDF: {' '.join(str(error).split()) or type(error).__name__}") from None
    title = _info_text(info, "/Title")
    fields = present(
        {
            "title": None if title and FILE_NAME.match(title) else title,
            "authors": _info_text(info, "/Author"),
            "description": _info_text(info, "/Subject"),
            "page_count": pages or None,
        }
    )
    provenance = dict.fromkeys(fields, "pdf-metadata")
    kind = "paper" if PAPER_MARKS.search(first_page or "") else "document"
    status = (
        {"status": "ok"} if "title" in fields else {"status": "partial", "error": "the PDF names no title"}
    )
    return {**fields, "kind_hint": kind, **status, "provenance": provenance}


def _info_text(info, key: str) -> str | None:
    """A text entry of the document information; None for a missing or non-text one."""
    value = info.get(key)
    value = value.get_object() if hasattr(value, "get_object") else value
    return value.strip() or None if isinstance(value, str) else None
