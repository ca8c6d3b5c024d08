"""Which addresses a crawl of untrusted links may connect to: the one place that decides.

A roadmap, and every page and redirect it leads to, is written by strangers: a link to
127.0.0.1, 10.0.0.5 or the cloud metadata address 169.254.169.254 must not make learngraph
probe the machine or network it runs in. Every connection of a crawl, Scrapy's and
yt-dlp's, is checked here with the address it is about to use.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052): the address
# reached is that IPv4 one. The local-use prefix 64:ff9b:1::/48 (RFC 8215) is never public.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def is_public_address(address: str) -> bool:
    """Whether ``address`` is a unicast address of the public internet.

    IPv6 addresses that embed an IPv4 one (IPv4-mapped, NAT64, 6to4) are judged by the IPv4
    address they lead to, so ``64:ff9b::a00:1`` is as private as ``10.0.0.1``.

    >>> is_public_address("93.184.216.34"), is_public_address("169.254.169.254")
    (True, False)
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return False
        embedded = (
            ip.ipv4_mapped
            or ip.sixtofour
            or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        )
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses always; private ones only when allowed for every host or by name."""

    allow_private: bool = False
    allowlist: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings) -> AddressPolicy:
        return cls(
            settings.getbool("ALLOW_PRIVATE_HOSTS"),
            frozenset(h.lower() for h in settings.getlist("PRIVATE_HOST_ALLOWLIST")),
        )

    def refusal(self, host: str, address: str) -> str | None:
        """Why a connection to ``host`` at ``address`` is refused, or None when it may go."""
        if self.allow_private or host.lower() in self.allowlist or is_public_address(address):
            return None
        return f"{host} resolves to a private address ({address}); set ALLOW_PRIVATE_HOSTS=1 to allow it"
