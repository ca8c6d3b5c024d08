"""How long parsing a large roadmap takes: a generated 10,000-link roadmap, parsed a few times.

Run it with ``python benchmarks/parse.py [--links N] [--runs N]``. It prints the one-off
cost of loading yt-dlp's extractors (paid once per process, by the first link no specific
source claims) apart from the parse itself, whose median is the figure to watch: the goal
is well under a second for 10,000 links. It then parses the same links written on one
line and on a line each: parse time must stay linear, one line within twice the time of
separate lines.

Last, the command a user runs at its usual size: ``learngraph parse`` of the embedded
roadmap and of a 3,000-link list, each a fresh process, so start-up counts as the user
feels it. A speed trick in the parser earns its place by saving 10% of these.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.sources import Registry

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"


def video_id(n: int) -> str:
    """A distinct 11-character YouTube id for every n."""
    return "".join(ALPHABET[(n >> (6 * i)) % 64] for i in range(11))


def link(n: int) -> str:
    """The n-th link, cycling through the kinds of link a real roadmap mixes."""
    forms = (
        f"[Lecture {n}](https://www.youtube.com/watch?v={video_id(n)}&t={n % 600}s)",
        f"[Talk {n}](https://youtu.be/{video_id(n)}?si=share{n})",
        f"[Course {n}](https://www.youtube.com/playlist?list=PL{video_id(n)}{video_id(n + 1)})",
        f"[Paper {n}](https://arxiv.org/abs/{2000 + n % 400}.{n:05d}v{1 + n % 3})",
        f"[PDF {n}](https://arxiv.org/pdf/{2000 + n % 400}.{n:05d})",
        f"[Repo {n}](https://github.com/owner{n % 97}/project-{n})",
        f"[Example {n}](https://github.com/owner{n % 97}/project-{n}/tree/main/examples/{n})",
        f"[Post {n}](https://blog.example.org/{2020 + n % 5}/01/post-{n}?utm_source=list)",
        f"[Docs {n}](https://docs.example.com/guide/page-{n}#section)",
        f"<https://www.example.com/page/{n}>",
        f"[Video {n}](https://vimeo.com/{100000 + n})",
        f"https://lectures.example.edu/notes/{n}.html",
    )
    return forms[n % len(forms)]


def generate(links: int) -> str:
    """A roadmap of ``links`` links under three levels of headings, with unlinked items."""
    lines = ["# Generated roadmap", ""]
    for n in range(links):
        if n % 200 == 0:
            lines += ["", f"## Part {n // 200}", ""]
        if n % 40 == 0:
            lines += ["", f"### Topic {n // 40} with `code`", "", f"Why topic {n // 40} matters."]
        if n % 10 == 0:
            lines += [f"- What is question {n}?", f"  - a note on {n}"]
        bullet = "  - " if n % 3 == 0 else "- "
        lines.append(f"{bullet}{'[x] ' if n % 7 == 0 else ''}{link(n)} - a comment on link {n}")
    return "\n".join(lines) + "\n"


def timed_parses(text: str, runs: int) -> tuple[list[float], object]:
    """The time of each of ``runs`` parses of ``text``, and the last roadmap."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        roadmap = parse_roadmap(text, "generated.md")
        timings.append(time.perf_counter() - started)
    return timings, roadmap


def command_times(arguments: list[str], runs: int) -> tuple[float, float]:
    """The median wall and CPU time of ``runs`` runs of ``learngraph parse ARGUMENTS``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "learngraph", "parse", *arguments], check=True, capture_output=True
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    text = generate(args.links)
    started = time.perf_counter()
    Registry().identify("https://vimeo.com/1")
    extractor_import = time.perf_counter() - started

    timings, roadmap = timed_parses(text, args.runs)
    median = statistics.median(timings)
    mentions = sum(len(r.mentions) for r in roadmap.resources)

    print(
        f"roadmap: {args.links:,} links, {len(text) / 2**20:.2f} MiB, "
        f"{len(roadmap.topics)} topics, {len(roadmap.items)} items"
    )
    print(
        f"model:   {len(roadmap.resources):,} resources, {mentions:,} mentions, "
        f"{len(roadmap.ignored)} ignored; "
        + ", ".join(
            f"{kind} {count}" for kind, count in Counter(r.kind for r in roadmap.resources).most_common()
        )
    )
    print(f"yt-dlp extractor import (once per process): {extractor_import:.3f} s")
    print(
        f"parse: median {median:.3f} s of {args.runs} runs "
        f"(min {min(timings):.3f} s, max {max(timings):.3f} s), {args.links / median:,.0f} links/s"
    )

    links = [link(n) for n in range(args.links)]
    medians = {}
    for layout, separator in (("a line each", "\n"), ("one line", " ")):
        layout_timings, roadmap = timed_parses("# Links\n\n" + separator.join(links) + "\n", args.runs)
        medians[layout] = statistics.median(layout_timings)
        print(f"links on {layout}: median {medians[layout]:.3f} s, {len(roadmap.resources):,} resources")
    print(f"one line / a line each: {medians['one line'] / medians['a line each']:.2f} (at most 2)")

    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "list.md"
        listing.write_text(generate(3_000), encoding="utf-8")
        for name, arguments in (("the embedded roadmap", []), ("a 3,000-link list", [str(listing)])):
            wall, cpu = command_times(arguments, args.runs)
            print(f"learngraph parse of {name}: median {wall:.3f} s, CPU {cpu:.3f} s")


if __name__ == "__main__":
    main()
