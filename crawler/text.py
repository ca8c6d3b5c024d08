"""Text written by strangers, made fit to keep, write and show.

A page's title or a roadmap's heading may hold characters that mean nothing to a reader
but a great deal to a program: ESC starts a terminal escape sequence, NUL and the other
controls are refused by XML, a lone surrogate cannot be encoded in UTF-8 at all, and the
Unicode noncharacters are not to be interchanged. They are taken out wherever such text
enters learngraph, and again wherever it leaves, whatever came in by another way.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone
# surrogates; the noncharacters U+FDD0..U+FDEF and the last two code points of each plane.
# Those of the planes above the first are looked for only behind a character of those
# planes: in the one class with the rest they would make every search ten times slower.
UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
    "|[\U00010000-\U0010ffff](?<=["
    + "".join(f"{chr(plane + 0xFFFE)}-{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
    + "])"
)
LINE_BREAKS = re.compile(r"[\t\n\r]")
# The UTF-8 of UNWANTED's characters but the C0 controls, which JSON escapes, and the
# surrogates, which UTF-8 cannot hold. Each lead byte starts a character, so a match never
# straddles two.
UNWANTED_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]"
)
# Each of those holds one of these. Looking for them takes a tenth of the time the pattern
# takes; much text holds none.
UNWANTED_UTF8_MARKS = (b"\x7f", b"\xc2", b"\xef\xb7", b"\xbf\xbe", b"\xbf\xbf")


def printable(text: str) -> str:
    """``text`` without the characters no reader, file format or terminal should get;
    tabs and line breaks stay.

    >>> printable("Intro\\x1b[31m to NLP\\x00")
    'Intro[31m to NLP'
    """
    return UNWANTED.sub("", text)


def one_line(text: str) -> tuple[str, bool]:
    """``text`` as one printable line: unwanted characters out, tabs and line breaks as
    spaces; and whether any unwanted character was there.

    >>> one_line("a\\tb\\x07")
    ('a b', True)
    """
    text, removed = UNWANTED.subn("", text)
    return LINE_BREAKS.sub(" ", text), removed > 0


def has_unwanted_utf8(data: bytes) -> bool:
    """Whether the UTF-8 ``data`` holds a character ``printable`` would take out, the C0
    controls aside: what encoded JSON may carry raw.

    >>> has_unwanted_utf8("caf\u00e9 \u00a9".encode()), has_unwanted_utf8("bell\u0085".encode())
    (False, True)
    """
    if data.isascii():  # as JSON mostly is; a few milliseconds for 40 MiB
        return b"\x7f" in data
    return any(mark in data for mark in UNWANTED_UTF8_MARKS) and UNWANTED_UTF8.search(data) is not None
