"""The GitHub REST API's repository JSON, parsed into repository records."""

import pytest
from fixture_cases import as_record, cases, check_case, read_json

from learngraph.crawler.sources import github


@pytest.mark.parametrize("case", cases("github"))
def test_parse_repo(case):
    check_case(
        case, lambda: github.parse_repo(read_json(case / "input.json")),
        lambda fields: as_record(fields, "repo"),
    )


def test_api_path():
    assert github.api_path("huggingface/transformers") == "/repos/huggingface/transformers"
    assert github.api_path("microsoft/deepspeed/blogs/README.md") == "/repos/microsoft/deepspeed"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1715690000"}, (0, 1715690000)),
        ({"x-ratelimit-remaining": "4999", "x-ratelimit-reset": "1715690000"}, (4999, 1715690000)),
        ({"Content-Type": "application/json"}, (None, None)),
        ({"x-ratelimit-remaining": "many"}, (None, None)),
    ],
)
def test_rate_limit(headers, expected):
    assert github.rate_limit(headers) == expected
