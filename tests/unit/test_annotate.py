"""annotated_roadmap on small roadmaps, one Markdown case each: where the facts go, that
nothing else moves, that a second run changes nothing, and that the parser reads an
annotated roadmap as the plain one."""

from __future__ import annotations

import doctest

from hypothesis import given
from hypothesis import strategies as st

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.roadmap.annotations import without_annotations
from learngraph.graph import annotate
from learngraph.graph.annotate import annotated_roadmap, compact_count, compact_time, resource_facts
from learngraph.graph.build import build_graph

OPEN, CLOSE = "<!-- learngraph -->", "<!-- /learngraph -->"
NOTE = f"{OPEN} (★ 1.2k){CLOSE}"


def graph_of(text: str, **facts):
    """The graph of ``text`` with every resource crawled, all with the same ``facts``."""
    roadmap = parse_roadmap(text)
    records = [{"id": r.id, "status": "ok", **(facts or {"stars": 1234})} for r in roadmap.resources]
    return build_graph(roadmap, records)


def annotated(text: str, **facts) -> str:
    """``text`` annotated with a graph whose resources all have ``facts``, after checking
    that the annotations come off to give back ``text`` byte for byte, that a second run
    changes nothing, and that the annotated roadmap parses to the same topics and resources."""
    G = graph_of(text, **facts)
    result = annotated_roadmap(text, G)
    assert without_annotations(result) == text
    assert annotated_roadmap(result, G) == result
    assert without_lines(parse_roadmap(result).to_dict()) == without_lines(parse_roadmap(text).to_dict())
    return result


def without_lines(data):
    """A parsed roadmap's JSON form without line numbers (a study time's line moves those below)."""
    if isinstance(data, dict):
        return {k: without_lines(v) for k, v in data.items() if k != "line"}
    if isinstance(data, list):
        return [without_lines(v) for v in data]
    return data


def test_a_link_gets_its_facts_and_a_section_its_study_time_on_the_next_line():
    text = "# Course\n\n## Videos\n- [Intro](https://youtu.be/aaaaaaaaaaa) by someone\n"
    result = annotated(text, duration=5280)
    assert result == (
        "# Course\n"
        f"{OPEN}⏱ 1h 28m to study{CLOSE}\n"
        "\n## Videos\n"
        f"{OPEN}⏱ 1h 28m to study{CLOSE}\n"
        f"- [Intro](https://youtu.be/aaaaaaaaaaa){OPEN} (⏱ 1h 28m){CLOSE} by someone\n"
    )


def test_crlf_line_ends_stay_and_the_study_time_line_ends_alike():
    text = "# A\r\n- [a](https://a.org/x)\r\n- [b](https://b.org/y)\r\n"
    result = annotated(text, duration=60)
    assert result == (
        f"# A\r\n{OPEN}⏱ 2m to study{CLOSE}\r\n"
        f"- [a](https://a.org/x){OPEN} (⏱ 1m){CLOSE}\r\n- [b](https://b.org/y){OPEN} (⏱ 1m){CLOSE}\r\n"
    )
    assert "\n" not in result.replace("\r\n", "")


def test_a_file_without_final_newline_keeps_none():
    text = "Links:\n[a](https://a.org/x)"
    result = annotated(text)
    assert result == f"Links:\n[a](https://a.org/x){NOTE}"


def test_a_heading_on_the_last_line_without_line_end_gets_no_line_after_it():
    text = "[a](https://a.org/x)\n# End"
    result = annotated(text)
    assert result == f"[a](https://a.org/x){NOTE}\n# End"


def test_links_in_a_table_are_annotated_inside_their_cells():
    text = "| name | link |\n|---|---|\n| A | [a](https://a.org/x) |\n| B | <https://b.org/y> |\n"
    result = annotated(text)
    assert result == (
        f"| name | link |\n|---|---|\n| A | [a](https://a.org/x){NOTE} |\n| B | <https://b.org/y>{NOTE} |\n"
    )


def test_reference_links_are_annotated_where_they_are_used_not_where_defined():
    text = "- [full][r] and [collapsed][] and [shortcut]\n\n[r]: https://r.org/1\n[collapsed]: https://c.org/2\n[shortcut]: https://s.org/3\n"
    result = annotated(text)
    assert result.splitlines()[0] == f"- [full][r]{NOTE} and [collapsed][]{NOTE} and [shortcut]{NOTE}"
    assert result.splitlines()[2:] == text.splitlines()[2:]


def test_bare_urls_are_annotated_before_the_punctuation_that_ends_them():
    text = "See https://b.org/y. Or www.example.com/x, or (www.example.org).\n"
    result = annotated(text)
    assert result == f"See https://b.org/y{NOTE}. Or www.example.com/x{NOTE}, or (www.example.org{NOTE}).\n"


def test_the_same_link_twice_is_annotated_twice():
    text = "- [a](https://a.org/x) again: [a again](https://a.org/x)\n- [a](https://a.org/x)\n"
    result = annotated(text)
    assert result.count(NOTE) == 3


