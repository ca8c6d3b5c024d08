"""`learngraph annotate` on the embedded roadmap (with its saved crawl) and on the three
shared public roadmaps (with a crawl made up for every resource): the diff from the
original is annotations and nothing else, a second run changes nothing, --check tells an
up-to-date file from an old one, and the annotated roadmap parses as the original."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from click.testing import CliRunner

from learngraph.cli import main
from learngraph.crawler.roadmap import embedded_roadmap_bytes, parse_roadmap
from learngraph_process import assert_one_line_error, run_learngraph

FIXTURES = Path(__file__).parents[1] / "fixtures"
ROADMAPS = ["nlp-roadmap.md", "awesome-nlp.md", "llm-course.md", "ml-youtube-courses.md"]
OPEN, CLOSE = "<!-- learngraph -->", "<!-- /learngraph -->"
INLINE = re.compile(f"{OPEN} \\([^\n]*?\\){CLOSE}")
STUDY_LINE = re.compile(f"{OPEN}⏱ [^\n]* to study[^\n]*{CLOSE}\r?\n")


def made_up_crawl(text: str) -> list[dict]:
    """A record for every resource of a roadmap, each fact kind and status among them."""
    records = []
    for n, resource in enumerate(parse_roadmap(text).resources):
        record = {"id": resource.id, "status": "ok", "published": f"{2010 + n % 15}-03-01"}
        if resource.kind in ("video", "playlist"):
            record["duration"] = 300 + 97 * n
        elif resource.kind == "repo":
            record.update(stars=137 * n * n, archived=n % 7 == 0)
        else:
            record["reading_time"] = 60 + 13 * n
        if n % 11 == 5:
            record.update(status="not_found", http_status=404)
        records.append(record)
    return records


def run(*args, cwd):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


@pytest.fixture(scope="module", params=ROADMAPS)
def annotated(request, tmp_path_factory):
    """(folder, roadmap file, its bytes, the annotated bytes) after `learngraph build` and
    `learngraph annotate --out`."""
    folder = tmp_path_factory.mktemp("annotate")
    name = request.param
    if name == "nlp-roadmap.md":
        data = embedded_roadmap_bytes()
        resources = FIXTURES / "crawl" / "nlp-roadmap" / "resources.jsonl"
    else:
        data = (FIXTURES / "roadmaps" / name).read_bytes()
        resources = folder / "resources.jsonl"
        records = made_up_crawl(data.decode())
        resources.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    roadmap = folder / name
    roadmap.write_bytes(data)
    built = run("build", roadmap, "--resources", resources, "--out", folder / "output", cwd=folder)
    assert built.exit_code == 0, built.output
    result = run("annotate", roadmap, "--out", folder / "annotated.md", cwd=folder)
    assert result.exit_code == 0 and result.output == "", result.output
    return folder, roadmap, data, (folder / "annotated.md").read_bytes()


def test_the_diff_holds_annotations_and_nothing_else(annotated):
    _, _, data, result = annotated
    before, after = data.decode().splitlines(keepends=True), result.decode().splitlines(keepends=True)
    inline = study = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert", "replace"), (tag, before[i1:i2])
        added = after[j1:j2]
        if tag == "insert":  # a section's study time, on a line of its own
            assert all(STUDY_LINE.fullmatch(line) for line in added), added
            study += len(added)
        elif tag == "replace":  # lines with facts after their links, maybe a study time line after them
            changed = [line for line in added if not STUDY_LINE.fullmatch(line)]
            assert [INLINE.sub("", line) for line in changed] == before[i1:i2]
            inline += sum(len(INLINE.findall(line)) for line in changed)
            study += len(added) - len(changed)
    print(f"{annotated[1].name}: {inline} links and {study} sections annotated")
    assert inline >= 20 and study >= 3


def test_annotating_again_changes_nothing_and_check_agrees(annotated):
    folder, roadmap, _, result = annotated
    again = run("annotate", folder / "annotated.md", cwd=folder)
    assert again.exit_code == 0
    assert again.stdout_bytes == result
    assert run("annotate", roadmap, "--out", folder / "annotated.md", "--check", cwd=folder).exit_code == 0
    assert run("annotate", folder / "annotated.md", "--check", cwd=folder).exit_code == 0


def test_the_annotated_roadmap_parses_as_the_original(annotated):
    _, _, data, result = annotated
    original, annotated_text = parse_roadmap(data.decode()), parse_roadmap(result.decode())
    assert [(t.id, t.name, t.requires) for t in annotated_text.topics] == [
        (t.id, t.name, t.requires) for t in original.topics
    ]
    assert [
        (r.id, [(m.topic, m.text, m.url, m.done) for m in r.mentions]) for r in annotated_text.resources
    ] == [(r.id, [(m.topic, m.text, m.url, m.done) for m in r.mentions]) for r in original.resources]
    assert [(i.id, i.text) for i in annotated_text.items] == [(i.id, i.text) for i in original.items]
    lines = result.decode().splitlines()
    for resource in annotated_text.resources:  # line numbers point into the annotated file
        for mention in resource.mentions:
            assert (
                mention.url in lines[mention.line - 1]
                or mention.url.removeprefix("http://") in lines[mention.line - 1]
            )


def test_the_embedded_roadmap_shows_real_facts(tmp_path):
    crawl = FIXTURES / "crawl" / "nlp-roadmap" / "resources.jsonl"
    assert run("build", "--resources", crawl, "--out", "output", cwd=tmp_path).exit_code == 0
    result = run("annotate", "--facts", "duration,year,stars", cwd=tmp_path).stdout_bytes.decode()
    assert f"[Transformer论文精读](https://youtu.be/nzqlFIcCSWQ){OPEN} (⏱ 1h 28m · 📄 2021){CLOSE}" in result
    assert "to study" not in result


def test_check_on_an_old_file_is_one_line_and_exit_1(tmp_path):
    crawl = FIXTURES / "crawl" / "nlp-roadmap" / "resources.jsonl"
    assert run("build", "--resources", crawl, "--out", "output", cwd=tmp_path).exit_code == 0
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_bytes(embedded_roadmap_bytes())
    result = run_learngraph("annotate", roadmap, "--check", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"learngraph: {roadmap} is out of date; `learngraph annotate {roadmap} --out {roadmap}` updates it"
    ]
    assert roadmap.read_bytes() == embedded_roadmap_bytes()


def test_no_graph_yet_is_one_line(tmp_path):
    assert_one_line_error(run_learngraph("annotate", cwd=tmp_path), "no graph there", "learngraph build")


def test_unknown_facts_are_one_line(tmp_path):
    assert_one_line_error(
        run_learngraph("annotate", "--facts", "stars,colour", cwd=tmp_path), "--facts", "colour"
    )
