"""The GitHub REST API's repository JSON, parsed into repository records."""

import pytest
from fixture_cases import as_record, cases, check_case, read_json

from learngraph.crawler.sources import github


@pytest.mark.parametrize("case", cases("github"))
def test_parse_repo(case):
    check_case(
        case,
        lambda: github.parse_repo(read_json(case / "input.json")),
        lambda fields: as_record(fields, "repo"),
    )


def test_api_path():
    assert github.api_path("huggingface/transformers") == "/repos/huggingface/transformers"
    assert github.api_path("microsoft/deepspeed/blogs/README.md") == "/repos/microsoft/deepspeed"
