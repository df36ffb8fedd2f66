"""Feed snippets whose tags are all plain (``<p>``, ``</p>``, ``<br/>``, no attributes)
are read without HTMLParser: the same text as HTMLParser gives, on random snippets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.feeds.html_text import _parsed_parts, _plain_tag_parts, html_to_text

TOKENS = [
    "<p>", "</p>", "<P>", "<br>", "<br/>", "<BR/>", "<b>", "</b>", "<h1>", "</h1>",
    "<li>", "<div>", "</div>", "<p/>", "</p/>", "<span>", "<x1>", "<script>", "</script>",
    "<style>", "<title>", "</title>", "<textarea>", "<svg>", "</svg>", "<!-- c -->",
    "<![CDATA[x]]>", "<?php ?>", "<!doctype html>", '<a href="x">', "<a>", "</a>", "< p>",
    "<", ">", "/", "&amp;", "&lt;p&gt;", "&#27;", "&#x1b;", "&nbsp;", "&", "&#", "&copy",
    "&unknown;", "text", "Kyiv", " ", "\n", "\t", "\x1b[31m", "\u202e", "é",
]  # fmt: skip


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_plain_tags_read_as_htmlparser_reads_them(html: str) -> None:
    parts = _plain_tag_parts(html)
    if parts is not None:
        assert "".join(parts) == "".join(_parsed_parts(html) or [])


def test_common_snippets_take_the_plain_path() -> None:
    for html in (
        "<p>One &amp; two.</p><p>Three</p>",
        "A<br/>B<br>C",
        "<p><b>Bold</b> and <em>it</em></p>",
    ):
        assert _plain_tag_parts(html) is not None, html
    for html in ('<a href="x">link</a>', "<script>x</script>", "a < b", "<!-- c -->"):
        assert _plain_tag_parts(html) is None, html
    assert html_to_text("<p>One &amp; two.</p><p>Three</p>") == "One & two.\n\nThree"
    assert html_to_text("x<title>t</title>y") == "xy"


PLAIN = [t for t in TOKENS if t != "<" and _plain_tag_parts(t) is not None]


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(st.sampled_from(PLAIN), max_size=25).map("".join))
def test_plain_snippets_read_as_htmlparser_reads_them(html: str) -> None:
    parts = _plain_tag_parts(html)
    assert parts is not None
    assert "".join(parts) == "".join(_parsed_parts(html) or [])
