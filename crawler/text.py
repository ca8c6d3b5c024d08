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
