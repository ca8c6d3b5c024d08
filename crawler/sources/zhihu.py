"""Zhihu: answers, column articles and questions."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

from .base import Identity, Source

ANSWER = re.compile(r"^/question/(\d+)/answer/(\d+)/?$")
QUESTION = re.compile(r"^/question/(\d+)/?$")
COLUMN = re.compile(r"^/p/(\d+)/?$")


class Zhihu(Source):
    name = "zhihu"
    kind = "article"
    hosts = frozenset({"zhihu.com", "www.zhihu.com", "zhuanlan.zhihu.com"})
    examples = (
        ("https://www.zhihu.com/question/604134581/answer/3063230236", "zhihu:answer:3063230236"),
        ("https://zhuanlan.zhihu.com/p/403433120", "zhihu:article:403433120"),
        ("https://zhuanlan.zhihu.com/p/403433120?utm_source=wechat", "zhihu:article:403433120"),
        ("https://www.zhihu.com/question/604134581", "zhihu:question:604134581"),
    )
    counter_examples = ("https://www.zhihu.com/", "https://www.zhihu.com/people/someone")

    @classmethod
    def identify(cls, url: SplitResult) -> Identity | None:
        if url.hostname == "zhuanlan.zhihu.com" and (match := COLUMN.match(url.path)):
            return Identity(f"zhihu:article:{match[1]}", "article", cls.name,
                            f"https://zhuanlan.zhihu.com/p/{match[1]}")
        if url.hostname not in ("zhihu.com", "www.zhihu.com"):
            return None
        if match := ANSWER.match(url.path):
            return Identity(f"zhihu:answer:{match[2]}", "article", cls.name,
                            f"https://www.zhihu.com/question/{match[1]}/answer/{match[2]}")
        if match := QUESTION.match(url.path):
            return Identity(f"zhihu:question:{match[1]}", "article", cls.name,
                            f"https://www.zhihu.com/question/{match[1]}")
        return None
