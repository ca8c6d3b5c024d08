"""The GitHub Action (action.yml) run as a runner would run it, twice, against the local
site: its `run:` steps as bash scripts with the expressions filled in, its `uses:` steps
played by the test (setup-python: this interpreter; the cache: a folder kept between the
two jobs; upload-artifact: the file must be there). The second job, after a link died,
fails and names the link in the job summary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from learngraph_process import site_settings

REPOSITORY = Path(__file__).parents[2]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = "ghs_test_token_never_written"


def site_environment(site) -> dict[str, str]:
    """The local site's settings as a workflow would give them, LEARNGRAPH_* variables;
    pages and repositories are stale at once, so that the second job asks them again."""
    pairs = site_settings(site, FRESHNESS_PAGES_DAYS="0", FRESHNESS_REPOS_DAYS="0")[1::2]
    return {f"LEARNGRAPH_{key}": value for key, _, value in (pair.partition("=") for pair in pairs)}


class Runner:
    """One job that uses the action, in its own workspace, with the cache shared by jobs."""

    def __init__(self, workspace: Path, cache: Path, env: dict[str, str], run_id: int, **inputs):
        self.workspace, self.cache = workspace, cache
        self.action = yaml.safe_load((REPOSITORY / "action.yml").read_text(encoding="utf-8"))
        self.context = {
            "github.action_path": str(REPOSITORY),
            "github.token": TOKEN,
            "github.run_id": str(run_id),
            "github.run_attempt": "1",
        }
        for name, spec in self.action["inputs"].items():
            self.context[f"inputs.{name}"] = inputs.get(
                name.replace("-", "_"), self.fill(spec.get("default", ""))
            )
        self.summary = workspace / "summary.md"
        self.pip_log = workspace / "pip-arguments"
        bin_dir = workspace / "bin"  # `python -m pip install` is noted; learngraph is this checkout's
        bin_dir.mkdir()
        (bin_dir / "python").write_text(
            '#!/bin/sh\nif [ "$1 $2 $3" = "-m pip install" ]; then printf "%s\\n" "$@" > "$PIP_LOG"; exit 0; fi\n'
            f'exec "{sys.executable}" "$@"\n'
        )
        (bin_dir / "python").chmod(0o755)
        self.env = {
            **os.environ,
            **env,
            "PATH": f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}",
            "PIP_LOG": str(self.pip_log),
            "GITHUB_STEP_SUMMARY": str(self.summary),
        }
        self.uploaded: list[Path] = []
        self.logs: list[str] = []
        self.succeeded = False

    def fill(self, text: str) -> str:
        """``text`` with each ``${{ expression }}`` replaced; an unknown one is a KeyError."""
        return EXPRESSION.sub(lambda m: self.context[m[1]], str(text))

    def run(self) -> Runner:
        """Run every step as the runner would; ``succeeded`` says how the job ended."""
        failed = False
        for step in self.action["runs"]["steps"]:
            assert step.get("if") in (None, "always()"), step  # the only conditions played here
            if failed and step.get("if") is None:
                continue
            if "uses" in step:
                self.use(
                    step["uses"].split("@")[0], {k: self.fill(v) for k, v in step.get("with", {}).items()}
                )
            else:
                assert step["shell"] == "bash"
                env = {**self.env, **{k: self.fill(v) for k, v in step.get("env", {}).items()}}
                script = self.fill(step["run"])
                # The runner's own command line for `shell: bash`.
                done = subprocess.run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                    cwd=self.workspace,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                self.logs += [done.stdout, done.stderr]
                failed = failed or done.returncode != 0
        self.succeeded = not failed
        return self

    def use(self, action: str, inputs: dict[str, str]) -> None:
        if action == "actions/setup-python":
            assert inputs["python-version"] == self.context["inputs.python-version"]
        elif action == "actions/cache/restore":
            prefix = inputs["restore-keys"]
            assert inputs["key"].startswith(prefix)
            saved = sorted(
                (p for p in self.cache.iterdir() if p.name.startswith(prefix)),
                key=lambda p: p.stat().st_mtime_ns,
            )
            if saved:
                (self.workspace / inputs["path"]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(saved[-1] / Path(inputs["path"]).name, self.workspace / inputs["path"])
        elif action == "actions/cache/save":
            if (self.workspace / inputs["path"]).is_file():
                (self.cache / inputs["key"]).mkdir(parents=True)
                shutil.copy(self.workspace / inputs["path"], self.cache / inputs["key"])
        elif action == "actions/upload-artifact":
            if (self.workspace / inputs["path"]).is_file():
                self.uploaded.append(self.workspace / inputs["path"])
        else:
            raise AssertionError(f"the test does not play {action}")


def job(tmp_path: Path, name: str, env: dict, run_id: int, roadmap: str, **inputs) -> Runner:
    """A job in a fresh workspace holding ``roadmap`` as README.md, run to its end."""
    workspace = tmp_path / name
    workspace.mkdir()
    (workspace / "README.md").write_text(roadmap, encoding="utf-8")
    (tmp_path / "cache").mkdir(exist_ok=True)
    return Runner(workspace, tmp_path / "cache", env, run_id, **inputs).run()


def test_the_action_reports_changes_and_fails_when_a_link_died(site, tmp_path):
    roadmap = f"""# Reading list
