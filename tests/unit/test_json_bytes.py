"""JSON as the commands print it (``json_bytes``): the text ``json.dumps`` gave, and never a
character no file or terminal should get, however the data came to hold one."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from learngraph.crawler.text import UNWANTED, has_unwanted_utf8
from learngraph.graph.formats.printable import json_bytes, printable_data

C0 = {chr(c) for c in range(0x20)}
SURROGATES = {chr(c) for c in range(0xD800, 0xE000)}


def test_the_utf8_check_finds_exactly_the_unwanted_characters_utf8_can_hold():
    """Every code point but the C0 controls, which JSON escapes, and the surrogates, which
    UTF-8 cannot hold: alone, between ASCII, and beside other non-ASCII text."""
    for c in range(0x110000):
        char = chr(c)
        if char in C0 or char in SURROGATES:
            continue
        unwanted = UNWANTED.match(char) is not None
        for text in (char, f"a{char}b", f"é{char}中😀"):
            assert has_unwanted_utf8(text.encode()) is unwanted, hex(c)


def test_clean_data_prints_as_json_dumps_printed_it():
    data = {
        "topic": "roadmap/llama",
        "name": "LLaMA — 中文 😀 café ©",
        "steps": [{"resources": [], "hours": 1.5, "done": False, "left": None}, {}],
        "count": 3,
        1: "a key that is not a string",
        "escaped": 'tab\t quote" backslash\\ bell\x07',
    }
    assert json_bytes(data, indent=True) == json.dumps(data, ensure_ascii=False, indent=2).encode()
    assert json_bytes(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def test_unwanted_characters_are_left_out_wherever_they_are():
    data = {
        "lone\ud800 surrogate": ["DEL\x7f", "C1\x9b", {"non\ufdd0": "character\U0010ffff"}],
        "clean": "中文",
    }
    printed = json_bytes(data, indent=True).decode()
    assert not UNWANTED.search(printed)
    assert json.loads(printed) == {
        "lone surrogate": ["DEL", "C1", {"non": "character"}],
        "clean": "中文",
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_any_data_prints_as_valid_utf8_json_of_its_printable_values(data):
    printed = json_bytes(data, indent=True).decode("utf-8")
    # The C0 controls JSON escapes, so they may stay, escaped; anything else unwanted goes.
    assert not UNWANTED.search(printed)
    found = json.loads(printed)
    assert found == printable_data(data) or found == data
