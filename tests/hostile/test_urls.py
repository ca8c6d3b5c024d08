"""A link's URL is fetched as written: canonical spelling never changes what the server
receives for a path segment or a query parameter, and an overlong URL ends with a status.
The exports keep the address, where RDF needs it spelled as an IRI too."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from learngraph.crawler.roadmap import parse_roadmap
from learngraph.crawler.sources.base import canonical_url, is_tracking_param
from learngraph.graph.build import build_graph
from learngraph.graph.formats import FORMATS
from learngraph_process import read_records, run_learngraph


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://example.com/search?q=R%26D", "https://example.com/search?q=R%26D"),
        ("https://example.com/p?tag=%23nlp&x=1", "https://example.com/p?tag=%23nlp&x=1"),
        ("https://example.com/p?lang=C%2B%2B", "https://example.com/p?lang=C%2B%2B"),
        ("https://example.com/p?eq=a%3Db", "https://example.com/p?eq=a%3Db"),
        ("https://example.com/p?path=a%2Fb", "https://example.com/p?path=a%2Fb"),
        ("https://example.com/p?q=deep+learning", "https://example.com/p?q=deep+learning"),
        ("https://example.com/p?empty=&b=1", "https://example.com/p?b=1&empty="),
        ("https://example.com/p?q=%26%3D&utm_source=x", "https://example.com/p?q=%26%3D"),
        ("https://example.com/a%2Fb/c%3Fd", "https://example.com/a%2Fb/c%3Fd"),
    ],
)
def test_escaped_characters_in_a_url_survive_canonical_spelling(url, canonical):
    assert canonical_url(url) == canonical


def decoded(url: str) -> tuple[list[bytes], Counter]:
    """What a server makes of a URL: its path segments and its query pairs, decoded."""
    parts = urlsplit(url)
    segments = [unquote_to_bytes(segment) for segment in (parts.path or "/").split("/")]
    pairs = Counter(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True, encoding="latin-1")
        if not is_tracking_param(name)
    )
    return segments, pairs


# Text with every kind of character a URL component can hold: reserved, non-ASCII, spaces.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
# A component written either as text, percent-escaped where a raw character would change the
# URL's structure (or at random, as links often are), or with literal reserved characters.
RESERVED_IN_SEGMENT = "!$&'()*+,;=:@"
RESERVED_IN_VALUE = "!$'()*,;:@/?+"


def written(text: str, safe: str, draw) -> str:
    return quote(text, safe=draw(st.sampled_from(["", safe])))


@st.composite
def urls(draw) -> str:
    host = draw(st.sampled_from(["example.com", "Example.ORG", "bücher.de", "[2001:db8::1]", "a.b:8080"]))
    segments = draw(st.lists(TEXT.filter(lambda s: s not in (".", "..")), max_size=4))
    path = "".join("/" + written(s, RESERVED_IN_SEGMENT, draw) for s in segments)
    names = st.one_of(
        TEXT.filter(lambda s: s and not s.startswith("=")), st.sampled_from(["q", "utm_source", "fbclid"])
    )
    pairs = draw(st.lists(st.tuples(names, TEXT), max_size=5))
    query = "&".join(
        f"{written(k, RESERVED_IN_VALUE, draw)}={written(v, RESERVED_IN_VALUE + '=', draw)}" for k, v in pairs
    )
    fragment = draw(st.sampled_from(["", "#top", "#a?b=c"]))
    return f"https://{host}{path}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonical_url_decodes_to_the_same_segments_and_parameters(url):
    canonical = canonical_url(url)
    assert decoded(canonical) == decoded(url.partition("#")[0])
    assert canonical_url(canonical) == canonical


def test_a_url_longer_than_scrapy_allows_ends_with_a_status_not_pending(site, tmp_path):
    long_url = f"{site.base}/posts/attention?q={'x' * 3000}"
    roadmap = tmp_path / "roadmap.md"
    roadmap.write_text(
        f"# R\n- [Long]({long_url})\n- [Short]({site.base}/posts/attention)\n", encoding="utf-8"
    )
    result = run_learngraph(
        "crawl",
        roadmap,
        "--out",
        tmp_path / "out",
        "-s",
        "ALLOW_PRIVATE_HOSTS=1",
        "-s",
        "DOWNLOAD_TIMEOUT=2",
        "-s",
        "RETRY_TIMES=0",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    records = read_records(tmp_path / "out")
    assert records["Short"]["status"] == "ok"
    assert records["Long"]["status"] not in ("pending", "ok")
    assert "length" in records["Long"]["error"].lower()


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/a|b",
        "<https://example.org/a b>",
        "https://example.org/p?q=x|y^z",
        "https://例子.测试/路径?q=中文",
    ],
)
def test_a_url_an_iri_cannot_hold_exports_to_turtle_as_the_same_address(tmp_path, link):
    G = build_graph(parse_roadmap(f"# R\n## A\n- [a]({link})\n"))
    [url] = [d["url"] for _, d in G.nodes(data=True) if d["type"] == "resource"]
    FORMATS["turtle"].write(G, tmp_path / "graph.ttl")
    triples = FORMATS["turtle"].read(tmp_path / "graph.ttl")
    [(resource, written)] = triples.subject_objects(URIRef("https://schema.org/url"))
    assert resource == written
    assert unquote_to_bytes(str(written)) == unquote_to_bytes(url)
