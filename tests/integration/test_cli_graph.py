"""The graph commands end to end: a real process where exit status and stderr matter,
click's runner in-process for the rest (each process start costs about two seconds)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from learngraph.cli import main
from learngraph_process import run_learngraph

CRAWL = Path(__file__).parents[1] / "fixtures" / "crawl" / "nlp-roadmap" / "resources.jsonl"


def run(*args, cwd):
    """learngraph in this process, in folder ``cwd``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A folder where `learngraph build` ran on the embedded roadmap and the saved crawl."""
    folder = tmp_path_factory.mktemp("graph")
    result = run_learngraph("build", "--resources", str(CRAWL), "--out", "output", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_build_writes_json_and_graphml(built):
    folder, result = built
    assert (folder / "output" / "graph.json").is_file()
    assert (folder / "output" / "graph.graphml").is_file()
    assert "Prerequisites:" in result.stdout and "mention" in result.stdout


def test_prereqs_json(built):
    folder, _ = built
    result = run_learngraph("prereqs", "llama", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [p["name"] for p in data["prerequisites"]]
    assert data["topic"] == "roadmap/llama" and "Transformer" in names
    [transformer] = [p for p in data["prerequisites"] if p["name"] == "Transformer"]
    assert any("decoder-only transformers" in e for r in transformer["reasons"] for e in r["evidence"])


def test_plan_table_and_json(built):
    folder, _ = built
    table = run("plan", "LLaMA", "--passes", "3", "--skip-done", cwd=folder)
    assert table.exit_code == 0, table.output
    assert "Study time" in table.stdout and "Unknown length" in table.stdout
    data = json.loads(run("plan", "LLaMA", "--skip-done", "--json", cwd=folder).stdout)
    titles = [r["title"] for step in data["steps"] for r in step["resources"]]
    assert not any("Karpathy" in t for t in titles)


def test_json_answers_are_the_same_whatever_the_hash_seed(built):
    folder, _ = built
    answers = {
        run_learngraph("unlocks", "Transformer", "--json", cwd=folder, env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(answers) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["next"],
        ["unlocks", "Transformer"],
        ["path", "transformer", "llama"],
        ["search", "transformer"],
        ["gaps"],
    ],
)
def test_query_commands_print_json(built, args):
    folder, _ = built
    result = run(*args, "--json", cwd=folder)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


def test_unknown_topic_is_one_line_with_close_matches(built):
    folder, _ = built
    result = run_learngraph("prereqs", "Transfomer", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "learngraph: error: no topic 'Transfomer'; did you mean Transformer?"
    ]


def test_ambiguous_topic_is_one_line(built):
    folder, _ = built
    result = run_learngraph("plan", "ll", cwd=folder)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "ambiguous" in line and "LLaMA" in line and "LLM" in line


def test_missing_graph_tells_to_build(tmp_path):
    result = run_learngraph("next", cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "learngraph build" in line


def test_build_without_crawl_uses_the_roadmap_alone(tmp_path):
    result = run("build", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "roadmap alone" in result.stdout


def test_export_every_format(built):
    folder, _ = built
    for name in ["graphml", "json", "jsonld", "gexf", "cytoscape", "neo4j", "turtle", "obsidian", "mermaid"]:
        result = run("export", "--format", name, "--out", f"exported/{name}", cwd=folder)
        assert result.exit_code == 0, result.output
        assert (folder / "exported" / name).exists()


# Runs each command line given as an argument in one process, and says after each which
# modules of Scrapy or Twisted it has imported.
IMPORTS_AFTER = """
import sys
from learngraph.cli import main
for line in sys.argv[1:]:
    main(line.split(), standalone_mode=False)
    crawl_modules = sorted(m for m in sys.modules if m.split(".")[0] in ("scrapy", "twisted"))
    print(line, "imported", crawl_modules, file=sys.stderr)
"""
QUERIES = [
    "prereqs llama",
    "plan LoRA --json",
    "path transformer llama",
    "next",
    "unlocks Transformer",
    "search attention --json",
    "gaps",
    "suggest --no-search",
    "export --format gexf --out g.gexf",
    "report",
    "parse",
]


def test_commands_that_crawl_nothing_do_not_import_scrapy(built):
    folder, _ = built
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_AFTER, *QUERIES],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"{line} imported []" for line in QUERIES]


def test_a_long_answer_is_printed_whole_in_plain_columns_a_short_one_as_a_table(tmp_path):
    """A plan of more lines than a drawn table is worth: every resource on a line of its
    own, the kind column lined up whatever the script of the titles (a CJK character takes
    two columns on a terminal)."""
    links = "\n".join(
        f"- [{'视频' if i % 2 else 'Video '}{i}](https://example.org/v/{i})" for i in range(250)
    )
    roadmap = f"# Course\n## Small\n- [One](https://example.org/one)\n## Big\n{links}\n"
    (tmp_path / "roadmap.md").write_text(roadmap, encoding="utf-8")
    assert run("build", "roadmap.md", "--out", "output", cwd=tmp_path).exit_code == 0
    small = run("plan", "Small", cwd=tmp_path)
    assert small.exit_code == 0 and "┃ resource" in small.stdout
    big = run("plan", "Big", cwd=tmp_path)
    assert big.exit_code == 0, big.output
    assert "┃" not in big.stdout
    rows = [line for line in big.stdout.splitlines() if "https://example.org/v/" in line or " page " in line]
    titles = [f"{'视频' if i % 2 else 'Video '}{i}" for i in range(250)]
    for title in titles:
        [line] = [line for line in rows if f" {title} " in line]
    kind_columns = {cell_len(line[: line.index(" page ")]) for line in rows if " page " in line}
    assert len(kind_columns) == 1
    assert sum(" page " in line for line in rows) == 250
