"""Page metadata against real pages: learngraph beside two peers, scored the same way.

Unpacks the page-metadata corpus (cases.tar.xz, with its score.py) into a temporary
folder, serves it from a local server, crawls it with `learngraph crawl`, and scores the
records with the corpus's own scorer. On the same pages it runs a naive OpenGraph / meta
/ JSON-LD extractor and trafilatura's metadata, and prints the three side by side, with
the median time learngraph takes to parse a page.

    python benchmarks/metadata.py [--corpus DIR]   # DIR holds cases.tar.xz and score.py
    python benchmarks/metadata.py --misses author  # then learngraph's misses on a field

Needs the `bench` extra (trafilatura).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bs4 import BeautifulSoup

from learngraph.crawler.sources.page_metadata import page_metadata
from learngraph.crawler.sources.pages import html_tree, parse_page

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "page-metadata"
# Where each extractor's record keeps a field, in the scorer's field names.
FIELDS = ("title", "description", "author", "date", "lang")
# The record field, and so the provenance key, behind each of the scorer's fields.
RECORD_FIELDS = {
    "title": "title",
    "description": "description",
    "author": "authors",
    "date": "published",
    "lang": "language",
}


def load_scorer(corpus: Path):
    spec = importlib.util.spec_from_file_location("score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def serve(folder: Path) -> tuple[ThreadingHTTPServer, list[str]]:
    """A local server for ``folder`` that counts the paths asked for."""
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, requests


def crawl(urls: list[str], workdir: Path) -> list[dict]:
    """`learngraph crawl` of a roadmap listing ``urls`` as bare links (no link text, so
    a title can only come from the page)."""
    roadmap = workdir / "corpus.md"
    roadmap.write_text("# Page metadata corpus\n\n" + "".join(f"- <{url}>\n" for url in urls))
    out = workdir / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "learngraph",
            "crawl",
            str(roadmap),
            "--out",
            str(out),
            "--full",
            "--quiet",
            "-s",
            "ALLOW_PRIVATE_HOSTS=1",
            "-s",
            "FAIL_THRESHOLD=1.0",
        ],
        check=True,
        capture_output=True,
    )
    return [json.loads(line) for line in (out / "resources.jsonl").read_text().splitlines()]


def naive(url: str, body: bytes) -> dict:
    """The thirty-line extractor: OpenGraph, then named meta tags, then JSON-LD, then <title>."""
    soup = BeautifulSoup(body, "html.parser")

    def meta(*names):
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content", "").strip():
                return tag["content"].strip()
        return None

    ld = {}
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for node in data if isinstance(data, list) else data.get("@graph", [data]):
            if isinstance(node, dict) and ("headline" in node or "datePublished" in node):
                ld = ld or node
    author = ld.get("author")
    author = (
        [a.get("name") if isinstance(a, dict) else a for a in author] if isinstance(author, list) else author
    )
    author = author.get("name") if isinstance(author, dict) else author
    return {
        "url": url,
        "title": meta("og:title", "twitter:title")
        or ld.get("headline")
        or (soup.title and soup.title.get_text()),
        "description": meta("og:description", "description", "twitter:description") or ld.get("description"),
        "author": meta("author", "article:author") or author,
        "date": meta("article:published_time", "date") or ld.get("datePublished"),
        "lang": soup.html.get("lang") if soup.html else None,
    }


def trafilatura_metadata(url: str, body: bytes) -> dict:
    from trafilatura import extract_metadata

    found = extract_metadata(body, default_url=url)
    found = found.as_dict() if found else {}
    return {"url": url, **{key: found.get(key) for key in ("title", "description", "author", "date")}}


def scores(scorer, cases: dict, records: list[dict]) -> dict[str, tuple[int, int]]:
    """Hits and total per field, the way score.py counts them."""
    by_url = {case["url"]: name for name, case in cases.items() if case.get("url")}
    got = {name: record for record in records if (name := scorer.case_of(record, cases, by_url))}
    table = {}
    for field in FIELDS:
        names = [name for name in cases if cases[name].get(field)]
        hits = sum(
            1
            for name in names
            if name in got and scorer.match(field, cases[name][field], scorer.pick(got[name], field))
        )
        table[field] = (hits, len(names))
    return table


def print_misses(scorer, cases: dict, records: list[dict], field: str) -> None:
    """Each page learngraph got wrong on ``field``: what the page's project expects, what
    learngraph found and where it found it, to study the misses by kind."""
    by_url = {case["url"]: name for name, case in cases.items() if case.get("url")}
    got = {name: record for record in records if (name := scorer.case_of(record, cases, by_url))}
    for name in sorted(cases):
        expected, record = cases[name].get(field), got.get(name, {})
        if expected and not scorer.match(field, expected, scorer.pick(record, field)):
            source = record.get("provenance", {}).get(RECORD_FIELDS[field])
            print(
                f"MISS {name} [{source}]\n  expected: {expected!r}\n  got:      "
                f"{scorer.pick(record, field)!r}"
            )


def parse_times(pages: dict[str, bytes], base: str) -> tuple[float, float]:
    """Median CPU milliseconds per page of the whole parse (decoding, HTML, metadata, word
    count) and of the metadata step alone, in a warm process."""
    for name, body in list(pages.items())[:3]:  # first-use costs: imports, models
        parse_page(f"{base}/{name}/page.html", {}, body)
    whole, metadata = [], []
    for name, body in pages.items():
        url = f"{base}/{name}/page.html"
        started = time.process_time()
        try:
            parse_page(url, {"Content-Type": "text/html"}, body)
        except ValueError:
            continue
        whole.append(time.process_time() - started)
        tree = html_tree({}, body)
        started = time.process_time()
        page_metadata(tree, url, {})
        metadata.append(time.process_time() - started)
    return statistics.median(whole) * 1000, statistics.median(metadata) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder holding cases.tar.xz and score.py"
    )
    parser.add_argument("--misses", choices=FIELDS, help="then list learngraph's misses on this field")
    args = parser.parse_args()
    scorer = load_scorer(args.corpus)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        with tarfile.open(args.corpus / "cases.tar.xz") as archive:
            archive.extractall(folder, filter="data")
        cases = scorer.load_corpus(str(folder))
        pages = {name: (folder / name / "page.html").read_bytes() for name in cases}
        server, requests = serve(folder)
        base = f"http://127.0.0.1:{server.server_port}"
        urls = [f"{base}/{name}/page.html" for name in cases]

        started = time.perf_counter()
        records = crawl(urls, Path(tmp))
        crawl_seconds = time.perf_counter() - started
        server.shutdown()
        page_requests = sum(1 for path in requests if path.endswith("/page.html"))
        # anything else asked for is a network call the pages' own HTML did not spare
        other_requests = sorted(path for path in requests if not path.endswith("/page.html"))

        results = {
            "learngraph": scores(scorer, cases, records),
            "naive OG/meta/JSON-LD": scores(scorer, cases, [naive(u, pages[n]) for n, u in zip(cases, urls)]),
            "trafilatura metadata": scores(
                scorer, cases, [trafilatura_metadata(u, pages[n]) for n, u in zip(cases, urls)]
            ),
        }
        whole_ms, metadata_ms = parse_times(pages, base)

    print(
        f"corpus: {len(cases)} pages; crawl {crawl_seconds:.1f} s, {page_requests} page requests, "
        f"{len(other_requests)} other: {', '.join(other_requests) or 'none'}"
    )
    print(f"{'extractor':<24}" + "".join(f"{field:>13}" for field in FIELDS))
    for name, table in results.items():
        print(
            f"{name:<24}"
            + "".join(f"{100 * hits / total if total else 0:12.1f}%" for hits, total in table.values())
        )
    print(f"{'(cases)':<24}" + "".join(f"{total:>13}" for _, total in results["learngraph"].values()))
    print(
        f"median parse time per page (CPU): {whole_ms:.2f} ms whole page "
        f"(decoding, HTML, metadata, word count), {metadata_ms:.2f} ms metadata alone"
    )
    if args.misses:
        print_misses(scorer, cases, records, args.misses)


if __name__ == "__main__":
    main()
