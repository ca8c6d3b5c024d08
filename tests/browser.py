"""Headless Chromium, driven by Selenium, for the tests that look at a page as a user does.
It reaches nothing beyond this machine: its connections go to a closed port."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@contextmanager
def chromium(reach_loopback: bool = False) -> Iterator[webdriver.Chrome]:
    """A new browser with an empty profile, closed when the block ends. With
    ``reach_loopback``, it connects to servers on 127.0.0.1 (a page's own server)."""
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), (
        "the browser tests need Debian's chromium and chromium-driver"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=1400,1000",
            "--proxy-server=127.0.0.1:9",
        ):
            options.add_argument(flag)
        if not reach_loopback:
            # Loopback too through the closed port (by default Chromium bypasses the proxy for it).
            options.add_argument("--proxy-bypass-list=<-loopback>")
        options.unhandled_prompt_behavior = "ignore"  # an alert must stay up for a test to see it
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations show there
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()
