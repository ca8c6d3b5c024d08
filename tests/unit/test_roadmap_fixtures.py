"""The parser on roadmaps kept in tests/fixtures/roadmaps: one written to hold every
Markdown construct an awesome list uses, a malformed one, and three real READMEs."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from learngraph.crawler.roadmap import Roadmap, parse_roadmap, read_roadmap

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roadmaps"


@cache
def load(name: str, base_url: str | None = None) -> Roadmap:
    return read_roadmap(FIXTURES / f"{name}.md", base_url=base_url)


def resource(roadmap: Roadmap, resource_id: str):
    return next(r for r in roadmap.resources if r.id == resource_id)


def ignored(roadmap: Roadmap, reason: str) -> list[str]:
    return [i.url for i in roadmap.ignored if i.reason == reason]


# The English awesome-style list.
def test_headings_with_badges_code_links_setext_and_duplicates():
    roadmap = load("awesome-style")
    assert [(t.id, t.name, t.level) for t in roadmap.topics] == [
        ("awesome-language-models", "Awesome Language Models", 1),
        ("awesome-language-models/contents", "Contents", 2),
        ("awesome-language-models/courses", "Courses", 2),
        ("awesome-language-models/papers", "Papers", 2),
        ("awesome-language-models/tools-with-code-and-links", "Tools with code and links", 2),
        ("awesome-language-models/tools", "Tools", 2),
        ("awesome-language-models/papers-2", "Papers", 2),
        ("awesome-language-models/中文-资源", "中文 资源", 2),
        ("awesome-language-models/empty-section", "Empty section", 2),
    ]
    assert roadmap.title == "Awesome Language Models"
    assert resource(roadmap, "https://example.com/tools-heading").topics == [
        "awesome-language-models/tools-with-code-and-links"
    ]


def test_nested_lists_reference_links_and_task_boxes():
    roadmap = load("awesome-style")
    courses = [r for r in roadmap.resources if r.topics == ["awesome-language-models/courses"]]
    assert [(r.id, r.kind, r.done) for r in courses] == [
        ("youtube:playlist:PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ", "playlist", False),
        ("youtube:rmVRLeJRkl4", "video", False),
        ("youtube:iDulhoQ2pro", "video", False),  # reference-style link
        ("youtube:VMj-3S1tku0", "video", True),  # - [x]
        ("youtube:kCc8FmEb1nY", "video", False),  # - [ ]
    ]
    lecture = resource(roadmap, "youtube:rmVRLeJRkl4")
    assert lecture.attrs == {"start": 90, "playlist": "PLoROMvodv4rOSH4v6133s9LFPRHjEmbmJ"}
    assert resource(roadmap, "youtube:iDulhoQ2pro").title == "Attention Is All You Need, explained"
    note = next(i for i in roadmap.items if i.text == "Watch this one twice.")
    assert (note.topic, note.kind) == ("awesome-language-models/courses", "note")


def test_one_resource_linked_under_two_topics_is_one_resource_attached_to_both():
    roadmap = load("awesome-style")
    attention = resource(roadmap, "arxiv:1706.03762")
    assert attention.topics == [
        "awesome-language-models/papers",
        "awesome-language-models/tools-with-code-and-links",
    ]
    assert [m.text for m in attention.mentions] == ["Attention Is All You Need", "Attention again"]
    assert attention.attrs == {"version": "v7"}
    transformers = resource(
        roadmap, "github:huggingface/transformers"
    )  # HTML <a> and Markdown, two spellings
    assert [m.line for m in transformers.mentions] == [30, 31]
    bert = resource(roadmap, "arxiv:1810.04805")  # an autolink, then a link in a paragraph
    assert bert.topics == ["awesome-language-models/papers", "awesome-language-models/papers-2"]
    assert len({r.id for r in roadmap.resources}) == len(roadmap.resources)


def test_bare_urls_autolinks_paragraph_links_and_tables():
    roadmap = load("awesome-style")
    ids = {r.id for r in roadmap.resources}
    assert {"arxiv:2106.09685", "arxiv:1810.04805"} <= ids  # bare URL and <autolink>
    assert "https://huggingface.co/learn/nlp-course/chapter1/1" in ids  # utm_* and #fragment dropped
    assert {"https://spacy.io/", "https://www.nltk.org/"} <= ids  # a table, Markdown and HTML cells
    assert resource(roadmap, "bilibili:BV1Wv411h7kN").topics == ["awesome-language-models/中文-资源"]
    question = next(i for i in roadmap.items if i.topic == "awesome-language-models/papers")
    assert (question.text, question.kind) == ("How does in-context learning work?", "question")


def test_what_is_not_a_resource_is_ignored_with_its_reason():
    roadmap = load("awesome-style")
    assert ignored(roadmap, "badge") == ["https://awesome.re", "https://github.com/example/ci"]
    assert ignored(roadmap, "mailto link") == ["mailto:maintainers@example.org"]
    assert ignored(roadmap, "in-page anchor") == [
        "#papers",
        "https://github.com/example/awesome-lm#courses",
        "https://github.com/example/awesome-lm/blob/main/README.md#papers",
        "#tools",
    ]
    assert ignored(roadmap, "relative link (give --base-url to resolve it)") == [
        "CONTRIBUTING.md",
        "docs/usage.md",
    ]
    assert "https://example.com/logo.png" in ignored(roadmap, "image")
    assert not any("awesome.re" in r.url or "shields.io" in r.url for r in roadmap.resources)


def test_relative_links_resolve_against_the_base_url():
    roadmap = load("awesome-style", "https://github.com/example/awesome-lm/blob/main/README.md")
    docs = resource(roadmap, "github:example/awesome-lm/docs/usage.md")
    assert docs.attrs == {"ref": "main", "path": "docs/usage.md"}
    assert "github:example/awesome-lm/CONTRIBUTING.md" in {r.id for r in roadmap.resources}
    assert ignored(roadmap, "relative link (give --base-url to resolve it)") == []


def test_a_relative_link_to_a_heading_of_this_readme_is_an_anchor():
    text = "# Tools\n\n## Install\n\n- [install](README.md#install)\n- [usage](docs/usage.md#install)\n"
    roadmap = parse_roadmap(text, base_url="https://github.com/example/lm/blob/main/README.md")
    assert ignored(roadmap, "in-page anchor") == ["README.md#install"]
    assert [r.id for r in roadmap.resources] == ["github:example/lm/docs/usage.md"]


def test_empty_topics_of_the_awesome_list():
    assert [t.id for t in load("awesome-style").empty_topics] == [
        "awesome-language-models/contents",
        "awesome-language-models/empty-section",
    ]


# Malformed Markdown.
def test_malformed_markdown_gives_a_model_and_keeps_every_link():
    roadmap = load("malformed")
    assert [t.name for t in roadmap.topics] == [
        "Malformed [roadmap",
        "Heading with trailing hashes",
        "Untitled",
    ]
    assert {r.url for r in roadmap.resources} == {
        "https://example.com/unclosed",
        "https://example.com/open-anchor",
        "https://example.com/indented",
        "https://example.com/cell",
        "https://example.com/in-div",
        "https://example.com/empty-text",
        "https://example.com/auto",
    }
    assert Counter(i.reason for i in roadmap.ignored) == {"malformed URL": 2, "empty link": 1}
    assert [i.text for i in roadmap.items] == ["inconsistently", "indented", "tabbed item"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "# ",
        "[",
        "](",
        "<a href=",
        "| |\n|-|",
        "- [x]",
        "```\n[a](https://x.org)",
        "\x00",
        "# a\n## b\n###### c\n# d",
        "<https://>",
        "[a](http://[::1)",
        "- <a id=x>no link</a>",
    ],
)
def test_odd_inputs_never_raise(text):
    roadmap = parse_roadmap(text)
    assert roadmap.to_dict()["resources"] == [r for r in roadmap.to_dict()["resources"] if r["id"]]


def test_links_inside_code_are_not_resources():
    roadmap = parse_roadmap(
        "# T\n\n```\n[a](https://example.com/code)\n```\n\n`https://example.com/inline`\n"
    )
    assert roadmap.resources == []


def test_a_backtick_left_open_in_link_text_keeps_the_link_and_the_code_elsewhere():
    # markdown-it-pyrs 0.4 panics on this; the parser reads it as GitHub shows it.
    roadmap = parse_roadmap(
        "# T `code`\n\n- [Andrew Ng`s course](https://example.com/ng)\n- `https://example.com/in-code`\n"
    )
    assert [t.name for t in roadmap.topics] == ["T code"]
    assert [(m.text, m.url, m.line) for r in roadmap.resources for m in r.mentions] == [
        ("Andrew Ng`s course", "https://example.com/ng", 3)
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_count_alike_whatever_the_line_ends(newline):
    text = newline.join(
        [
            "# T",
            "",
            "<div>",
            "<a href='https://example.com/html'>in HTML</a>",
            "</div>",
            "",
            "## U",
            "- question?",
            "- see [a](https://example.com/a)",
            "  and https://example.com/b",
            "",
        ]
    )
    roadmap = parse_roadmap(text)
    assert [(t.name, t.line) for t in roadmap.topics] == [("T", 1), ("U", 7)]
    assert [(m.url, m.line) for r in roadmap.resources for m in r.mentions] == [
        ("https://example.com/html", 4),
        ("https://example.com/a", 9),
        ("https://example.com/b", 10),
    ]
    assert [(i.text, i.line) for i in roadmap.items] == [("question?", 8)]


def test_hrefs_are_kept_as_written_and_bare_www_addresses_link():
    roadmap = parse_roadmap(
        "# T\n\n- [维基](https://zh.wikipedia.org/wiki/中文) and [encoded](https://example.com/a%20b)\n"
        "- [ref][r], see www.example.org/page.\n\n[r]: https://example.com/ü\n"
    )
    assert [m.url for r in roadmap.resources for m in r.mentions] == [
        "https://zh.wikipedia.org/wiki/中文",
        "https://example.com/a%20b",
        "https://example.com/ü",
        "http://www.example.org/page",
    ]


# The real roadmaps.
def test_awesome_nlp_table_of_contents_and_back_to_top_links_are_anchors_not_resources():
    roadmap = load("awesome-nlp")
    assert len(ignored(roadmap, "in-page anchor")) == 61
    assert not any("#" in r.url for r in roadmap.resources)
    assert ignored(roadmap, "badge") == ["https://github.com/sindresorhus/awesome"]
    assert "empty link" not in {i.reason for i in roadmap.ignored}  # <a id="python"> names, never links
    assert [t.id for t in roadmap.empty_topics] == ["awesome-nlp/contents", "awesome-nlp/license"]


def test_awesome_nlp_resources():
    roadmap = load("awesome-nlp")
    assert len(roadmap.resources) == 297
    sources = Counter(r.source for r in roadmap.resources)
    assert (sources["github"], sources["arxiv"]) == (154, 11)
    spacy = resource(roadmap, "github:explosion/spacy")
    assert spacy.topics == ["awesome-nlp/libraries"]
    textblob_line = next(r for r in roadmap.resources if r.url == "https://www.nltk.org/").mentions[0].line
    assert textblob_line == 143  # a second link in the same bullet


def test_absolute_links_back_into_the_readme_are_anchors():
    text = (FIXTURES / "awesome-nlp.md").read_text()
    text += (
        "\n- [Back](https://github.com/keonkim/awesome-nlp#contents)"
        "\n- [Tübingen](https://github.com/keonkim/awesome-nlp/blob/master/README.md#user-content-books)"
        "\n- [Other repo](https://github.com/keonkim/other#install)\n"
    )
    roadmap = parse_roadmap(text)
    anchors = ignored(roadmap, "in-page anchor")
    assert anchors[-2:] == [
        "https://github.com/keonkim/awesome-nlp#contents",
        "https://github.com/keonkim/awesome-nlp/blob/master/README.md#user-content-books",
    ]
    assert "github:keonkim/other" in {r.id for r in roadmap.resources}


def test_ml_youtube_courses_playlists_and_videos_in_lists():
    roadmap = load("ml-youtube-courses")
    kinds = Counter(r.kind for r in roadmap.resources if r.source == "youtube")
    assert kinds == {"playlist": 51, "video": 4}
    assert len(ignored(roadmap, "in-page anchor")) == 58
    in_list = resource(roadmap, "youtube:ayzOzZGHZy4")
    assert (in_list.kind, in_list.attrs) == ("video", {"playlist": "PLnSYPjg2dHQKdig0vVbN-ZnEU0yNJ1mo5"})
    assert roadmap.topics[0].id == "ml-youtube-courses"  # "📺 ML YouTube Courses"
    assert roadmap.topic("ml-youtube-courses/introduction-to-machine-learning-tübingen").level == 2
    caltech = [
        i.text for i in roadmap.items if i.topic == "ml-youtube-courses/caltech-cs156-learning-from-data"
    ]
    assert len(caltech) == 18 and caltech[0] == "Lecture 1: The Learning Problem"


def test_llm_course_tables_paragraph_links_html_and_emoji_headings():
    roadmap = load("llm-course")
    assert [t.id for t in roadmap.topics if t.parent is None] == [
        "notebooks",
        "llm-fundamentals",
        "the-llm-scientist",
        "the-llm-engineer",
        "acknowledgements",
    ]
    tools = {r.id for r in roadmap.resources if "notebooks/fine-tuning" in r.topics}
    assert "https://mlabonne.github.io/blog/posts/2024-07-29_Finetune_Llama31.html" in tools
    assert resource(roadmap, "github:mlabonne/llm-autoeval").topics == ["notebooks/tools"]
    deepwiki = resource(roadmap, "https://deepwiki.com/mlabonne/llm-course/")  # a link in a paragraph
    assert deepwiki.topics == [] and deepwiki.mentions[0].line == 21
    handbook = resource(roadmap, "https://packt.link/a/9781836200079")  # HTML block, then a note
    assert [m.line for m in handbook.mentions] == [7, 19]
    # "Open In Colab" images that link are badges, in HTML as in Markdown.
    assert len(ignored(roadmap, "badge")) == 25
    assert not any(r.url.startswith("https://colab.research.google.com") for r in roadmap.resources)
    video = resource(roadmap, "youtube:fNk_zzaMoSs")
    assert video.attrs == {"playlist": "PLZHQObOWTQDPD3MizzM2xVFitgF8hE_ab"}
    assert len(roadmap.resources) == 188
