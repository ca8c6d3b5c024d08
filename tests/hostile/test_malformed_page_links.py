"""Pages whose canonical link, og:url or <base> is not a valid URL: the page keeps its other
metadata instead of failing as a whole."""

from learngraph.crawler.sources import pages

PAGE = (
    b'<html lang="en"><head><title>Attention, explained</title>'
    b'<link rel="canonical" href="http://[::1/broken">'
    b'<meta property="og:url" content="https://[oops/">'
    b"</head><body><p>Every word looks at every other word.</p></body></html>"
)


def test_a_malformed_canonical_link_is_left_out():
    fields = pages.parse_page("https://example.org/attention", {}, PAGE)
    assert fields["title"] == "Attention, explained"
    assert "canonical_url" not in fields


def test_a_malformed_base_link_is_ignored():
    body = PAGE.replace(b"</title>", b'</title><base href="http://[::1/base/">')
    assert pages.parse_page("https://example.org/attention", {}, body)["title"] == "Attention, explained"