def test_links_in_code_are_never_annotated():
    text = (
        "- `[a](https://a.org/x)` and `www.example.com` and [b](https://b.org/y)\n\n"
        "```\n[c](https://c.org/z)\n```\n\n    [d](https://d.org/w)\n"
    )
    result = annotated(text)
    assert result == text.replace("(https://b.org/y)", f"(https://b.org/y){NOTE}")


def test_an_html_link_is_annotated_after_its_closing_tag():
    text = 'Read <a href="https://a.org/x">the <b>guide</b></a> first.\n'
    result = annotated(text)
    assert result == f'Read <a href="https://a.org/x">the <b>guide</b></a>{NOTE} first.\n'


def test_links_in_headings_and_html_blocks_stay_as_they_are():
    # In a heading, the facts would change the anchor GitHub gives it.
    text = '# [Title](https://a.org/x)\n\n<p><a href="https://b.org/y">b</a></p>\n\n> ## Quoted\n> [c](https://c.org/z)\n'
    result = annotated(text, duration=60)
    assert result == text.replace("(https://c.org/z)", f"(https://c.org/z){OPEN} (⏱ 1m){CLOSE}").replace(
        "# [Title](https://a.org/x)\n", f"# [Title](https://a.org/x)\n{OPEN}⏱ 3m to study{CLOSE}\n"
    )


def test_control_characters_before_a_link_stay_and_do_not_move_the_annotation():
    text = "- \x07bell [a](https://a.org/x) \x1b[31mred\n"
    result = annotated(text)
    assert result == f"- \x07bell [a](https://a.org/x){NOTE} \x1b[31mred\n"


def test_a_backtick_left_open_inside_brackets_is_kept_as_written():
    # markdown-it-pyrs panics on it; the parser reads it as an entity, the file keeps it.
    text = "- [Andrew Ng`s course](https://a.org/x) and [b](https://b.org/y)\n"
    result = annotated(text)
    assert result == f"- [Andrew Ng`s course](https://a.org/x){NOTE} and [b](https://b.org/y){NOTE}\n"


def test_resources_the_graph_does_not_know_stay_unannotated():
    text = "- [a](https://a.org/x)\n"
    G = graph_of(text)
    result = annotated_roadmap(text + "- [new](https://new.org/n)\n", G)
    assert result == f"- [a](https://a.org/x){NOTE}\n- [new](https://new.org/n)\n"


def test_only_the_facts_asked_for_are_written():
    text = "# R\n- [a](https://a.org/x)\n"
    G = graph_of(text, stars=128_400, published="2023-05-01", duration=600)
    assert annotated_roadmap(text, G, ("stars",)) == f"# R\n- [a](https://a.org/x){OPEN} (★ 128k){CLOSE}\n"
    assert annotated_roadmap(text, G, ("study", "year")) == (
        f"# R\n{OPEN}⏱ 10m to study{CLOSE}\n- [a](https://a.org/x){OPEN} (📄 2023){CLOSE}\n"
    )


def test_dead_and_archived_links_say_so():
    assert resource_facts({"status": "not_found", "http_status": 404}) == ["dead: 404"]
    assert resource_facts({"status": "gone"}) == ["dead: gone"]
    assert resource_facts({"status": "timeout"}) == []  # one bad night is no death
    assert resource_facts({"status": "ok", "archived": True, "stars": 999}) == ["★ 999", "archived"]


def test_values_of_the_wrong_type_are_left_out():
    assert (
        resource_facts({"stars": "<!-- x -->", "duration": "1h", "published": "soon", "archived": "yes"})
        == []
    )
    assert resource_facts({"duration": float("nan"), "stars": True, "reading_time": -5}) == []


def test_compact_numbers():
    assert [compact_time(s) for s in (42, 600, 3599, 5280, 36000)] == [
        "42s",
        "10m",
        "1h 00m",
        "1h 28m",
        "10h 00m",
    ]
    assert [compact_count(n) for n in (999, 1000, 1234, 12_345, 128_400, 2_500_000)] == [
        "999",
        "1k",
        "1.2k",
        "12k",
        "128k",
        "2.5M",
    ]


def test_docstring_examples_run():
    assert doctest.testmod(annotate, raise_on_error=True).attempted > 0


# Pieces of roadmaps, to be put together in any order with either line end.
PIECES = st.sampled_from(
    [
        "# Title",
        "## Section",
        "- [a](https://a.org/x)",
        "- [b](https://b.org/y) and [a](https://a.org/x)",
        "| [t](https://t.org/1) | <https://c.org/2> |",
        "|---|---|",
        "see https://b.org/y. and www.example.com/z,",
        "- `[code](https://code.org/c)`",
        "```",
        "[r][ref]",
        "[ref]: https://r.org/r",
        "> - [q](https://q.org/q)",
        "<details><summary>More</summary>",
        "",
        "text with \x07 control",
        f"{OPEN}written by hand{CLOSE}",
    ]
)


@given(st.lists(PIECES, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_any_roadmap_comes_back_byte_for_byte_and_annotates_once(pieces, line_end, final_line_end):
    text = line_end.join(pieces) + (line_end if final_line_end else "")
    annotated(without_annotations(text), duration=90)
