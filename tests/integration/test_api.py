"""`learngraph serve` as another tool meets it: a real server process on a free port of
127.0.0.1, asked over HTTP by httpx. Every endpoint answers what the matching command
prints with --json; errors are 404, 409, 422 and 405 with their reason; the graph is read
again when graph.json changes, while requests run, and a damaged file changes nothing."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import os
import socket
import sys
import time
import weakref
import zipfile
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from api_server import built, serving
from browser import chromium
from learngraph.api import LiveGraph
from learngraph.cli import main
from learngraph.graph import payloads
from learngraph.graph.formats import FORMATS, write_json
from learngraph.graph.store import load_graph
from learngraph_process import assert_one_line_error, run_learngraph

LLAMA = "roadmap/llama"
# A video of LLaMA's plan, whose length a later crawl finds different.
LLAMA_VIDEO = "youtube:p9IxoSkvZ-M"
PATHS = {
    "/api/topics",
    "/api/topics/{topic}",
    "/api/prereqs/{topic}",
    "/api/plan/{topic}",
    "/api/path",
    "/api/next",
    "/api/unlocks/{topic}",
    "/api/search",
    "/api/gaps",
    "/api/suggest",
    "/api/export/{fmt}",
}


def rewrite(graph: Path, **video) -> None:
    """graph.json as a later run leaves it: LLaMA's video with other facts, the file
    replaced whole (as every learngraph writer does)."""
    G = load_graph(graph)
    G.nodes[LLAMA_VIDEO].update(video)
    write_json(G, graph)


def as_json(data):
    """What the data looks like after a trip through JSON: tuples as lists, keys as text."""
    return json.loads(json.dumps(data))


def cli_json(graph: Path, *args):
    """What `learngraph ARGS --graph GRAPH --json` prints."""
    result = CliRunner().invoke(main, [*args, "--graph", str(graph), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server, started as a user would (no --host), over a graph nobody changes."""
    graph = built(tmp_path_factory.mktemp("served"))
    with serving(graph) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield server, client, graph


def test_it_listens_on_loopback_by_default(served):
    server, client, _ = served
    assert server.url.startswith("http://127.0.0.1:")
    assert client.get("/api/next").status_code == 200


@pytest.mark.parametrize(
    ("url", "command"),
    [
        ("/api/prereqs/llama", ["prereqs", "llama"]),
        ("/api/plan/LLaMA", ["plan", "LLaMA"]),
        (
            "/api/plan/LLaMA?skip_done=true&speed=1.5&passes=3",
            ["plan", "LLaMA", "--skip-done", "--speed", "1.5", "--passes", "3"],
        ),
        ("/api/path?from=neural network&to=llama", ["path", "neural network", "llama"]),
        ("/api/next", ["next"]),
        ("/api/unlocks/Transformer", ["unlocks", "Transformer"]),
        ("/api/search?q=transformer", ["search", "transformer"]),
        ("/api/gaps", ["gaps"]),
        ("/api/suggest", ["suggest", "--no-search"]),
        ("/api/suggest?topic=GPT&min_citing=1", ["suggest", "GPT", "--min-citing", "1", "--no-search"]),
    ],
)
def test_each_answer_is_what_the_command_prints(served, url, command):
    _, client, graph = served
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer, "an empty answer would prove nothing"
    assert answer == cli_json(graph, *command)


def test_the_suggestions_name_papers_the_roadmap_lacks(served):
    _, client, _ = served
    missing = client.get("/api/suggest").json()["missing_papers"]
    assert "Training language models to follow instructions with human feedback" in [
        p["title"] for p in missing
    ]


def test_topics_list_every_topic_in_roadmap_order(served):
    _, client, graph = served
    G = load_graph(graph)
    listed = client.get("/api/topics").json()
    topics = sorted(
        (n for n, d in G.nodes(data=True) if d["type"] == "topic"), key=lambda t: G.nodes[t]["index"]
    )
    assert [t["topic"] for t in listed] == topics
    llama = next(t for t in listed if t["topic"] == LLAMA)
    assert llama == {"topic": LLAMA, "name": "LLaMA", "level": 2, "parent": "roadmap", "resources": 4}


