"""Hostile data where hosts keep their metadata (Zhihu's js-initialData, Medium's Apollo
state, WeChat's script variables, CSDN's header): wrong types, impossible numbers,
broken markup. A rule returns what it can read, or nothing; it never raises."""

from __future__ import annotations

import pytest

from learngraph.crawler.sources import web
from learngraph.crawler.sources.zhihu import parse_page as zhihu_rule

ZHIHU = "https://zhuanlan.zhihu.com/p/1"
MEDIUM = "https://medium.com/@a/title-0123456789ab"
WECHAT = "https://mp.weixin.qq.com/s/abc"
CSDN = "https://blog.csdn.net/u/article/details/1"
SUBSTACK = "https://someone.substack.com/p/a-post"


def zhihu(data: str) -> str:
    return f'<script id="js-initialData" type="text/json">{data}</script>'


def preloads(data: str) -> str:
    return f"<script>window._preloads = JSON.parse({data})</script>"


def apollo(data: str) -> str:
    return f"<script>window.__APOLLO_STATE__ = {data}</script>"


@pytest.mark.parametrize(
    ("url", "page"),
    [
        (
            ZHIHU,
            zhihu(
                '{"initialState": {"entities": {"articles": {"1": {"title": 5, "created": 1e300, '
                '"author": "nobody", "excerpt": ["x"]}}}}}'
            ),
        ),
        (
            ZHIHU,
            zhihu('{"initialState": {"entities": {"articles": {"1": {"created": NaN, "updated": -1e20}}}}}'),
        ),
        (ZHIHU, zhihu('{"initialState": {"entities": {"articles": [1, 2]}}}')),
        (ZHIHU, zhihu('{"initialState": []}')),
        (ZHIHU, zhihu("[" * 100_000)),
        (
            "https://www.zhihu.com/question/1/answer/2",
            zhihu(
                '{"initialState": {"entities": {"answers": {"2": {"question": {"id": {"x": 1}}, "createdTime": true}}}}}'
            ),
        ),
        (
            MEDIUM,
            apollo(
                '{"Post:0123456789ab": {"readingTime": Infinity, "firstPublishedAt": NaN, "title": ["t"]}}'
            ),
        ),
        (MEDIUM, apollo('{"Post:0123456789ab": {"readingTime": -5, "creator": {"__ref": ["User:1"]}}}')),
        (MEDIUM, apollo('{"Post:0123456789ab": {"creator": {"__ref": "User:1"}}, "User:1": "Ada"}')),
        (MEDIUM, apollo("[1, 2, 3]")),
        (MEDIUM, apollo('{"Post:0123456789ab": 1e999}')),
        (WECHAT, '<script>var msg_title = \'unterminated; var ct = "99999999999999999999";</script>'),
        (WECHAT, "<script>var ct = \"-1\"; var msg_title = '\\x'.html(false);</script>"),
        (WECHAT, '<meta name="author" content="   "><span id="js_name"></span>'),
        (
            SUBSTACK,
            preloads(
                '"{\\"post\\": {\\"wordcount\\": 1e999, \\"publishedBylines\\": [{\\"name\\": 3}, \\"x\\"]}}"'
            ),
        ),
        (SUBSTACK, preloads('"[\\"post\\"]"')),
        (SUBSTACK, preloads('"{\\"post\\": \\"text\\"}"')),
        (SUBSTACK, preloads('"not json"')),
        (SUBSTACK, preloads('"{\\"post\\": {\\"title\\": \\"T\\", \\"wordcount\\": -4}}"')),
        (CSDN, '<div class="article-bar-top"><span class="time">于 2023-99-99 99:99:99 发布</span></div>'),
        (
            CSDN,
            '<h1 class="title-article"></h1><a class="follow-nickName"></a><meta name="description" content="">',
        ),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_hostile_host_data_gives_what_can_be_read_and_never_raises(url, page):
    host = url.split("/")[2]
    rule = zhihu_rule if host.endswith("zhihu.com") else web.host_rule(host)
    fields = rule(url, page)
    assert set(fields.get("provenance", {})) == set(fields) - {"provenance"}
    for name, value in fields.items():
        if name == "published":
            assert value[:4].isdigit() and "99:99" not in value
        elif name != "provenance":
            assert value and isinstance(value, str | list | int)
