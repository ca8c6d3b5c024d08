"""The roadmap parser has limits, not crashes: deep nesting is refused in one line, a line of
many links is read whole, UTF-16 and UTF-32 files are decoded, and any text gives a model or
one RoadmapError."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learngraph.crawler.roadmap import MAX_NESTING, Roadmap, RoadmapError, parse_roadmap, read_roadmap
from learngraph_process import run_learngraph


def nested_quotes(depth: int) -> str:
    return "# Deep\n" + ">" * depth + " [a](https://a.org/)\n"


def nested_list(depth: int) -> str:
    return "# Deep\n" + "".join(
        f"{'  ' * level}- [link {level}](https://a.org/{level})\n" for level in range(depth)
    )


@pytest.mark.parametrize(
    "text",
    [nested_quotes(500), nested_list(500), "- " * 500 + "x\n", "> - 1. " * 200 + "x\n", "\t" * 100 + "- x\n"],
    ids=["blockquotes", "indented list", "bullets on one line", "mixed", "tabs"],
)
def test_nesting_deeper_than_the_limit_is_refused_in_one_line(text):
    with pytest.raises(RoadmapError) as refused:
        parse_roadmap(text, "deep.md")
    message = str(refused.value)
    assert message.startswith("deep.md: line ") and "\n" not in message
    assert str(MAX_NESTING) in message


def test_a_hundred_thousand_levels_end_in_one_line_not_a_crash(tmp_path):
    roadmap = tmp_path / "deep.md"
    roadmap.write_text(nested_quotes(100_000), encoding="utf-8")
    result = run_learngraph("parse", roadmap, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("learngraph: error: ") and result.stderr.count("\n") == 1


def test_nesting_within_the_limit_is_read_to_the_deepest_link():
    depth = MAX_NESTING // 2
    roadmap = parse_roadmap(nested_list(depth), "deep.md")
    assert [r.url for r in roadmap.resources] == [f"https://a.org/{level}" for level in range(depth)]
    assert parse_roadmap(nested_quotes(MAX_NESTING), "deep.md").resources[0].url == "https://a.org/"


def test_emphasis_nested_thousands_deep_is_read():
    roadmap = parse_roadmap("# R\n" + "**" * 5000 + "[a](https://a.org/)" + "**" * 5000 + "\n")
    assert [r.url for r in roadmap.resources] == ["https://a.org/"]


def test_many_links_on_one_line_are_all_read():
    links = [f"[page {n}](https://example.org/{n})" for n in range(20_000)]
    roadmap = parse_roadmap("# One line\n" + " ".join(links) + "\n")
    assert len(roadmap.resources) == 20_000
    assert roadmap.resources[-1].mentions[0].text == "page 19999"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_bom_are_decoded(tmp_path, encoding):
    path = tmp_path / "roadmap.md"
    path.write_bytes(("\ufeff# Über NLP\n- [Tokenizer 分词](https://example.org/分词)\n").encode(encoding))
    roadmap = read_roadmap(path)
    assert roadmap.title == "Über NLP"
    assert [(r.url, r.title) for r in roadmap.resources] == [
        ("https://example.org/%E5%88%86%E8%AF%8D", "Tokenizer 分词")
    ]


# Pieces of Markdown that open structure, so that random text nests, links and breaks it.
MARKDOWN_PIECES = st.sampled_from(
    [
        "- ",
        "* ",
        "1. ",
        "> ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "#",
        "## ",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](https://a.org/",
        "https://b.org/x?q=%26",
        "www.c.org",
        "<",
        "<a href='",
        "'>",
        "</a>",
        "`",
        "```",
        "*",
        "_",
        "~~",
        "|",
        "---",
        "[x] ",
        "DONE ",
        "%",
        "\\",
        "&#96;",
        "\r",
        "\x00",
        "\ufeff",
    ]
)
REPEATED = st.tuples(MARKDOWN_PIECES, st.sampled_from([2, 5, 50, 500, 2000])).map(
    lambda piece: piece[0] * piece[1]
)
MARKDOWN = st.lists(st.one_of(MARKDOWN_PIECES, REPEATED, st.text(max_size=3)), max_size=200).map("".join)


@given(st.one_of(st.text(), MARKDOWN))
def test_any_text_gives_a_roadmap_or_one_roadmap_error(text):
    try:
        roadmap = parse_roadmap(text, "any.md")
    except RoadmapError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(roadmap, Roadmap)
        assert all(
            m.topic is None or m.topic in {t.id for t in roadmap.topics}
            for r in roadmap.resources
            for m in r.mentions
        )
