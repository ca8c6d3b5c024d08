"""``learngraph parse`` end to end, as a user runs it: a separate process, another working
directory, real files. Whatever the input, the answer is a model or one line and a
non-zero exit, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from learngraph.crawler.roadmap import embedded_roadmap_bytes
from learngraph_process import assert_one_line_error, run_learngraph

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roadmaps"


def parse_json(cwd: Path, *args: str) -> dict:
    result = run_learngraph("parse", *args, "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_parse_prints_the_summary_of_the_embedded_roadmap(tmp_path):
    result = run_learngraph("parse", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "22 topics, 26 resources, 37 items, 0 ignored links" in result.stdout
    assert "Empty topics (4): NLP, LoRA, Diffusion, Prompt" in result.stdout
    assert result.stderr == ""


def test_parse_json_is_the_whole_model_of_the_packaged_roadmap(tmp_path):
    """Run from a directory with no checkout in sight: the roadmap comes from package data."""
    model = parse_json(tmp_path)
    assert model["source"] == "nlp-roadmap.md"
    assert set(model) >= {"title", "source", "topics", "resources", "items", "ignored", "empty_topics"}
    assert len(model["topics"]) == 22 and len(model["resources"]) == 26
    done = [r["id"] for r in model["resources"] if r["done"]]
    assert done == ["bilibili:BV1ts4y1T7UH"]
    assert model["empty_topics"] == ["nlp", "roadmap/lora", "roadmap/aigc/diffusion", "roadmap/prompt"]


def test_a_gbk_encoded_roadmap_decodes_to_the_right_chinese(tmp_path):
    (tmp_path / "short.md").write_bytes("# 面经\n\n## 神经网络基础\n1. attention原理\n".encode("gbk"))
    model = parse_json(tmp_path, "short.md")
    assert [t["name"] for t in model["topics"]] == ["面经", "神经网络基础"]
    assert model["items"][0]["text"] == "attention原理"

    (tmp_path / "whole.md").write_bytes(embedded_roadmap_bytes().decode().encode("gbk"))
    model = parse_json(tmp_path, "whole.md")
    assert [t["name"] for t in model["topics"]][-4:] == ["LLM", "神经网络基础", "CS基础", "参考公司"]
    assert len(model["resources"]) == 26


def test_an_empty_file_is_a_valid_empty_model(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    model = parse_json(tmp_path, "empty.md")
    assert (model["topics"], model["resources"], model["items"]) == ([], [], [])


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.md", ["missing.md", "no such file"]),
        (lambda d: d, ["is a directory"]),
        (
            lambda d: (
                (d / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 64) and d / "logo.png"
            ),
            ["binary"],
        ),
    ],
)
def test_bad_paths_give_one_line(tmp_path, make, words):
    assert_one_line_error(run_learngraph("parse", str(make(tmp_path)), cwd=tmp_path), *words)


def test_a_20_mb_file_is_refused_in_one_line(tmp_path):
    big = tmp_path / "big.md"
    with big.open("wb") as out:
        out.write(b"- [a](https://example.com/)\n" * (20 * 2**20 // 28 + 1))
    assert_one_line_error(run_learngraph("parse", str(big), cwd=tmp_path), "ROADMAP_MAX_BYTES")


def test_roadmap_max_bytes_can_be_raised_and_lowered(tmp_path):
    roadmap = tmp_path / "small.md"
    roadmap.write_text("# T\n" + "- [a](https://example.com/)\n" * 100)
    assert_one_line_error(
        run_learngraph("parse", str(roadmap), "-s", "ROADMAP_MAX_BYTES=1000", cwd=tmp_path),
        "ROADMAP_MAX_BYTES",
    )
    model = parse_json(tmp_path, str(roadmap), "-s", "ROADMAP_MAX_BYTES=100000")
    assert len(model["resources"]) == 1


@pytest.mark.parametrize("setting", ["ROADMAP_MAX_BYTES", "=5", "ROADMAP_MAX_BYTES=lots"])
def test_a_malformed_setting_gives_one_line(tmp_path, setting):
    assert_one_line_error(run_learngraph("parse", "-s", setting, cwd=tmp_path))
