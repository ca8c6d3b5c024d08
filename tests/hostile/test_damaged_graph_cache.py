"""A damaged or foreign graph.json.cache beside the graph: the query answers from
graph.json as if there were none, says nothing about it, and leaves a sound cache."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from learngraph_process import run_learngraph

CRAWL = Path(__file__).parents[1] / "fixtures" / "crawl" / "nlp-roadmap" / "resources.jsonl"
QUERY = ("plan", "LLaMA", "--json")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The embedded roadmap's graph.json with the answer to QUERY, and the cache of
    another graph (a roadmap of one topic)."""
    folder = tmp_path_factory.mktemp("built")
    assert run_learngraph("build", "--resources", CRAWL, "--out", "output", cwd=folder).returncode == 0
    answer = run_learngraph(*QUERY, cwd=folder)
    assert answer.returncode == 0, answer.stderr
    other = tmp_path_factory.mktemp("other")
    (other / "roadmap.md").write_text("# Other\n## Only\n[o](https://o.org)\n", encoding="utf-8")
    assert run_learngraph("build", "roadmap.md", "--out", "output", cwd=other).returncode == 0
    assert run_learngraph("next", cwd=other).returncode == 0
    return folder / "output" / "graph.json", json.loads(answer.stdout), other / "output" / "graph.json.cache"


def queried(built, folder: Path) -> tuple[tuple, Path, bytes]:
    """The built graph.json copied into ``folder`` and QUERY asked of it once: the query,
    the cache it left and that cache's bytes."""
    shutil.copy(built[0], folder / "graph.json")
    query = (*QUERY, "--graph", folder / "graph.json")
    assert run_learngraph(*query, cwd=folder).returncode == 0
    cache = folder / "graph.json.cache"
    return query, cache, cache.read_bytes()


def damaged(sound: bytes, other: Path) -> dict[str, bytes]:
    key = pickle.loads(sound)  # the first of the two pickles
    return {
        "empty": b"",
        "text": b"not a pickle\n" * 50,
        "truncated": sound[: len(sound) // 2],
        "bytes flipped": sound[:300] + bytes(b ^ 0xFF for b in sound[300:600]) + sound[600:],
        "no graph after its key": pickle.dumps(key) + pickle.dumps({"nodes": []}),
        "another graph's cache": other.read_bytes(),
    }


@pytest.mark.parametrize(
    "damage",
    ["empty", "text", "truncated", "bytes flipped", "no graph after its key", "another graph's cache"],
)
def test_the_query_answers_from_the_graph_and_the_cache_is_sound_again(built, tmp_path, damage):
    _, answer, other = built
    query, cache, sound = queried(built, tmp_path)
    cache.write_bytes(damaged(sound, other)[damage])
    result = run_learngraph(*query, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == answer
    assert cache.read_bytes() == sound


def test_a_damaged_part_of_the_cache_gives_no_wrong_answer_and_goes(built, tmp_path):
    """Bytes flipped inside a part the query reads, the cache's table intact: the part's
    CRC tells, the answer comes from graph.json, and the next query writes the cache anew."""
    _, answer, _ = built
    query, cache, sound = queried(built, tmp_path)
    with open(cache, "rb") as file:
        pickle.load(file)
        pickle.load(file)
        # The first part, which every query reads: the topic index.
        at = file.tell() + 200
    cache.write_bytes(sound[:at] + bytes(b ^ 0xFF for b in sound[at : at + 64]) + sound[at + 64 :])
    for _ in range(2):
        result = run_learngraph(*query, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (0, "")
        assert json.loads(result.stdout) == answer
    assert cache.read_bytes() == sound
