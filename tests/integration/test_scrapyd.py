"""The crawl deployed to a real Scrapyd with scrapyd-deploy and run through schedule.json."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_crawl_deploys_to_scrapyd_and_runs_through_schedule_json(site, tmp_path):
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
poll_interval = 0.2
eggs_dir = {home}/eggs
logs_dir = {home}/logs
items_dir = {home}/items
dbs_dir = {home}/dbs
""")
    daemon = subprocess.Popen(
        [BIN / "scrapyd"], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    api = f"http://127.0.0.1:{port}"
    try:
        # Deploy from a copy of the checkout: building the egg writes build files beside it.
        project = tmp_path / "project"
        shutil.copytree(
            ROOT,
            project,
            ignore=shutil.ignore_patterns(
                ".git", "output", "build", "*.egg-info", "__pycache__", ".pytest_cache"
            ),
        )
        (tmp_path / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {api}/\nproject = learngraph\n")
        wait_until_up(api)
        deploy = subprocess.run(
            [BIN / "scrapyd-deploy", "test"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": str(BIN), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        )
        assert deploy.returncode == 0, deploy.stderr
        spiders = requests.get(f"{api}/listspiders.json", params={"project": "learngraph"}).json()
        assert "resources" in spiders["spiders"], spiders

        roadmap = tmp_path / "roadmap.md"
        roadmap.write_text(
            f"# R\n- [A]({site.base}/pages/a)\n- [B]({site.base}/dated/b)\n"
            "- [LLaMA](https://arxiv.org/abs/2302.13971)\n",
            encoding="utf-8",
        )
        out = tmp_path / "out"
        settings = {
            "OUTPUT_DIR": out,
            "ALLOW_PRIVATE_HOSTS": 1,
            "ARXIV_API_URL": f"{site.base}/api/query",
            "SEMANTIC_SCHOLAR_API_URL": "",
            "AUTOTHROTTLE_ENABLED": 0,
            "ARXIV_DELAY": 0.2,
        }
        job = requests.post(
            f"{api}/schedule.json",
            data=[
                ("project", "learngraph"),
                ("spider", "resources"),
                ("roadmap", str(roadmap)),
                *(("setting", f"{key}={value}") for key, value in settings.items()),
            ],
        ).json()
        assert job["status"] == "ok", job
        wait_until_finished(api, job["jobid"])

        items = requests.get(f"{api}/items/learngraph/resources/{job['jobid']}.jl").text
        titles = {json.loads(line)["title"] for line in items.splitlines()}
        assert titles == {"Page a", "Page b", "LLaMA: Open and Efficient Foundation Language Models"}
        assert len((out / "resources.jsonl").read_text().splitlines()) == 3
        assert (next((out / "runs").iterdir()) / "changes.md").is_file()
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def wait_until_up(api: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(f"{api}/daemonstatus.json", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("scrapyd did not start")


def wait_until_finished(api: str, job: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = requests.get(f"{api}/listjobs.json", params={"project": "learngraph"}).json()
        if any(j["id"] == job for j in jobs["finished"]):
            return
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish")
