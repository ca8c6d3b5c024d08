"""Private addresses: every connection a crawl makes, Scrapy's and yt-dlp's, goes only where
the address policy allows, checked with the address the connection uses.

Traffic goes to loopback only; every other range is tested as a classification."""

from __future__ import annotations

import asyncio
import base64
import socket
import ssl
import subprocess
import threading

import pytest

from learngraph.crawler.guard import AddressPolicy, is_public_address
from learngraph.crawler.proxy import GuardingProxy
from learngraph.crawler.resolver import AddressRefused, GuardedResolver
from learngraph.crawler.status import Blocked
from learngraph_process import read_records, run_learngraph
from site_server import serve

PRIVATE = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "192.0.2.1",
    "198.18.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::808:808",
    "2002:7f00:1::",
    "2002:a00:1::1",
    "2002:a9fe:a9fe::",
]
PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", PRIVATE)
def test_private_and_special_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_public(address):
    assert is_public_address(address)


def test_the_switch_and_the_allowlist_let_private_addresses_through():
    policy = AddressPolicy(allowlist=frozenset({"wiki.intranet"}))
    assert policy.refusal("wiki.intranet", "10.0.0.5") is None
    assert policy.refusal("WIKI.intranet", "10.0.0.5") is None
    assert policy.refusal("example.com", "93.184.216.34") is None
    assert "private address (10.0.0.5)" in policy.refusal("evil.test", "10.0.0.5")
    assert AddressPolicy(allow_private=True).refusal("evil.test", "169.254.169.254") is None


def resolver_answering(answers: dict[str, list[str]], cache_size: int = 100, **policy) -> GuardedResolver:
    """The crawl's resolver with made-up lookups: each name's answers in turn."""
    resolver = GuardedResolver(None, AddressPolicy(**policy), cache_size=cache_size)
    pending = {name: iter(values) for name, values in answers.items()}

    async def lookup(name: str) -> str:
        return next(pending[name])

    resolver.lookup = lookup
    return resolver


def test_a_name_that_rebinds_to_a_private_address_is_refused_at_its_next_connection():
    """Connections take their address from the resolver, so it is asked as a connection
    would ask it; nothing connects anywhere here."""
    resolver = resolver_answering(
        {"rebind.test": ["93.184.216.34", "127.0.0.1"], "other.test": ["93.184.216.35"]}, cache_size=1
    )

    async def connections():
        first = await resolver.resolve("rebind.test")
        await resolver.resolve("other.test")  # the one-entry cache forgets rebind.test
        with pytest.raises(AddressRefused, match=r"rebind.test resolves to a private address \(127.0.0.1\)"):
            await resolver.resolve("rebind.test")
        return first

    assert asyncio.run(connections()) == "93.184.216.34"


