"""Pages whose JSON-LD has values of the wrong type: the page still gets a record from
its other metadata, never an exception."""

from learngraph.crawler.sources import pages

URL = "https://example.org/post"


def page(json_ld: str) -> bytes:
    return (
        '<html lang="en"><head><title>Plain title</title>'
        '<meta property="og:title" content="The real title">'
        f'<script type="application/ld+json">{json_ld}</script>'
        "</head><body><p>Body text.</p></body></html>"
    ).encode()


def test_values_of_the_wrong_type_are_ignored():
    odd = (
        '{"@type": 7, "@graph": "not a list"}'
        '</script><script type="application/ld+json">'
        '{"@type": ["Article", null], "headline": {"@value": 5}, "author": [42, {"name": {"x": 1}}],'
        ' "datePublished": 20240101, "publisher": [], "mainEntity": "none"}'
    )
    fields = pages.parse_page(URL, {}, page(odd))
    assert fields["title"] == "The real title"
    assert "authors" not in fields
