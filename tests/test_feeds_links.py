"""Relative links and permalink GUIDs: ``parse_feed`` joins them to the feed's URL
itself (feedparser gets no base: it would re-join the base at every tag), with the
same results feedparser gave when it was handed the base."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.feeds.parse import _http_url, _joined_http_url, parse_feed

BASE = "https://news.example.com/world/rss.xml"


def _items(body: bytes, base: str = BASE):  # type: ignore[no-untyped-def]
    return parse_feed(body, "application/rss+xml", base).items


def test_relative_rss_links_and_permalink_guids_are_joined_to_the_feed_url() -> None:
    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>b2.html</link>"
        b'<guid isPermaLink="false">b-2</guid><description>y</description></item>'
        b"<item><title>C</title><guid>c3</guid><description>z</description></item>"
        b"<item><title>D</title><link>http:///d4</link><description>z</description></item>"
        b"<item><title>E</title><link>//cdn.example/e</link><description>z</description></item>"
        b"</channel></rss>"
    )
    b, c, d, e = _items(body)
    assert (b.url, b.guid) == ("https://news.example.com/world/b2.html", "b-2")  # not a permalink
    # a permalink GUID without a link is the link, joined like one
    assert (c.url, c.guid) == ("https://news.example.com/world/c3",) * 2
    assert d.url == "http://d4"  # feedparser's extra-slash fix
    assert e.url == "https://cdn.example/e"


def test_xml_base_in_the_feed_applies_before_the_feed_url() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/x/">'
        b"<title>F</title>"
        b'<entry><id>tag:a,2020:1</id><title>a</title><link href="p1"/><summary>s</summary></entry>'
        b'<entry xml:base="/y/"><id>urn:uuid:1</id><title>b</title><link href="p2"/>'
        b"<summary>s</summary></entry>"
        b"</feed>"
    )
    a, b = _items(body)
    assert (a.url, a.guid) == ("https://base.example/x/p1", "tag:a,2020:1")
    assert (b.url, b.guid) == ("https://base.example/y/p2", "urn:uuid:1")
    relative = body.replace(b"https://base.example/x/", b"sub/")
    assert _items(relative)[0].url == "https://news.example.com/world/sub/p1"


def test_unsafe_schemes_stay_out_and_no_base_keeps_relative_links_out() -> None:
    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>javascript:alert(1)</link><description>x</description></item>"
        b"<item><title>B</title><link>/b.html</link><description>y</description></item>"
        b"</channel></rss>"
    )
    a, b = _items(body)
    assert a.url is None and b.url == "https://news.example.com/b.html"
    a, b = _items(body, base="")
    assert a.url is None and b.url is None


def test_the_libxml2_preference_goes_only_when_the_driver_is_missing() -> None:
    import importlib.util

    import feedparser.api

    parse_feed(b'<rss version="2.0"><channel><title>T</title></channel></rss>')
    for name in feedparser.api.PREFERRED_XML_PARSERS:
        assert importlib.util.find_spec(name) is not None


_PLAIN_CHARS = "aZ09.-_~!$&'()*+,=:@%/"
_URL_CHARS = _PLAIN_CHARS + ";?#[] \t\\\u00e9"


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(
    st.sampled_from(["http://", "https://", "HTTP://", "http:///", "ftp://", ""]),
    st.one_of(
        st.text(alphabet=_PLAIN_CHARS, max_size=30), st.text(alphabet=_URL_CHARS, max_size=30)
    ),
    st.sampled_from([BASE, "http://127.0.0.1:8000/f/rss.xml", ""]),
)
def test_the_plain_url_shortcut_gives_what_joining_gives(scheme: str, rest: str, base: str) -> None:
    value = scheme + rest
    assert _http_url(value, base) == _joined_http_url(value.strip(), base)
