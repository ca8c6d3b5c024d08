"""A small HTTP proxy on 127.0.0.1 through which yt-dlp makes every connection.

yt-dlp follows redirects and fetches API answers and manifests inside its own HTTP
handlers, with no hook at connection time; its ``proxy`` option is the supported way to
see every one of those connections. For each, the proxy asks the crawl's resolver for the
address (checked against the address policy there) and connects to exactly that address,
so yt-dlp reaches nothing the crawl itself may not.

It serves plain-HTTP proxy requests (one per connection: the request goes upstream with
``Connection: close``, so a kept-alive client connection can never carry a second request
to another host) and ``CONNECT`` tunnels for https. Each yt-dlp call names itself in the
proxy URL's user name, so the reason a connection was refused reaches that call.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError
from twisted.internet.error import DNSLookupError

from .resolver import AddressRefused
from .status import Blocked

# Headers meant for the proxy, or for this one hop, that never go upstream.
HOP_HEADERS = {
    b"proxy-authorization",
    b"proxy-connection",
    b"connection",
    b"keep-alive",
    b"te",
    b"trailer",
    b"upgrade",
}
HEAD_LIMIT = 64 * 1024


class GuardingProxy:
    """Forwards each connection to the address ``resolve`` gives for its host, or refuses it."""

    def __init__(self, resolve: Callable[[str], Awaitable[str]], timeout: float = 30.0):
        self.resolve = resolve
        self.timeout = timeout
        self.server: asyncio.Server | None = None
        # Why a call's connection was not made: the error its request should end with.
        self.failures: dict[str, Exception] = {}

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=HEAD_LIMIT)

    def url(self, caller: str) -> str:
        """The proxy URL for one yt-dlp call named ``caller``."""
        port = self.server.sockets[0].getsockname()[1]
        return f"http://{caller}:-@127.0.0.1:{port}"

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
            await self._forward(head, reader, writer)
        except (
            TimeoutError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
            ValueError,
        ):
            pass  # a client that hangs up or speaks nonsense gets nothing
        finally:
            writer.close()

    async def _forward(self, head: bytes, reader, writer) -> None:
        request_line, *header_lines = head[:-4].split(b"\r\n")
        method, target, version = request_line.decode("latin-1").split(" ")
        headers = [line.split(b":", 1) for line in header_lines]
        caller = _caller(headers)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            host, path = host.strip("[]"), None
        else:
            url = urlsplit(target)
            if url.scheme != "http" or not url.hostname:
                return await _answer(writer, 400, "Bad Request")
            host, port = url.hostname, url.port or 80
            path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        upstream = await self._connect(caller, host, int(port), writer)
        if upstream is None:
            return
        up_reader, up_writer = upstream
        try:
            if path is None:
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                kept = b"".join(
                    b"%s:%s\r\n" % (name, value)
                    for name, value in headers
                    if name.strip().lower() not in HOP_HEADERS
                )
                up_writer.write(
                    f"{method} {path} {version}\r\n".encode("latin-1")
                    + kept
                    + b"Connection: close\r\n\r\n"
                    + await _body(headers, reader)
                )
                reader = None  # one request per connection: nothing more goes upstream
                answer = await asyncio.wait_for(up_reader.readuntil(b"\r\n\r\n"), self.timeout)
                writer.write(_closing(answer))
            await asyncio.gather(
                _pipe(up_reader, writer, self.timeout), _pipe(reader, up_writer, self.timeout)
            )
        finally:
            up_writer.close()

    async def _connect(self, caller: str, host: str, port: int, writer):
        """A connection to the address the crawl's resolver gives for ``host``, or None
        after answering the client why not."""
        try:
            address = await self.resolve(host)
        except AddressRefused as refused:
            self.failures[caller] = Blocked(refused.args[0])
            await _answer(writer, 403, "Forbidden")
            return None
        except DNSLookupError as error:
            self.failures[caller] = CannotResolveHostError(error.args[0])
            await _answer(writer, 502, "Bad Gateway")
            return None
        try:
            return await asyncio.wait_for(asyncio.open_connection(address, port), self.timeout)
        except (TimeoutError, OSError):
            await _answer(writer, 502, "Bad Gateway")
            return None


def _caller(headers: list[list[bytes]]) -> str:
    for name, value in headers:
        if name.strip().lower() == b"proxy-authorization":
            credentials = value.strip().partition(b" ")[2]
            with contextlib.suppress(ValueError):
                return base64.b64decode(credentials).decode().partition(":")[0]
    return ""


async def _body(headers: list[list[bytes]], reader) -> bytes:
    for name, value in headers:
        name = name.strip().lower()
        if name == b"content-length":
            return await reader.readexactly(int(value))
        if name == b"transfer-encoding":
            raise ValueError("chunked request bodies are not proxied")
    return b""


async def _pipe(source, sink, idle_timeout: float) -> None:
    """Copy until the source ends or stays silent for ``idle_timeout`` seconds."""
    if source is None:
        return
    try:
        while data := await asyncio.wait_for(source.read(65536), idle_timeout):
            sink.write(data)
            await sink.drain()
    except (TimeoutError, ConnectionError):
        pass
    finally:
        with contextlib.suppress(RuntimeError, OSError):
            sink.write_eof()


def _closing(head: bytes) -> bytes:
    """A response head that tells the client the connection ends with this answer: a
    client that kept it for its next request (a redirect's) would find it closed."""
    status, *lines = head[:-4].split(b"\r\n")
    kept = [
        line for line in lines if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")
    ]
    return b"\r\n".join([status, *kept, b"Connection: close"]) + b"\r\n\r\n"


async def _answer(writer, status: int, reason: str) -> None:
    writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