@pytest.mark.parametrize("name", ["LLaMA", "llama", LLAMA])
def test_a_topic_shows_its_resources_prerequisites_and_unlocks(served, name):
    _, client, graph = served
    G = load_graph(graph)
    topic = client.get(f"/api/topics/{name}").json()
    assert topic["topic"] == LLAMA
    assert [r["title"] for r in topic["resources"]] == [
        G.nodes[r]["title"] for r in payloads.queries.topic_resources(G, LLAMA)
    ]
    assert {p["name"]: p["basis"] for p in topic["prerequisites"]}["Transformer"] == "citation"
    assert all(G.has_edge(p["topic"], LLAMA, "prerequisite") for p in topic["prerequisites"])
    assert all(G.has_edge(LLAMA, u["topic"], "prerequisite") for u in topic["unlocks"])


def test_a_topic_id_with_slashes_and_chinese_is_one_path_parameter(served):
    _, client, _ = served
    response = client.get("/api/prereqs/roadmap/gpt和大模型rlhf训练/instruct-fine-tuning")
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Instruct-fine-tuning"


def test_an_unknown_topic_is_404_with_the_close_matches(served):
    _, client, _ = served
    for url in ("/api/plan/Lamma", "/api/topics/Lamma", "/api/path?from=Lamma&to=llama"):
        response = client.get(url)
        assert response.status_code == 404, url
        matches = response.json()["matches"]
        assert matches[0] == {"topic": LLAMA, "name": "LLaMA"}
        names = ", ".join(m["name"] for m in matches)
        assert response.json()["detail"] == f"no topic 'Lamma'; did you mean {names}?"


def test_an_ambiguous_topic_is_409_with_every_match(served):
    _, client, _ = served
    response = client.get("/api/unlocks/r")
    assert response.status_code == 409
    matches = response.json()["matches"]
    assert {"topic": LLAMA, "name": "LLaMA"} in matches
    assert all(m["topic"].startswith("r") or m["name"].lower().startswith("r") for m in matches)
    assert "ambiguous" in response.json()["detail"]


