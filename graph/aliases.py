"""The names a topic goes by, finding them in free text, and resolving what a user types.

A topic is known by its heading, by its heading without a step number ("3. Neural
Networks" is also "Neural Networks"), by the Latin terms inside a heading mixed with Chinese,
Japanese or Korean ("GPT和大模型RLHF训练" is also "GPT" and "RLHF"), and by the equivalents of any of those in ``BUILTIN_ALIASES``,
which a caller can extend.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import accumulate, islice

import networkx as nx

from .derived import derived

# Groups of names for one idea. A topic named by any member is known by all of them.
BUILTIN_ALIASES: tuple[tuple[str, ...], ...] = (
    ("Neural Network", "NN", "neural net", "神经网络"),
    ("RNN", "Recurrent Neural Network", "循环神经网络"),
    ("CNN", "Convolutional Neural Network", "卷积神经网络"),
    ("Transformer", "self-attention", "Attention Is All You Need"),
    ("GPT", "Generative Pre-trained Transformer"),
    ("RLHF", "Reinforcement Learning from Human Feedback", "人类反馈强化学习"),
    ("LLM", "Large Language Model", "大语言模型"),
    ("LoRA", "Low-Rank Adaptation"),
    ("GAN", "Generative Adversarial Network", "生成对抗网络"),
    ("Diffusion", "Diffusion Model", "扩散模型"),
    ("DALL-E", "DALL·E", "DALLE"),
    ("Prompt", "Prompting", "Prompt Engineering", "提示工程"),
    ("Instruct-fine-tuning", "Instruction Tuning", "Instruction Finetuning", "指令微调"),
    ("AIGC", "AI-generated content", "生成式AI"),
    ("NLP", "Natural Language Processing", "自然语言处理"),
)

# Runs of ASCII letters and digits are words; any other letter (CJK) is a word of its own,
# so "神经网络" is found inside "神经网络基础" while "GPT" is not found inside "ChatGPT".
TOKEN = re.compile(r"[A-Za-z0-9]+|[^\W\dA-Za-z_]")
SPLIT_WORDS = re.compile(f"({TOKEN.pattern})")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.+-]*[A-Za-z0-9]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# How headings number their steps: "1.", "Step 2:", "Week 3", "Part II", "第一阶段", after any emoji.
NUMBERING = re.compile(
    r"^\W*(?:(?:step|week|part|phase|stage|module|lesson|day|chapter|unit|level)\s*"
    r"(?:\d+|[IVXLC]+\b)\s*[.):：-]?|\d+(?:\.\d+)+\s|\d+(?:\.\d+)*\s*[.):、-]|[IVXLC]+[.)]\s"
    r"|第[一二三四五六七八九十百\d]+(?:阶段|部分|[步章周课天节部阶])?[：:、]?)\s*",
    re.I,
)


def _fold(word: str) -> str:
    """Case- and plural-insensitive form of a word: "Transformers" -> "transformer"."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _is_acronym(name: str) -> bool:
    """ "NN", "GAN", "RLHF" match only in capitals, so "nn" or "gan" in a sentence is no hit."""
    return name.isascii() and name.isupper() and name.isalnum() and len(name) <= 5


# Cached: every topic's names are compared with every member of every alias group.
@cache
def _key(name: str) -> tuple[str, ...]:
    return tuple(_fold(t) for t in TOKEN.findall(name))


def topic_aliases(name: str, extra: Iterable[Iterable[str]] = ()) -> list[str]:
    """Every other name of a topic called ``name``, from its heading and the alias groups.

    Examples
    --------
    >>> topic_aliases("GPT和大模型RLHF训练")[:3]
    ['GPT', 'RLHF', 'Generative Pre-trained Transformer']
    """
    names = [name]
    if (unnumbered := NUMBERING.sub("", name)) and unnumbered != name:
        names.append(unnumbered)
    if CJK.search(name):
        names += [run for run in LATIN_RUN.findall(name) if len(run) >= 2]
    keys = {_key(n) for n in names}
    for group in (*BUILTIN_ALIASES, *map(tuple, extra)):
        if keys & {_key(member) for member in group}:
            names += group
    return [n for n in dict.fromkeys(names) if n != name and _key(n)]


