"""The User-Agent names the installed version and the project's own address, from the
package's metadata (pyproject.toml), so site owners can reach whoever runs the crawl."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from learngraph.crawler.settings import load_settings

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
PROJECT = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def test_the_user_agent_names_the_installed_version_and_the_projects_address():
    home = PROJECT["urls"]["Homepage"]
    settings = load_settings({}, environ={})
    assert settings["CONTACT_URL"] == home
    assert settings["USER_AGENT"] == f"learngraph/{PROJECT['version']} (+{home})"
    assert version("learngraph") == PROJECT["version"], "the installed package is this checkout"


def test_a_contact_url_of_ones_own_goes_into_the_user_agent():
    contact = "https://nlp.example.edu/crawl"
    settings = load_settings({"CONTACT_URL": contact}, environ={})
    assert settings["USER_AGENT"] == f"learngraph/{PROJECT['version']} (+{contact})"
