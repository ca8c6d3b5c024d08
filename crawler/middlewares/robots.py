"""robots.txt obeyed for every request, also the ones that wait for it.

Scrapy 2.19's RobotsTxtMiddleware lets several requests to one host await the same
Deferred; Twisted hands the parser only to the first awaiter and None to the others, and
None means "allowed". Those requests would ignore robots.txt. By the time any awaiter
resumes, the parser (or None after a failed fetch) is stored, so it is read from there.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(stored, Deferred):
                return stored
        return parser
