"""Property-based tests (hypothesis) on the text pipeline past the sanitizer: any bytes
into ``parse_feed`` give ``FeedError`` or clean items; any HTML into ``extract_page``
gives None or clean text; ``clean_line`` never keeps a line break.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.ingest.feeds.html_text import html_to_text
from reader.ingest.feeds.parse import FeedError, parse_feed
from reader.ingest.pages import extract_page
from reader.sanitize import clean_line
from tests.feedserver import rss
from tests.hostile.corpus import ALL_ESCAPES, BIDI_AND_INVISIBLE, CHAR_REFS, MARKUP, item, rss_raw
from tests.test_hostile import dirty

FRAGMENTS = [
    ALL_ESCAPES,
    CHAR_REFS,
    BIDI_AND_INVISIBLE,
    MARKUP,
    "&amp;",
    "&lt;b&gt;",
    "<![CDATA[",
    "]]>",
    "<item>",
    "</item>",
    "<entry>",
    "<title>",
    "</title>",
    "<!ENTITY a 'x'>",
    "<!DOCTYPE rss [",
    "]>",
    "&a;",
    "\x00",
    "\xff",
    "\u2028",
    "javascript:",
    "<link>",
    "http://127.0.0.1/x",
    "<pubDate>Wed, 30 Feb 2022 10:00:00 GMT</pubDate>",
    "\x9b2J",
]

SEED_FEED = rss(
    "Seed outlet",
    [
        {
            "title": f"Title {i} \x1b]2;x\x07",
            "link": f"http://127.0.0.1/{i}",
            "guid": f"g{i}",
            "pubDate": "Mon, 14 Feb 2022 10:00:00 GMT",
            "description": f"<p>Text {i} &#27;[2J</p>",
        }
        for i in range(3)
    ],
).encode()


def check_feed(body: bytes) -> None:
    try:
        parsed = parse_feed(body)
    except FeedError as exc:
        assert not dirty(str(exc), one_line=True)
        return
    assert not dirty(parsed.title, one_line=True)
    for it in parsed.items:
        for value in (it.guid, it.url, it.title, it.author):
            assert not dirty(value, one_line=True), value
        assert not dirty(it.text), it.text
        assert it.url is None or it.url.startswith(("http://", "https://"))
        assert it.published is None or 1990 <= it.published.year


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=2000))
def test_parse_feed_on_any_bytes(body: bytes) -> None:
    check_feed(body)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), st.integers(0, 2))
def test_parse_feed_on_hostile_fragments(text: str, where: int) -> None:
    title, desc, guid = (text if n == where else f"plain {n}" for n in range(3))
    check_feed(rss_raw(title, [item(title, guid, description=desc, link="http://127.0.0.1/a")]))


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEED_FEED) - 1), st.binary(min_size=0, max_size=8)),
        min_size=1,
        max_size=6,
    )
)
def test_parse_feed_on_mutated_real_feeds(edits: list[tuple[int, bytes]]) -> None:
    body = bytearray(SEED_FEED)
    for at, data in edits:
        body[at : at + len(data)] = data  # overwrite, insert at the end, or cut
    check_feed(bytes(body))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from([*FRAGMENTS, "<p>", "</p>", "<div>", "</div>", "<script>", "<title>"]),
            st.text(max_size=40),
        ),
        max_size=30,
    ).map("".join)
)
def test_extract_page_gives_none_or_clean_text(fragment: str) -> None:
    html = (
        "<html><head><title>t</title></head><body><article>"
        + "<p>A real sentence of the article, long enough to be kept by the extractor.</p>" * 3
        + fragment
        + "</article></body></html>"
    )
    for body in (html, html.encode("utf-8", "surrogatepass")):
        page = extract_page(body)
        if page is None:
            continue
        assert not dirty(page.text), page.text
        for value in (page.title, page.author, page.site_name, page.url):
            assert not dirty(value, one_line=True), value


@SETTINGS
@given(st.text(max_size=300))
def test_html_to_text_is_clean(text: str) -> None:
    assert not dirty(html_to_text(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=300), st.integers(1, 400))
def test_clean_line_has_no_line_break_and_respects_the_cap(text: str, limit: int) -> None:
    line = clean_line(text, limit)
    assert not dirty(line, one_line=True)
    assert "\n" not in line and "\r" not in line and "\u2028" not in line
    assert len(line) <= max(limit, 1)