class AliasIndex:
    """Finds the names of many topics in a text in one pass over its words.

    Examples
    --------
    >>> index = AliasIndex({"t": ["Transformer"]})
    >>> [topic for topic, start, end in index.find("decoder-only transformers")]
    ['t']
    """

    def __init__(self, names: dict[str, Iterable[str]]):
        self.folded: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.exact: dict[str, list[str]] = defaultdict(list)
        self.longest: dict[str, int] = {}
        for topic, aliases in names.items():
            for alias in dict.fromkeys(aliases):
                if _is_acronym(alias):
                    self.exact[alias].append(topic)
                elif key := _key(alias):
                    self.folded[key].append(topic)
                    self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        # The lower-case words a name may begin with, so that only those are folded.
        self.first_words = {w for first in self.longest for w in (first, first + "s") if _fold(w) == first}
        self.exact_words = {w for name in self.exact for w in (name, name + "s")}  # "GANs" too
        # The same words as one regex, which finds them in an ASCII text without splitting
        # it into words, most of which begin no name; with no words, "(?!)" matches nowhere.
        ascii_first = [w for w in self.first_words if w.isascii()]
        branches = [f"(?i:{_trie_pattern(ascii_first)})"] if ascii_first else []
        branches += [_trie_pattern(self.exact_words)] if self.exact_words else []
        self.ascii_starts = re.compile(
            rf"(?<![A-Za-z0-9])(?:{'|'.join(branches) or '(?!)'})(?![A-Za-z0-9])", re.A
        )

    def find(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Yield (topic, start, end) for every name found in ``text``."""
        exact, by_key = self.exact, self.folded
        for start, words, ends in self._ascii_starts(text) if text.isascii() else self._starts(text):
            raw = words[0]
            for topic in exact.get(raw.removesuffix("s") if raw[:-1].isupper() else raw, ()):
                yield topic, start, ends[0]
            folded = tuple(map(_fold, words))
            for n in range(len(folded), 0, -1):
                for topic in by_key.get(folded[:n], ()):
                    yield topic, start, ends[n - 1]

    def _span(self, word: str) -> int:
        """How many words, from ``word`` on, a name that begins with it may span."""
        return max(1, self.longest.get(_fold(word), 0))

    def _starts(self, text: str) -> Iterator[tuple[int, list[str], list[int]]]:
        """(start, words, their ends) at each word of ``text`` a name may begin at, with
        the words after it such a name may span."""
        pieces = SPLIT_WORDS.split(text)  # gap, word, gap, word, ..., gap
        words = pieces[1::2]
        # The few words a name may begin at, picked out by comprehensions rather than a
        # Python loop over every word: most texts have none.
        starts = [i for i, w in enumerate(map(str.lower, words)) if w in self.first_words]
        starts += [i for i, w in enumerate(words) if w in self.exact_words]
        if not starts:
            return
        # Word i spans text[offsets[2 * i]:offsets[2 * i + 1]]: no match object per word.
        offsets = list(accumulate(map(len, pieces)))
        ends = offsets[1::2]
        for i in sorted(set(starts)):
            span = self._span(words[i])
            yield offsets[2 * i], words[i : i + span], ends[i : i + span]

    def _ascii_starts(self, text: str) -> Iterator[tuple[int, list[str], list[int]]]:
        """``_starts`` of an ASCII text, whose words are runs of letters and digits: the
        regex finds where a name may begin, and only the words from there are read."""
        for match in self.ascii_starts.finditer(text):
            spanned = list(islice(TOKEN.finditer(text, match.start()), self._span(match[0])))
            yield match.start(), [m[0] for m in spanned], [m.end() for m in spanned]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, shaped as a tree of their shared beginnings: a
    flat alternation of hundreds of words would try each of them at every position."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = f"(?:{'|'.join(branches)})"
        return group + "?" if "" in node else group

    return pattern(tree)


class UnresolvedTopic(nx.NodeNotFound):
    """What the user typed names no single topic. The message says so in one line;
    ``matches`` are the topics it could mean, each ``{"topic": id, "name": name}``."""

    def __init__(self, message: str, matches: list[dict]):
        super().__init__(message)
        self.matches = matches


class UnknownTopic(UnresolvedTopic):
    """No topic fits; ``matches`` are the ones whose names come close."""


class AmbiguousTopic(UnresolvedTopic):
    """More than one topic fits equally well; ``matches`` are they."""


class TopicNames:
    """The names of a graph's topics, looked up the four ways ``resolve_topic`` tries, each
    answering the topics in graph order: id, name, alias (all ignoring case), and a prefix
    of an id or name."""

    def __init__(self, G: nx.MultiDiGraph):
        self.names = {n: d["name"] for n, d in G.nodes(data=True) if d.get("type") == "topic"}
        self.position = {n: i for i, n in enumerate(self.names)}
        self.ids, self.by_name, self.aliases = defaultdict(list), defaultdict(list), defaultdict(list)
        for topic, name in self.names.items():
            self.ids[topic.casefold()].append(topic)
            self.by_name[name.casefold()].append(topic)
            for alias in dict.fromkeys(a.casefold() for a in G.nodes[topic].get("aliases", ())):
                self.aliases[alias].append(topic)
        # Every id and name, sorted, so that those with a prefix are one slice of the list.
        self.sorted = sorted(
            (s.casefold(), topic) for topic in self.names for s in (topic, self.names[topic])
        )
        self.keys = [key for key, _ in self.sorted]

    def starting_with(self, prefix: str) -> list[str]:
        found = set()
        for i in range(bisect.bisect_left(self.keys, prefix), len(self.keys)):
            if not self.keys[i].startswith(prefix):
                break
            found.add(self.sorted[i][1])
        return sorted(found, key=self.position.__getitem__)

    def matches(self, wanted: str) -> Iterator[list[str]]:
        """The topics ``wanted`` (case-folded) names, each way in turn."""
        yield self.ids.get(wanted, [])
        yield self.by_name.get(wanted, [])
        yield self.aliases.get(wanted, [])
        yield self.starting_with(wanted)


def resolve_topic(G: nx.MultiDiGraph, text: str) -> str:
    """The topic ``text`` names: its id, exact name or alias, or an unambiguous prefix.

    Matching ignores case. Raises ``UnknownTopic`` when nothing fits and ``AmbiguousTopic``
    when more than one topic does (both ``nx.NodeNotFound``), with a one-line message
    listing the close matches.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("roadmap/llama", type="topic", name="LLaMA")
    >>> resolve_topic(G, "llam")
    'roadmap/llama'
    """
    wanted = text.strip().casefold()
    names = derived(G, TopicNames)
    for found in names.matches(wanted):
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{names.names[n]} ({n})" for n in found[:8])
            raise AmbiguousTopic(f"topic {text!r} is ambiguous: {listed}", _matches(names, found[:8]))
    by_name = {name.casefold(): n for n, name in names.names.items()}
    close = [by_name[c] for c in difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.5)]
    hint = "; did you mean " + ", ".join(names.names[n] for n in close) + "?" if close else ""
    raise UnknownTopic(f"no topic {text!r}{hint}", _matches(names, close))


def _matches(names: TopicNames, topics: list[str]) -> list[dict]:
    return [{"topic": t, "name": names.names[t]} for t in topics]


def read_name_lists(path) -> list[tuple[str, list[str], int]]:
    """Read a sidecar file of ``NAME: A, B`` lines; blank lines and ``#`` lines are skipped.

    Returns (NAME, [A, B], line number) per line; raises ValueError naming a bad line.
    """
    entries = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, rest = line.replace("：", ":").partition(":")
            values = [v.strip() for v in re.split(r"[,，、;]", rest) if v.strip()]
            if not sep or not name.strip() or not values:
                raise ValueError(f"{path} line {number}: expected 'NAME: A, B', got {line!r}")
            entries.append((name.strip(), values, number))
    return entries
