"""``AliasIndex.find`` looks at only the words a name can begin at; it must find exactly
what trying every name at every word finds: the same topics at the same places."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from learngraph.crawler.records import read_records
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph.aliases import TOKEN, AliasIndex, _fold, _is_acronym, _key
from learngraph.graph.build import build_graph
from learngraph.graph.prerequisites import MENTION_FIELDS

ROOT = Path(__file__).parents[2]
ROADMAP = ROOT / "crawler" / "roadmap" / "data" / "nlp-roadmap.md"
CRAWL = ROOT / "tests" / "fixtures" / "crawl" / "nlp-roadmap"


def found_name_by_name(names: dict[str, list[str]], text: str) -> Counter:
    """(topic, start, end) of every name of every topic, each tried at every word."""
    words = list(TOKEN.finditer(text))
    found = Counter()
    for topic, aliases in names.items():
        for alias in dict.fromkeys(aliases):
            for i, word in enumerate(words):
                if _is_acronym(alias):
                    raw = word.group()
                    if alias in (raw, raw.removesuffix("s") if raw[:-1].isupper() else raw):
                        found[topic, word.start(), word.end()] += 1
                    continue
                key = _key(alias)
                window = words[i : i + len(key)]
                if (
                    key
                    and len(window) == len(key)
                    and all(_fold(w.group()) == k for w, k in zip(window, key))
                ):
                    found[topic, word.start(), window[-1].end()] += 1
    return found


def assert_same_matches(names: dict[str, list[str]], texts: list[str]) -> None:
    index = AliasIndex(names)
    for text in texts:
        assert Counter(index.find(text)) == found_name_by_name(names, text), text


def test_the_embedded_roadmap_resources_name_the_same_topics():
    G = build_graph(read_roadmap(ROADMAP), read_records(CRAWL / "resources.jsonl"))
    names = {n: [d["name"], *d.get("aliases", ())] for n, d in G.nodes(data=True) if d["type"] == "topic"}
    texts = [
        d[field]
        for _, d in G.nodes(data=True)
        if d["type"] == "resource"
        for field in MENTION_FIELDS
        if isinstance(d.get(field), str)
    ]
    texts += [d["text"] for _, d in G.nodes(data=True) if d["type"] == "item"]
    assert len(texts) > 50
    assert sum(1 for text in texts if any(AliasIndex(names).find(text))) > 20
    assert_same_matches(names, texts)


# Words that make names and texts: plurals, acronyms (matched in capitals only), names
# inside names, digits, and CJK characters, each a word of its own.
WORDS = "neural network networks NN NNs GAN GANs gan class classes LLM 3D 2 神经 网络 模型 GPT ChatGPT attention bus buses".split()
SEPARATORS = [" ", "-", ", ", ". ", "", "_", "/", "\n"]


def phrase(max_words: int):
    return st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.booleans()),
        min_size=1,
        max_size=max_words,
    ).map(lambda parts: "".join((w.title() if upper else w) + sep for w, sep, upper in parts).strip())


@given(
    st.lists(st.lists(phrase(3), min_size=1, max_size=3), min_size=1, max_size=6),
    st.lists(phrase(12), max_size=4),
)
@example([["GAN"], ["NN", "Neural Network"], ["神经网络"]], ["GANs, NNs and neural-networks: 神经网络模型"])
def test_generated_names_are_found_where_name_by_name_search_finds_them(groups, texts):
    names = {f"topic-{i}": group for i, group in enumerate(groups)}
    # An ASCII text is searched by a regex, any other by its words: " é" sends it the other way.
    assert_same_matches(names, [*texts, " ".join(texts), *(text + " é" for text in texts)])