def test_no_chain_between_topics_is_404(served):
    _, client, _ = served
    response = client.get("/api/path", params={"from": "llama", "to": "neural network"})
    assert response.status_code == 404
    assert "No path" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "parameter", "reason"),
    [
        ("/api/plan/llama?speed=0", "speed", "greater than 0"),
        ("/api/plan/llama?speed=nan", "speed", "finite"),
        ("/api/plan/llama?speed=fast", "speed", "number"),
        ("/api/plan/llama?passes=4", "passes", "less than or equal to 3"),
        ("/api/plan/llama?passes=0", "passes", "greater than or equal to 1"),
        ("/api/plan/llama?skip_done=perhaps", "skip_done", "boolean"),
        ("/api/search", "q", "required"),
        ("/api/search?q=", "q", "at least 1 character"),
        ("/api/path?from=llama", "to", "required"),
        ("/api/suggest?min_citing=0", "min_citing", "greater than or equal to 1"),
    ],
)
def test_a_bad_parameter_is_422_with_the_reason(served, url, parameter, reason):
    _, client, _ = served
    response = client.get(url)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", parameter]
    assert reason in problem["msg"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_format_is_what_the_export_command_writes(served, fmt, tmp_path):
    _, client, graph = served
    response = client.get(f"/api/export/{fmt}")
    assert response.status_code == 200
    written = tmp_path / FORMATS[fmt].filename
    result = CliRunner().invoke(
        main, ["export", "--format", fmt, "--graph", str(graph), "--out", str(written)]
    )
    assert result.exit_code == 0, result.output
    if FORMATS[fmt].folder:
        assert response.headers["content-type"] == "application/zip"
        served_files = {
            name: zipped.read(name)
            for zipped in [zipfile.ZipFile(io.BytesIO(response.content))]
            for name in zipped.namelist()
        }
        files = {str(f.relative_to(tmp_path)): f.read_bytes() for f in written.rglob("*") if f.is_file()}
        assert served_files == files and files
    else:
        assert f'filename="{FORMATS[fmt].filename}"' in response.headers["content-disposition"]
        assert response.content == written.read_bytes()


def test_an_unknown_export_format_is_404_listing_the_formats(served):
    _, client, _ = served
    response = client.get("/api/export/pdf")
    assert response.status_code == 404
    assert response.json() == {"detail": "no export format 'pdf'", "formats": list(FORMATS)}


def test_openapi_describes_every_endpoint_and_only_get(served):
    _, client, _ = served
    described = client.get("/openapi.json").json()
    assert described["openapi"].startswith("3.")
    assert set(described["paths"]) == PATHS
    assert {method for path in described["paths"].values() for method in path} == {"get"}
    plan = described["paths"]["/api/plan/{topic}"]["get"]
    assert {p["name"] for p in plan["parameters"]} == {"topic", "skip_done", "speed", "passes"}
    assert {"404", "409", "422"} <= set(plan["responses"])


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_nothing_can_be_written(served, method):
    _, client, graph = served
    before = graph.read_bytes()
    for path in [*PATHS, "/"]:
        url = path.replace("{topic}", "llama").replace("{fmt}", "json")
        assert client.request(method, url, json={"name": "x"}).status_code == 405, (method, url)
    assert graph.read_bytes() == before


def test_cors_headers_only_with_the_cors_option(served, tmp_path):
    _, client, _ = served
    origin = {"Origin": "http://tool.test"}
    assert "access-control-allow-origin" not in client.get("/api/next", headers=origin).headers
    with serving(built(tmp_path), "--cors", "http://tool.test") as server:
        allowed = httpx.get(f"{server.url}api/next", headers=origin)
        assert allowed.headers["access-control-allow-origin"] == "http://tool.test"
        other = httpx.get(f"{server.url}api/next", headers={"Origin": "http://elsewhere.test"})
        assert "access-control-allow-origin" not in other.headers


def test_the_root_serves_the_report_of_the_loaded_graph(served):
    _, client, graph = served
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "connect-src 'self'" in response.text
    assert load_graph(graph).graph["title"] in response.text


async def ask_while_it_changes(url: str, change, seconds: float) -> list[tuple[float, float, dict]]:
    """Ask for LLaMA's plan from eight clients at once for ``seconds``, and ``change`` the
    graph a third of the way in. Returns (sent, answered, answer) for every request."""
    answers = []
    stop = time.monotonic() + seconds

    async def ask(client: httpx.AsyncClient) -> None:
        while (sent := time.monotonic()) < stop:
            response = await client.get("api/plan/llama", params={"passes": 3})
            answer = response.json() if response.status_code == 200 else response.text
            answers.append((sent, time.monotonic(), answer))

    async def change_soon() -> None:
        await asyncio.sleep(seconds / 3)
        await asyncio.to_thread(change)

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await asyncio.gather(change_soon(), *(ask(client) for _ in range(8)))
    return answers


def test_a_changed_graph_is_read_again_while_requests_run(tmp_path):
    graph = built(tmp_path)
    before = as_json(payloads.plan(load_graph(graph), "llama", passes=3))
    with serving(graph) as server:
        answers = asyncio.run(
            ask_while_it_changes(server.url, lambda: rewrite(graph, duration=7200), seconds=4)
        )
        log = server.log.read_text(encoding="utf-8")
    after = as_json(payloads.plan(load_graph(graph), "llama", passes=3))
    assert after["video_time"] == before["video_time"] - 3924 + 7200
    # Each answer is all the old graph's or all the new one's, never an error nor a mix.
    assert all(answer in (before, after) for _, _, answer in answers), "an answer of neither graph"
    assert sum(answer == before for _, _, answer in answers) > 10
    # Once an answer came from the new graph, every request sent after it gets the new one.
    first_new = min(answered for _, answered, answer in answers if answer == after)
    later = [answer for sent, _, answer in answers if sent > first_new]
    assert len(later) > 10 and all(answer == after for answer in later)
    assert "changed: read" in log


def wait_for(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)
    return found


def test_a_damaged_graph_file_keeps_the_old_graph_and_logs_one_line(tmp_path):
    graph = built(tmp_path)
    G = load_graph(graph)
    with serving(graph) as server, httpx.Client(base_url=server.url) as client:
        before = client.get("/api/plan/llama").json()
        graph.with_suffix(".new").write_text('{"nodes": [', encoding="utf-8")
        os.replace(graph.with_suffix(".new"), graph)
        logged = wait_for(lambda: server.log.read_text(encoding="utf-8").splitlines())
        time.sleep(1.5)  # three more looks at the file, and still the one line
        assert server.log.read_text(encoding="utf-8").splitlines() == logged
        [line] = logged
        assert "not a learngraph graph" in line and "still serving the graph read before" in line
        assert client.get("/api/plan/llama").json() == before

        # A good file again, and the server reads it.
        G.nodes[LLAMA_VIDEO]["duration"] = 7200
        write_json(G, graph)
        wait_for(lambda: client.get("/api/plan/llama").json()["video_time"] != before["video_time"])


def test_a_missing_graph_is_one_line(tmp_path):
    result = run_learngraph("serve", "--graph", tmp_path / "nothing.json", cwd=tmp_path, timeout=60)
    assert_one_line_error(result, "nothing.json", "learngraph build")


def test_a_port_in_use_is_one_line(tmp_path):
    graph = built(tmp_path)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_learngraph("serve", "--graph", graph, "--port", port, cwd=tmp_path, timeout=60)
    assert_one_line_error(result, f"cannot listen on 127.0.0.1 port {port}", "in use")


def test_without_the_serve_extra_it_says_how_to_install_it(tmp_path, monkeypatch):
    # None in sys.modules makes `import uvicorn` fail as it does where it is not installed.
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = CliRunner().invoke(main, ["serve", "--graph", str(built(tmp_path))])
    assert result.exit_code == 2
    assert result.output == (
        "learngraph: error: learngraph serve needs the serve extra: pip install 'learngraph[serve]'\n"
    )


def test_the_served_report_shows_plans_from_the_api(tmp_path):
    graph = built(tmp_path)
    with serving(graph) as server, chromium(reach_loopback=True) as browser:
        browser.get(server.url)
        WebDriverWait(browser, 10).until(lambda b: b.execute_script("return !!window.reportGraph"))

        def study_time_shown() -> str:
            # Through the topic tree's button, as a reader clicks it; the panel is redrawn.
            browser.execute_script("document.getElementById('topic-panel').replaceChildren()")
            browser.find_element(By.CSS_SELECTOR, f"[id='tree-{LLAMA}'] > summary button").click()
            return (
                WebDriverWait(browser, 5)
                .until(lambda b: b.find_elements(By.CSS_SELECTOR, "#plan-totals dd.big"))[0]
                .text
            )

        plan = httpx.get(f"{server.url}api/plan/llama").json()
        assert study_time_shown() == hours(plan["study_time"])
        # A later run finds the video twice as long: the page, not reloaded, shows the new plan.
        rewrite(graph, duration=2 * 3924)
        longer = wait_for(
            lambda: (
                (p := httpx.get(f"{server.url}api/plan/llama").json())["video_time"] > plan["video_time"]
                and p
            )
        )
        assert hours(longer["study_time"]) != hours(plan["study_time"])
        assert study_time_shown() == hours(longer["study_time"])
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert f"{server.url}api/plan/{LLAMA.replace('/', '%2F')}" in fetched
        refused = [
            e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]
        ]
        assert refused == []


def hours(seconds: float) -> str:
    """A time as the report shows it: "1h 05m", "42m"."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def test_each_reload_answers_from_the_new_graph_and_frees_the_old(tmp_path):
    """The graph in use is kept from the cycle collector; a reload hands the old one back,
    so a server that reloads every night holds one graph, not one per night."""
    graph = built(tmp_path)
    live = LiveGraph(graph)

    async def reload(durations) -> list[weakref.ref]:
        following = asyncio.create_task(live.follow())
        old = []
        for duration in durations:
            old.append(weakref.ref(live.current.graph))
            before = payloads.plan(live.current.graph, "llama")["video_time"]
            rewrite(graph, duration=duration)
            while live.current.graph.nodes[LLAMA_VIDEO]["duration"] != duration:
                await asyncio.sleep(0.05)
            assert payloads.plan(live.current.graph, "llama")["video_time"] == before + 100
        following.cancel()
        return old

    try:
        old = asyncio.run(asyncio.wait_for(reload([4024, 4124, 4224]), timeout=60))
    finally:
        gc.unfreeze()
    assert [reading() for reading in old] == [None, None, None]