- [Page A]({site.base}/pages/a)
- [Page B]({site.base}/pages/b)
- [Transformers](https://github.com/huggingface/transformers)
"""
    env = site_environment(site)

    first = job(tmp_path, "first", env, 101, roadmap)
    assert first.succeeded, first.logs
    assert first.pip_log.read_text().split() == ["-m", "pip", "install", "--quiet", str(REPOSITORY)]
    summary = first.summary.read_text(encoding="utf-8")
    assert summary.startswith("# Changes in run") and "(first run)" in summary
    assert "## Added to the roadmap (3)" in summary
    assert first.uploaded == [first.workspace / "output" / "report.html"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["learngraph-README.md-101-1"]
    authorized = [h for h in site.headers_seen if h.get("Authorization")]
    assert authorized and all(TOKEN in h["Authorization"] for h in authorized)

    site.missing.add("b")
    headers_before = len(site.headers_seen)
    second = job(tmp_path, "second", env, 102, roadmap)
    assert not second.succeeded
    # The state came through the cache: what the first job fetched is only revalidated.
    assert any("If-None-Match" in h for h in site.headers_seen[headers_before:])
    summary = second.summary.read_text(encoding="utf-8")
    assert "(first run)" not in summary
    assert f"## Links that died (1)\n\n- <{site.base}/pages/b>: ok → not_found" in summary, summary
    assert "Added to the roadmap" not in summary
    assert f"learngraph: 1 link died since the last run: {site.base}/pages/b" in "".join(second.logs)
    assert second.uploaded == [second.workspace / "output" / "report.html"]
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "learngraph-README.md-101-1",
        "learngraph-README.md-102-1",
    ]

    for runner in (first, second):  # the token is sent, never written down
        written = [p for p in runner.workspace.rglob("*") if p.is_file() and p.name != "pip-arguments"]
        assert not any(TOKEN.encode() in p.read_bytes() for p in written)
        assert TOKEN not in "".join(runner.logs)


def test_the_action_does_not_fail_on_dead_links_when_told_not_to(site, tmp_path):
    roadmap = f"# Reading list\n- [Page B]({site.base}/pages/b)\n"
    env = site_environment(site)
    assert job(tmp_path, "first", env, 201, roadmap).succeeded
    site.missing.add("b")
    second = job(tmp_path, "second", env, 202, roadmap, fail_on_dead="false")
    assert second.succeeded, second.logs
    assert "## Links that died (1)" in second.summary.read_text(encoding="utf-8")


def test_the_example_workflow_runs_the_action_nightly_and_on_demand():
    workflow = yaml.safe_load((REPOSITORY / "deploy" / "github-workflow.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    [steps] = [job["steps"] for job in workflow["jobs"].values()]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert any(step.get("uses", "").startswith("learngraph/learngraph@") for step in steps)
