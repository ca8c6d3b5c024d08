"""Refuse requests to private, loopback and link-local addresses.

A roadmap is untrusted input: a link (or a redirect) to 127.0.0.1 or 169.254.169.254
must not make learngraph probe the machine or network it runs in. Redirects pass
through this middleware again, so they are checked too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from ..status import Blocked

logger = logging.getLogger(__name__)


def is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return not ip.is_global or ip.is_multicast


class PrivateHostMiddleware:
    def __init__(self, allowlist: frozenset[str] = frozenset()):
        self.allowlist = allowlist
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("ALLOW_PRIVATE_HOSTS"):
            raise NotConfigured
        return cls(frozenset(h.lower() for h in crawler.settings.getlist("PRIVATE_HOST_ALLOWLIST")))

    async def process_request(self, request, spider=None):
        host = urlsplit(request.url).hostname or ""
        if host in self.allowlist:
            return None
        if host not in self._verdicts:
            self._verdicts[host] = await self._private_address(host)
        if address := self._verdicts[host]:
            raise Blocked(f"{host} resolves to a private address ({address}); "
                          "set ALLOW_PRIVATE_HOSTS=1 to allow it")
        return None

    @staticmethod
    async def _private_address(host: str) -> str | None:
        """The first private address ``host`` stands for, or None."""
        try:
            return host if is_private(host) else None
        except ValueError:
            pass  # a name, not an address
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return None  # the download itself reports the DNS error
        return next((info[4][0] for info in infos if is_private(info[4][0])), None)
