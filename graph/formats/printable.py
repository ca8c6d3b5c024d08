"""What every format writes is valid whatever the graph holds: control characters, lone
surrogates and noncharacters (which XML refuses and UTF-8 cannot encode) are left out of
every id, name and value (``learngraph.crawler.text``)."""

from __future__ import annotations

import json
import re

import orjson

from learngraph.crawler.files import atomic_write
from learngraph.crawler.text import UNWANTED, printable


def printable_data(value):
    """``value`` with every string in it, dict keys too, made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [printable_data(element) for element in value]
    if isinstance(value, dict):
        return {printable_data(key): printable_data(element) for key, element in value.items()}
    return value


# How json.dumps spells the control characters it escapes. A match may be a false alarm (an
# escaped backslash before a "b"), which costs only the slower, value by value cleaning.
ESCAPED_CONTROL = re.compile(r"\\(?:u00[01][0-9a-fA-F]|[bf])")


def json_text(data, indent: int | None = None) -> str:
    """``data`` as JSON text without unwanted characters: cleaned value by value only when
    the JSON text shows one, as a graph built from normalised records never does."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if UNWANTED.search(text) or ESCAPED_CONTROL.search(text):
        text = json.dumps(printable_data(data), ensure_ascii=False, indent=indent)
    return text


# Where UTF-8 JSON from orjson shows a character of ``UNWANTED``: a control character as it
# escapes it, DEL, a C1 control, or a noncharacter (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF); lone
# surrogates it refuses to encode. Each pattern starts with a fixed byte, which the regex
# engine finds fast, where one alternation of them all is tried at every byte (25 times slower).
UNWANTED_IN_JSON = tuple(
    re.compile(pattern)
    for pattern in (
        ESCAPED_CONTROL.pattern.encode(),
        rb"\x7f",
        rb"\xc2[\x80-\x9f]",
        rb"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])",
        rb"\xbf[\xbe\xbf](?<=[\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf])",
    )
)


def json_bytes(data, indent: bool = False) -> bytes:
    """``data`` as UTF-8 JSON without unwanted characters, encoded by orjson: cleaned value
    by value only when the encoded text shows one or a string cannot be encoded, as a graph
    built from normalised records never does."""
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    try:
        encoded = orjson.dumps(data, option=option)
        if not any(pattern.search(encoded) for pattern in UNWANTED_IN_JSON):
            return encoded
    except orjson.JSONEncodeError:  # a lone surrogate, which UTF-8 cannot encode
        pass
    return orjson.dumps(printable_data(data), option=option)


def write_json_text(data, path, indent: bool = False) -> None:
    """``data`` as UTF-8 JSON without unwanted characters (``json_bytes``)."""
    with atomic_write(path, "wb") as file:
        file.write(json_bytes(data, indent))
