"""The crawl's DNS resolver: each answer checked against the address policy, failures told apart.

Scrapy connects to the address its resolver returns (Twisted's HostnameEndpoint looks up
nothing else), and the yt-dlp proxy does the same, so checking the answer here is a check
at connection time: a name that resolves public once and private the next time is refused
the second time. Answers are kept for the crawl, so the lookup a request makes before its
download slot (HostLookupMiddleware) and its connection agree.

A name that does not exist fails at once and stays failed for the crawl. A temporary failure
of the resolver is tried again, a bounded number of times; once the resolver has failed that
way for DOWN_AFTER lookups in a row it is taken as down (offline), and lookups fail at once
until one succeeds again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import logging
import socket

from scrapy.utils.datatypes import LocalCache
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from .guard import AddressPolicy

logger = logging.getLogger(__name__)

# getaddrinfo errors that say "ask again later" rather than "no such name".
TEMPORARY = {socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)} - {None}
DOWN_AFTER = 16


class AddressRefused(DNSLookupError):
    """The name resolves to an address the policy refuses."""


@implementer(IResolverSimple)
class GuardedResolver:
    """IPv4 answers, like Scrapy's default resolver, refused when the policy says so."""

    def __init__(
        self,
        reactor,
        policy: AddressPolicy,
        retry_times: int = 2,
        retry_delay: float = 0.5,
        cache_size: int = 10000,
        timeout: float = 60.0,
    ):
        self.reactor = reactor
        self.policy = policy
        self.timeout = timeout
        self.retry_times = retry_times
        self.retry_delay = retry_delay
        self.answers: LocalCache[str, str] = LocalCache(cache_size)
        self.failures: LocalCache[str, str] = LocalCache(cache_size)
        self.lookups: dict[str, asyncio.Future] = {}
        self.temporary_in_a_row = 0

    @classmethod
    def from_crawler(cls, crawler, reactor):
        settings = crawler.settings
        return cls(
            reactor,
            AddressPolicy.from_settings(settings),
            settings.getint("DNS_RETRY_TIMES"),
            settings.getfloat("DNS_RETRY_DELAY"),
            settings.getint("DNSCACHE_SIZE"),
            settings.getfloat("DNS_TIMEOUT"),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's interface)
        return deferred_from_coro(self.resolve(name))

    async def resolve(self, name: str) -> str:
        """The address to connect to for ``name``; raises DNSLookupError (AddressRefused)."""
        name = name.lower()
        try:
            literal = ipaddress.ip_address(name)
        except ValueError:
            address = self.answers.get(name) or await self._shared_lookup(name)
        else:  # an address needs no lookup, and none that would let other requests overtake it
            if literal.version == 6:
                raise self._ipv6_refusal(name)
            address = name
        if refusal := self.policy.refusal(name, address):
            raise AddressRefused(refusal)
        return address

    async def _shared_lookup(self, name: str) -> str:
        """One lookup per name at a time, its failure remembered for the crawl."""
        if name in self.failures:
            raise DNSLookupError(self.failures[name])
        if name not in self.lookups:
            self.lookups[name] = asyncio.ensure_future(self._resolve_once(name))
        return await asyncio.shield(self.lookups[name])

    def _ipv6_refusal(self, address: str) -> DNSLookupError:
        """Connections are IPv4, as with Scrapy's default resolver; a private IPv6 address
        (a NAT64 one to 127.0.0.1, say) is still refused as private, so its status says so."""
        if refusal := self.policy.refusal(address, address):
            return AddressRefused(refusal)
        return DNSLookupError(f"{address}: IPv6 addresses are not connected to")

    async def _resolve_once(self, name: str) -> str:
        try:
            address = self.answers[name] = await self._lookup_with_retries(name)
            return address
        except DNSLookupError as error:
            self.failures[name] = error.args[0]
            raise
        finally:
            del self.lookups[name]

    async def _lookup_with_retries(self, name: str) -> str:
        for attempt in itertools.count():
            try:
                address = await self._timed_lookup(name)
            except socket.gaierror as error:
                if not self._try_again(error, attempt):
                    raise DNSLookupError(f"{name}: {error.strerror}") from None
                await asyncio.sleep(self.retry_delay * 2**attempt)
            else:
                self.temporary_in_a_row = 0
                return address

    async def _timed_lookup(self, name: str) -> str:
        """A lookup that takes longer than DNS_TIMEOUT counts as a temporary failure."""
        try:
            return await asyncio.wait_for(self.lookup(name), self.timeout)
        except TimeoutError:
            raise socket.gaierror(socket.EAI_AGAIN, f"no answer within {self.timeout:g} s") from None

    def _try_again(self, error: socket.gaierror, attempt: int) -> bool:
        if error.errno not in TEMPORARY:
            self.temporary_in_a_row = 0
            return False
        self.temporary_in_a_row += 1
        if self.temporary_in_a_row == DOWN_AFTER:
            logger.warning(
                "DNS: %d temporary failures in a row; the resolver is taken as down "
                "and lookups are not tried again until one succeeds",
                DOWN_AFTER,
            )
        return attempt < self.retry_times and self.temporary_in_a_row < DOWN_AFTER

    async def lookup(self, name: str) -> str:
        """One IPv4 lookup; raises socket.gaierror."""
        infos = await asyncio.get_running_loop().getaddrinfo(
            name, None, family=socket.AF_INET, type=socket.SOCK_STREAM
        )
        return infos[0][4][0]


def crawl_resolver() -> GuardedResolver:
    """The resolver of the running crawl. Without it no connection would be checked, so
    its absence is an error, not a silent pass."""
    from twisted.internet import reactor

    if not isinstance(reactor.resolver, GuardedResolver):
        raise RuntimeError("the crawl runs without learngraph's guarded DNS resolver (TWISTED_DNS_RESOLVER)")
    return reactor.resolver
