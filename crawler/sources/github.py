"""GitHub: repositories, and paths inside them (tree, blob, raw).

Every link into one repository shares one REST API request for it, on the API's slot
(GITHUB_CONCURRENCY); crawler/middlewares/github.py adds the token and keeps to the
rate limit of requests marked ``github_api``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import SplitResult

from ..records import present
from .base import Fetch, Found, Identity, Seed, Source
from .fields import from_one_source

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import Settings

NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
# First path segments that are GitHub's own pages, not user or organisation names.
RESERVED = frozenset(
    {
        "about",
        "apps",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "join",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "issues",
        "search",
        "security",
        "settings",
        "sponsors",
        "topics",
        "trending",
        "site",
        "readme",
        "codespaces",
        "github-copilot",
    }
)


class GitHub(Source):
    name = "github"
    kind = "repo"
    hosts = frozenset({"github.com", "www.github.com", "raw.githubusercontent.com"})
    examples = (
        ("https://github.com/huggingface/transformers", "github:huggingface/transformers"),
        ("https://github.com/HuggingFace/Transformers/", "github:huggingface/transformers"),
        ("https://github.com/huggingface/transformers.git", "github:huggingface/transformers"),
        (
            "https://github.com/huggingface/transformers/tree/main/examples",
            "github:huggingface/transformers/examples",
        ),
        (
            "https://github.com/microsoft/DeepSpeed/blob/master/blogs/deepspeed-chat/chinese/README.md",
            "github:microsoft/deepspeed/blogs/deepspeed-chat/chinese/README.md",
        ),
        (
            "https://github.com/microsoft/DeepSpeedExamples/tree/master/applications/DeepSpeed-Chat"
            "#-quick-start-",
            "github:microsoft/deepspeedexamples/applications/DeepSpeed-Chat",
        ),
        ("https://github.com/karpathy/nanoGPT/tree/master", "github:karpathy/nanogpt"),
        (
            "https://raw.githubusercontent.com/karpathy/nanoGPT/master/train.py",
            "github:karpathy/nanogpt/train.py",
        ),
        ("http://www.github.com/keonkim/awesome-nlp#readme", "github:keonkim/awesome-nlp"),
        ("https://github.com/keonkim/awesome-nlp/pulls", "github:keonkim/awesome-nlp/pulls"),
        (
            "https://github.com/karpathy/nanoGPT/blob/master/README.md#install",
            "github:karpathy/nanogpt/README.md",
        ),
    )
    counter_examples = (
        "https://github.com/",
        "https://github.com/karpathy",
        "https://github.com/topics/nlp",
        "https://gist.github.com/karpathy/d4dee566867f8291f086",
        "https://datawhalechina.github.io/learn-nlp-with-transformers/",
        "https://github.com/features/copilot",
        "https://notgithub.com/a/b",
        "https://github.com.example.com/karpathy/nanoGPT",
        "https://github.com/karpathy/nano%20GPT",
    )

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname not in cls.hosts:
            return None
        segments = [s for s in url.path.split("/") if s]
        if url.hostname == "raw.githubusercontent.com" and len(segments) >= 3:
            segments = segments[:2] + ["blob"] + segments[2:]
        if len(segments) < 2 or segments[0].lower() in RESERVED:
            return None
        owner, repo = segments[0], segments[1].removesuffix(".git")
        if not (NAME.match(owner) and NAME.match(repo)):
            return None
        slug = f"{owner}/{repo}".lower()
        rest = segments[2:]
        attrs: dict = {}
        if rest[:1] in (["tree"], ["blob"]) and len(rest) >= 2:
            attrs["ref"] = rest[1]
            path = "/".join(rest[2:])
            url_path = f"/{rest[0]}/{rest[1]}/{path}" if path else ""
        else:
            path = "/".join(rest)
            url_path = f"/{path}" if path else ""
        if path:
            attrs["path"] = path
        return Identity(
            f"github:{slug}" + (f"/{path}" if path else ""),
            "repo",
            cls.name,
            f"https://github.com/{owner}/{repo}{url_path}",
            attrs,
        )

    @classmethod
    def fetches(cls, seeds: list[Seed], settings: Settings) -> list[Fetch]:
        api = settings.get("GITHUB_API_URL").rstrip("/")
        repos: dict[str, list[str]] = defaultdict(list)
        for seed in seeds:
            repos["/".join(seed.id.removeprefix("github:").split("/")[:2])].append(seed.id)
        return [
            Fetch(
                ids,
                api + api_path(owner_repo),
                cls.read,
                api=True,
                headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
                meta={"download_slot": "github-api", "github_api": True},
            )
            for owner_repo, ids in repos.items()
        ]

    @classmethod
    def read(cls, response: Response, fetch: Fetch) -> list[Found]:
        try:
            return fetch.found(parse_repo(json.loads(response.text)))
        except (ValueError, AttributeError, TypeError) as error:
            return fetch.found({"status": "http_error", "error": f"GitHub API: {error}"})


def api_path(owner_repo: str) -> str:
    """The REST path of a repository, from ``owner/repo`` (a path after it is ignored)."""
    owner, repo = owner_repo.split("/")[:2]
    return f"/repos/{owner}/{repo}"


def parse_repo(data: dict) -> dict:
    """Record fields of a repository from the REST API's repository JSON."""
    license_ = data.get("license") or {}
    spdx_id = license_.get("spdx_id")
    return from_one_source(
        present(
            {
                "full_name": data.get("full_name"),
                "title": data.get("full_name"),
                "description": data.get("description"),
                "stars": data.get("stargazers_count"),
                "forks": data.get("forks_count"),
                "open_issues": data.get("open_issues_count"),
                "language": data.get("language"),
                "tags": data.get("topics"),
                # GitHub says NOASSERTION for a licence it cannot name ("Other").
                "license": spdx_id if spdx_id and spdx_id != "NOASSERTION" else license_.get("name"),
                "default_branch": data.get("default_branch"),
                "created": data.get("created_at"),
                "pushed_at": data.get("pushed_at"),
                "archived": data.get("archived"),
                "homepage": data.get("homepage"),
                "status": "ok",
            }
        ),
        "github-api",
    )
