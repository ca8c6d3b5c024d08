"""The report in a real browser: headless Chromium opens it from disk with the network off,
the graph draws every topic, a click shows the topic's plan, a hostile title stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import chromium
from learngraph.cli import main
from learngraph.crawler.roadmap import read_roadmap
from learngraph.graph import queries
from learngraph.graph.build import build_and_write
from report_case import HOSTILE, hostile_records

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
TOPIC = "roadmap/llama"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The report of the embedded roadmap and the saved crawl (one title hostile), as
    `learngraph report` writes it, and the graph it shows."""
    folder = tmp_path_factory.mktemp("report")
    records, victim = hostile_records()
    G, _ = build_and_write(read_roadmap(None), records, folder)
    result = CliRunner().invoke(
        main, ["report", "--graph", str(folder / "graph.json"), "--out", str(folder / "report.html")]
    )
    assert result.exit_code == 0, result.output
    return folder / "report.html", G, victim


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        # Opened from disk, the report must need no network at all, loopback included.
        driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        yield driver


def test_the_report_works_offline_and_keeps_crawled_text_as_text(page, browser):
    path, G, victim = page
    browser.get(path.as_uri())
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return !!window.reportGraph"))

    # Nothing fetched: every script, style and datum is in the file.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    # The graph: one node per topic, drawn on a canvas that has pixels on it.
    topics = [n for n, d in G.nodes(data=True) if d["type"] == "topic"]
    assert browser.execute_script("return window.reportGraph.nodes().map(n => n.id())") == sorted(
        topics, key=lambda t: G.nodes[t]["index"]
    )
    painted = browser.execute_script("""
        return [...document.querySelectorAll('#graph canvas')].some(canvas => {
          if (!canvas.width || !canvas.height) return false;
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) return true;
          return false;
        });""")
    assert painted, "the graph canvas is blank"

    # A click on the topic's node shows its study plan, the one `plan` computes.
    graph = browser.find_element(By.ID, "graph")
    x, y = browser.execute_script(
        "const p = window.reportGraph.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y]",
        TOPIC,
    )
    ActionChains(browser).move_to_element_with_offset(
        graph, round(x - graph.size["width"] / 2), round(y - graph.size["height"] / 2)
    ).click().perform()
    panel = browser.find_element(By.ID, "topic-panel")
    WebDriverWait(browser, 5).until(lambda b: panel.find_elements(By.ID, "plan-steps"))
    expected = queries.plan(G, TOPIC)
    assert panel.find_element(By.TAG_NAME, "h2").text == G.nodes[TOPIC]["name"]
    steps = [
        li.find_element(By.TAG_NAME, "button").text
        for li in panel.find_elements(By.CSS_SELECTOR, "#plan-steps > li")
    ]
    assert steps == [G.nodes[s["topic"]]["name"] for s in expected["steps"]]
    minutes = round(expected["study_time"] / 60)
    assert (
        panel.find_element(By.CSS_SELECTOR, "#plan-totals dd.big").text
        == f"{minutes // 60}h {minutes % 60:02d}m"
    )

    # The hostile title: no alert, no script element made of it, the text on screen.
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.accept()
    assert browser.execute_script("return document.scripts.length") == 3
    shown = [e for e in panel.find_elements(By.CSS_SELECTOR, ".title a") if e.text == HOSTILE]
    assert shown and shown[0].is_displayed()
    assert shown[0].get_attribute("href") == G.nodes[victim]["url"]

    # The papers the roadmap is missing have a section of their own among the gaps.
    missing = browser.find_element(
        By.XPATH, "//section[@id='gaps']//h3[starts-with(., 'Papers the roadmap')]/.."
    )
    assert missing.find_element(By.TAG_NAME, "h3").text == "Papers the roadmap is missing (2)"
    assert (
        "Training language models to follow instructions with human feedback cited by 3 of its papers "
        "— under GPT和大模型RLHF训练" in [li.text for li in missing.find_elements(By.TAG_NAME, "li")]
    )

    # The strict Content-Security-Policy refused nothing the page needs.
    refused = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]
    assert refused == []

    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report.png"))
