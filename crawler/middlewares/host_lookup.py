"""Each request's host looked up before the request takes its download slot.

The lookup goes through the crawl's guarded resolver (crawler/resolver.py), whose answer the
connection then uses, so:
- a host that resolves to a private address ends ``blocked`` with the reason, before even its
  robots.txt is asked for; redirects pass through here again and are checked too;
- a name that does not resolve ends ``dns_error`` at once, and the waits between tries of a
  temporarily failing resolver are spent here, not holding the host's download slot.
"""

from __future__ import annotations

from scrapy.exceptions import CannotResolveHostError
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from ..resolver import AddressRefused, crawl_resolver
from ..status import Blocked


class HostLookupMiddleware:
    async def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname
        if not host:
            return None
        try:
            await crawl_resolver().resolve(host)
        except AddressRefused as refused:
            raise Blocked(refused.args[0]) from None
        except DNSLookupError as error:
            raise CannotResolveHostError(error.args[0]) from None
        return None
