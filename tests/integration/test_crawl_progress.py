"""Crawl progress end to end: a real crawl whose stdout is a pipe prints plain progress
lines; with --quiet it prints none."""

from __future__ import annotations

from learngraph_process import run_learngraph


def crawl(site, tmp_path, *args: str) -> str:
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        f"# R\n## Pages\n- [A]({site.base}/posts/attention)\n- [B]({site.base}/cn/gbk)\n"
        f"- [Gone]({site.base}/status/410)\n",
        encoding="utf-8",
    )
    settings = {
        "ALLOW_PRIVATE_HOSTS": "1",
        "AUTOTHROTTLE_ENABLED": "0",
        "DOWNLOAD_TIMEOUT": "2",
        "PROGRESS_INTERVAL": "0.1",
    }
    result = run_learngraph(
        "crawl",
        roadmap,
        "--out",
        tmp_path / "out",
        *args,
        *(arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")),
        cwd=tmp_path,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_plain_progress_lines_when_stdout_is_not_a_terminal(site, tmp_path):
    lines = [line for line in crawl(site, tmp_path).splitlines() if line.startswith("progress:")]
    assert lines, "at least the closing line"
    assert lines[-1].startswith(
        "progress: 3/3 done (100%) · page 2/2 · article 1/1 · 1 failed · ~0:00:00 left"
    )
    assert "\x1b[" not in "".join(lines), "no terminal codes in a pipe"


def test_quiet_prints_no_progress(site, tmp_path):
    assert "progress:" not in crawl(site, tmp_path, "--quiet")
