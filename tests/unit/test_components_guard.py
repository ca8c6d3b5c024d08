"""The private-host guard as components: the crawl's resolver and the host lookup middleware,
built from the crawl's settings. Lookups answer from a table: nothing is asked of a real
DNS server and nothing connects anywhere."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError
from scrapy.utils.misc import build_from_crawler
from twisted.internet.error import DNSLookupError

from learngraph.crawler.middlewares import host_lookup
from learngraph.crawler.middlewares.host_lookup import HostLookupMiddleware
from learngraph.crawler.resolver import AddressRefused, GuardedResolver
from learngraph.crawler.status import Blocked, status_for_failure
from project_crawler import project_crawler

TEMPORARY = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
MISSING = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
TABLE = {
    "public.test": ["93.184.216.34"],
    "intranet.test": ["10.0.0.5"],
    "wiki.intranet": ["10.0.0.6"],
    "missing.test": [MISSING],
}


class TableResolver(GuardedResolver):
    """The crawl's resolver with its one lookup answered from ``table``: a name's answers in
    turn, the last one repeated; an exception is raised, None never answers."""

    table: dict[str, list] = TABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: Counter[str] = Counter()

    async def lookup(self, name: str) -> str:
        answers = self.table[name]
        answer = answers[min(self.asked[name], len(answers) - 1)]
        self.asked[name] += 1
        if answer is None:
            await asyncio.Event().wait()
        if isinstance(answer, Exception):
            raise answer
        return answer


def resolver(table: dict | None = None, **settings) -> TableResolver:
    built = TableResolver.from_crawler(project_crawler(**settings), reactor=None)
    built.table = table or TABLE
    return built


def outcomes(resolver: GuardedResolver, *names: str) -> list:
    """What resolving each name in turn gives: its address or the exception."""

    async def resolve_all():
        return await asyncio.gather(*(resolver.resolve(name) for name in names), return_exceptions=True)

    return asyncio.run(resolve_all())


def test_a_public_answer_is_used_and_a_private_one_refused_with_the_way_out():
    public, private = outcomes(resolver(), "public.test", "intranet.test")
    assert public == "93.184.216.34"
    assert isinstance(private, AddressRefused)
    assert private.args[0] == (
        "intranet.test resolves to a private address (10.0.0.5); set ALLOW_PRIVATE_HOSTS=1 to allow it"
    )


def test_the_allowlist_and_the_switch_come_from_the_settings():
    allowlisted = resolver(PRIVATE_HOST_ALLOWLIST="wiki.intranet")
    wiki, other = outcomes(allowlisted, "wiki.intranet", "intranet.test")
    assert wiki == "10.0.0.6"
    assert isinstance(other, AddressRefused)
    assert outcomes(resolver(ALLOW_PRIVATE_HOSTS=1), "intranet.test") == ["10.0.0.5"]


def test_an_address_in_the_url_is_judged_without_a_lookup():
    guard = resolver()
    metadata, loopback6, public6 = outcomes(guard, "169.254.169.254", "::1", "2606:4700::1111")
    assert isinstance(metadata, AddressRefused) and isinstance(loopback6, AddressRefused)
    assert type(public6) is DNSLookupError and "IPv6" in str(public6)
    assert outcomes(guard, "93.184.216.34") == ["93.184.216.34"]
    assert not guard.asked


def test_a_temporary_failure_is_tried_again_as_often_as_the_settings_say():
    flaky = {"flaky.test": [TEMPORARY, TEMPORARY, "93.184.216.34"], "down.test": [TEMPORARY]}
    guard = resolver(flaky, DNS_RETRY_TIMES=2, DNS_RETRY_DELAY=0)
    address, down = outcomes(guard, "flaky.test", "down.test")
    assert address == "93.184.216.34"
    assert isinstance(down, DNSLookupError) and "Temporary failure" in str(down)
    assert guard.asked == {"flaky.test": 3, "down.test": 3}


def test_a_lookup_without_an_answer_ends_after_the_dns_timeout():
    guard = resolver({"silent.test": [None]}, DNS_RETRY_TIMES=1, DNS_RETRY_DELAY=0, DNS_TIMEOUT=0.01)
    [silent] = outcomes(guard, "silent.test")
    assert isinstance(silent, DNSLookupError) and "no answer within 0.01 s" in str(silent)
    assert guard.asked["silent.test"] == 2


def test_a_name_that_does_not_exist_is_asked_once_per_crawl():
    guard = resolver()
    first, second = outcomes(guard, "missing.test", "missing.test")
    assert isinstance(first, DNSLookupError) and isinstance(second, DNSLookupError)
    assert outcomes(guard, "missing.test")[0].args == first.args
    assert guard.asked["missing.test"] == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://intranet.test/wiki", "blocked"),
        ("http://169.254.169.254/latest/meta-data/", "blocked"),
        ("https://missing.test/", "dns_error"),
    ],
)
def test_the_host_lookup_ends_a_refused_or_missing_host_with_its_status(monkeypatch, url, status):
    crawler = project_crawler()
    guard = TableResolver.from_crawler(crawler, reactor=None)
    monkeypatch.setattr(host_lookup, "crawl_resolver", lambda: guard)
    middleware = build_from_crawler(HostLookupMiddleware, crawler)
    with pytest.raises((Blocked, CannotResolveHostError)) as raised:
        asyncio.run(middleware.process_request(Request(url)))
    assert status_for_failure(raised.value)[0] == status


def test_the_host_lookup_lets_a_public_host_through(monkeypatch):
    crawler = project_crawler()
    guard = TableResolver.from_crawler(crawler, reactor=None)
    monkeypatch.setattr(host_lookup, "crawl_resolver", lambda: guard)
    middleware = build_from_crawler(HostLookupMiddleware, crawler)
    assert asyncio.run(middleware.process_request(Request("https://public.test/page"))) is None
    assert guard.asked == {"public.test": 1}