class RunningProxy:
    """The guarding proxy on its own event loop, resolving through a made-up resolver."""

    def __init__(self, resolver: GuardedResolver):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.proxy = GuardingProxy(resolver.resolve, timeout=5)
        asyncio.run_coroutine_threadsafe(self.proxy.start(), self.loop).result()
        self.port = self.proxy.server.sockets[0].getsockname()[1]

    def exchange(self, data: bytes, then: bytes = b"") -> bytes:
        """Send ``data``, and ``then`` once the proxy answered; everything until it hangs up."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as client:
            client.sendall(data)
            answer = client.recv(65536)
            if then:
                client.sendall(then)
            while chunk := client.recv(65536):
                answer += chunk
            return answer

    def close(self):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _stop(self):
        self.proxy.close()
        connections = asyncio.all_tasks() - {asyncio.current_task()}
        for task in connections:
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)


@pytest.fixture
def proxy_to(request):
    """A proxy for which allowed.test is 127.0.0.2 (allowlisted) and evil.test 127.0.0.2 too."""
    server, site = serve("127.0.0.2")
    running = RunningProxy(
        resolver_answering(
            {"allowed.test": ["127.0.0.2"] * 10, "evil.test": ["127.0.0.2"] * 10},
            allowlist=frozenset({"allowed.test"}),
        )
    )
    running.site_port = site.base.rsplit(":", 1)[1]
    yield running, site
    running.close()
    server.shutdown()
    server.server_close()


def caller(name: str) -> bytes:
    return b"Proxy-Authorization: Basic " + base64.b64encode(f"{name}:-".encode()) + b"\r\n"


def test_the_proxy_forwards_an_allowed_request_to_the_address_it_checked(proxy_to):
    proxy, site = proxy_to
    answer = proxy.exchange(
        f"GET http://allowed.test:{proxy.site_port}/posts/attention HTTP/1.1\r\n"
        f"Host: allowed.test:{proxy.site_port}\r\n".encode()
        + caller("c1")
        + b"\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 200") and b"Attention, explained" in answer
    assert site.requests["/posts/attention"] == 1
    assert "Proxy-Authorization" not in site.headers_seen[0], "proxy credentials stay at the proxy"


def test_the_proxy_refuses_a_private_address_and_tells_the_caller_why(proxy_to):
    proxy, site = proxy_to
    answer = proxy.exchange(
        f"GET http://evil.test:{proxy.site_port}/posts/attention HTTP/1.1\r\nHost: evil.test\r\n".encode()
        + caller("c2")
        + b"\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 403")
    assert sum(site.requests.values()) == 0
    refused = proxy.proxy.failures["c2"]
    assert isinstance(refused, Blocked) and "evil.test resolves to a private address" in str(refused)


def test_connect_tunnels_are_checked_as_well(proxy_to):
    proxy, site = proxy_to
    refused = proxy.exchange(f"CONNECT evil.test:{proxy.site_port} HTTP/1.1\r\n\r\n".encode())
    assert refused.startswith(b"HTTP/1.1 403") and sum(site.requests.values()) == 0
    tunnelled = proxy.exchange(
        f"CONNECT allowed.test:{proxy.site_port} HTTP/1.1\r\n\r\n".encode(),
        then=b"GET /cn/gbk HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n",
    )
    assert tunnelled.startswith(b"HTTP/1.1 200 Connection established")
    assert b"HTTP/1.1 200 OK" in tunnelled and site.requests["/cn/gbk"] == 1


def test_a_proxy_connection_carries_one_request_only(proxy_to):
    """A kept-alive client connection must not carry a second request past the check."""
    proxy, site = proxy_to
    one = f"GET http://allowed.test:{proxy.site_port}/empty HTTP/1.1\r\nHost: allowed.test\r\n\r\n"
    two = f"GET http://allowed.test:{proxy.site_port}/cn/gbk HTTP/1.1\r\nHost: evil.test\r\n\r\n"
    proxy.exchange((one + two).encode())
    assert site.requests["/empty"] == 1 and site.requests["/cn/gbk"] == 0


def crawl(tmp_path, markdown: str, *settings: str, fake_dns: dict | None = None) -> dict[str, dict]:
    (tmp_path / "roadmap.md").write_text(markdown)
    result = run_learngraph(
        "crawl",
        "roadmap.md",
        "--out",
        "out",
        "-s",
        "DOWNLOAD_TIMEOUT=10",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        *settings,
        cwd=tmp_path,
        fake_dns=fake_dns,
    )
    assert result.returncode == 0, result.stderr
    return read_records(tmp_path / "out")


def test_a_video_link_that_redirects_to_a_private_address_reaches_nothing(site, tmp_path):
    secret_server, secret = serve()
    try:
        video = site.base.replace("127.0.0.1", "localhost")
        records = crawl(
            tmp_path,
            f"# V\n- [Video]({video}/redirect?to={secret.base}/secret.mp4)\n",
            "-s",
            "VIDEO_HOSTS=localhost",
            "-s",
            "PRIVATE_HOST_ALLOWLIST=localhost",
        )
    finally:
        secret_server.shutdown()
        secret_server.server_close()
    assert sum(secret.requests.values()) == 0
    assert site.requests["/redirect"] >= 1, "the allowlisted host was asked"
    assert records["Video"]["status"] == "blocked"
    assert "127.0.0.1 resolves to a private address" in records["Video"]["error"]


def test_a_name_that_resolves_to_a_private_address_is_refused_also_after_a_redirect(tmp_path):
    server, evil = serve("127.0.0.2")
    port = evil.base.rsplit(":", 1)[1]
    try:
        records = crawl(
            tmp_path,
            f"# R\n- [Direct](http://evil.test:{port}/posts/attention)\n"
            f"- [Redirected](http://fine.test:{port}/redirect?to=http://evil.test:{port}/cn/gbk)\n",
            "-s",
            "PRIVATE_HOST_ALLOWLIST=fine.test",
            fake_dns={"evil.test": "127.0.0.2", "fine.test": "127.0.0.2"},
        )
    finally:
        server.shutdown()
        server.server_close()
    assert records["Direct"]["status"] == records["Redirected"]["status"] == "blocked"
    assert "evil.test resolves to a private address (127.0.0.2)" in records["Redirected"]["error"]
    assert evil.requests["/redirect"] == 1
    assert evil.requests["/posts/attention"] == evil.requests["/cn/gbk"] == 0


def test_yt_dlp_over_https_connects_only_through_a_checked_tunnel(proxy_to, tmp_path):
    """yt-dlp sends https through CONNECT; the refusal reaches the call that asked."""
    from yt_dlp import YoutubeDL
    from yt_dlp.networking.exceptions import ProxyError

    proxy, _ = proxy_to
    server, site = serve("127.0.0.2")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-days",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    port = site.base.rsplit(":", 1)[1]
    try:
        with YoutubeDL({"proxy": proxy.proxy.url("fine"), "nocheckcertificate": True, "quiet": True}) as ydl:
            assert (
                b"Attention, explained" in ydl.urlopen(f"https://allowed.test:{port}/posts/attention").read()
            )
        with YoutubeDL({"proxy": proxy.proxy.url("evil"), "nocheckcertificate": True, "quiet": True}) as ydl:
            with pytest.raises(ProxyError, match="403"):
                ydl.urlopen(f"https://evil.test:{port}/cn/gbk")
    finally:
        server.shutdown()
        server.server_close()
    assert site.requests["/posts/attention"] == 1 and site.requests["/cn/gbk"] == 0
    assert "evil.test resolves to a private address" in str(proxy.proxy.failures["evil"])
    assert "fine" not in proxy.proxy.failures


def test_links_to_private_ipv6_addresses_are_blocked(site, tmp_path):
    port = site.base.rsplit(":", 1)[1]
    addresses = ["::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1"]
    records = crawl(
        tmp_path, "# Six\n" + "".join(f"- [{a}](http://[{a}]:{port}/posts/attention)\n" for a in addresses)
    )
    assert {a: records[a]["status"] for a in addresses} == {a: "blocked" for a in addresses}
    assert "private address" in records["64:ff9b::7f00:1"]["error"]
    assert sum(site.requests.values()) == 0
