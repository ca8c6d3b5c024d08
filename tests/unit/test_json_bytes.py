"""The JSON exports look for unwanted characters in the bytes orjson wrote, not in each
string: the byte patterns must see every character ``UNWANTED`` names, and no other."""

from __future__ import annotations

import json

import orjson

from learngraph.crawler.text import UNWANTED
from learngraph.graph.formats.printable import UNWANTED_IN_JSON, json_bytes

# The Basic Multilingual Plane, and around the last two code points of every other plane.
CODE_POINTS = [
    *range(0x10000),
    *(c for plane in range(0x10000, 0x110000, 0x10000) for c in range(plane - 16, plane + 16)),
]


def test_the_byte_patterns_find_exactly_the_unwanted_characters():
    for code in CODE_POINTS:
        if 0xD800 <= code <= 0xDFFF:
            continue  # lone surrogates: orjson refuses them, json_bytes cleans them
        text = chr(code)
        encoded = orjson.dumps(f"x{text}x")
        seen = any(pattern.search(encoded) for pattern in UNWANTED_IN_JSON)
        assert seen == bool(UNWANTED.search(text)), hex(code)


def test_unwanted_characters_are_left_out_and_the_rest_kept():
    data = {
        "name": "Intro\x1b[31m to NLP\x00",
        "tags": ["\ud800lone", "C1\x85", "non\ufdd0char", "\U0001fffeplane", "tab\tkept", "神经网络"],
        "\x07key": 1,
    }
    assert json.loads(json_bytes(data)) == {
        "name": "Intro[31m to NLP",
        "tags": ["lone", "C1", "nonchar", "plane", "tab\tkept", "神经网络"],
        "key": 1,
    }
    clean = {"a": "backslash \\b and \\u0000 as text", "b": [1.5, None, True]}
    assert json.loads(json_bytes(clean)) == clean
