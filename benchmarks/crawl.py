"""Crawl throughput: N pages over H loopback hosts, each answer delayed by L.

Prints links/s and wall time against the concurrency bound N*L/CONCURRENT_REQUESTS,
the same pages fetched by a plain sequential requests + BeautifulSoup loop, the peak
RSS of the crawl process, and how many arXiv API requests 200 papers cost.

    python benchmarks/crawl.py [--pages 400] [--hosts 20] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_server import serve  # noqa: E402

PAGE = """<html lang="en"><head><title>Page %d</title>
<meta name="description" content="A page about topic %d."></head>
<body><p>%s</p></body></html>"""


def slow_site(host: str, latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            time.sleep(latency)
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            else:
                n = int(self.path.rsplit("/", 1)[-1])
                body = (PAGE % (n, n, "word " * 300)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_crawl(roadmap: Path, out: Path, *settings: str) -> tuple[float, dict]:
    """Wall time of `learngraph crawl` and the crawl's records, with its peak RSS."""
    args = [sys.executable, "-m", "learngraph", "crawl", str(roadmap), "--out", str(out)]
    for setting in settings:
        args += ["-s", setting]
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - started
    records = [json.loads(line) for line in (out / "resources.jsonl").read_text().splitlines()]
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", (out / "crawl.log").read_text())
    return wall, {
        "records": records,
        "elapsed": float(elapsed.group(1)),
        "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def sequential(urls: list[str]) -> float:
    started = time.perf_counter()
    with requests.Session() as session:
        for url in urls:
            BeautifulSoup(session.get(url, timeout=10).text, "html.parser").title  # noqa: B018
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    servers = [slow_site(f"127.0.0.{h + 1}", args.latency) for h in range(args.hosts)]
    urls = [
        f"http://127.0.0.{n % args.hosts + 1}:{servers[n % args.hosts].server_port}/page/{n}"
        for n in range(args.pages)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        roadmap = Path(tmp) / "bench.md"
        roadmap.write_text("# Bench\n" + "".join(f"- [p{n}]({u})\n" for n, u in enumerate(urls)))
        wall, crawl = run_crawl(
            roadmap, Path(tmp) / "out", "ALLOW_PRIVATE_HOSTS=1", f"CONCURRENT_REQUESTS={args.concurrency}"
        )
        ok = sum(r["status"] == "ok" for r in crawl["records"])
        bound = args.pages * args.latency / args.concurrency
        print(
            f"crawl: {args.pages} pages over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
            f"CONCURRENT_REQUESTS={args.concurrency}"
        )
        print(f"  ok records:        {ok}/{args.pages}")
        print(f"  wall time:         {wall:.2f} s  (whole command, start-up included)")
        print(f"  crawl time:        {crawl['elapsed']:.2f} s  (Scrapy engine open to close)")
        print(
            f"  links/s:           {args.pages / wall:.1f} (command), {args.pages / crawl['elapsed']:.1f} (crawl)"
        )
        print(
            f"  concurrency bound: {bound:.2f} s  -> wall/bound = {wall / bound:.2f}, "
            f"crawl/bound = {crawl['elapsed'] / bound:.2f}"
        )
        print(f"  peak RSS (crawl):  {crawl['rss_mb']:.0f} MB")
        seq = sequential(urls)
        print(
            f"sequential requests+BeautifulSoup: {seq:.2f} s (warm process) -> learngraph is "
            f"{seq / crawl['elapsed']:.1f}x faster crawling, {seq / wall:.1f}x with its start-up"
        )

        server, site = serve()
        papers = Path(tmp) / "papers.md"
        papers.write_text(
            "# Papers\n" + "".join(f"- [p{n}](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(200))
        )
        paper_wall, _ = run_crawl(
            papers, Path(tmp) / "papers-out", "ALLOW_PRIVATE_HOSTS=1", f"ARXIV_API_URL={site.base}/api/query"
        )
        print(
            f"arXiv: 200 papers in {site.requests['/api/query']} API requests, {paper_wall:.1f} s "
            "(one request per 3 s)"
        )
        server.shutdown()


if __name__ == "__main__":
    main()
