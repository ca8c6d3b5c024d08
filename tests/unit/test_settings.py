"""Settings: one precedence rule (defaults < LEARNGRAPH_* < -s) and one type check, read
the same with Scrapy (``load_settings``, for crawls) and without (``setting``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from learngraph.crawler.settings import SettingsError, load_settings, setting

ENVIRON = {"LEARNGRAPH_OUTPUT_DIR": "from-env", "LEARNGRAPH_ROADMAP_MAX_BYTES": "2048", "HOME": "/x"}


@pytest.mark.parametrize(
    ("name", "overrides", "expected"),
    [
        ("OUTPUT_DIR", {}, "from-env"),
        ("OUTPUT_DIR", {"OUTPUT_DIR": "from-cli"}, "from-cli"),
        ("ROADMAP_MAX_BYTES", {}, 2048),
        ("SEMANTIC_SCHOLAR_DELAY", {"SEMANTIC_SCHOLAR_DELAY": "2.5"}, 2.5),
        ("VIDEO_HOSTS", {"VIDEO_HOSTS": "a.org,b.org"}, ["a.org", "b.org"]),
        ("VIDEO_HOSTS", {"VIDEO_HOSTS": ""}, []),
        ("FULL_CRAWL", {"FULL_CRAWL": "true"}, True),
        ("FAIL_THRESHOLD", {}, 1.0),
    ],
)
def test_setting_reads_like_the_crawl_does(name, overrides, expected):
    assert setting(name, overrides, ENVIRON) == expected
    crawl = load_settings(overrides, ENVIRON)
    getter = {
        str: crawl.get,
        int: crawl.getint,
        float: crawl.getfloat,
        list: crawl.getlist,
        bool: crawl.getbool,
    }[type(expected)]
    assert getter(name) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("ROADMAP_MAX_BYTES", "ten"), ("FULL_CRAWL", "yes"), ("SEMANTIC_SCHOLAR_DELAY", "1,5")],
)
def test_a_value_of_the_wrong_type_is_one_clear_error_either_way(name, value):
    with pytest.raises(SettingsError, match=f"setting {name} takes"):
        setting(name, {name: value}, {})
    with pytest.raises(SettingsError, match=f"setting {name} takes"):
        load_settings({name: value}, {})


def test_the_settings_module_does_not_import_scrapy():
    code = "import sys, learngraph.crawler.settings; print(sorted(m for m in sys.modules if 'scrapy' in m))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
