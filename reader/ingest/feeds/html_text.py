"""A feed's HTML snippets (content, summary) as plain, sanitized text.

Owns: ``html_to_text`` (tags dropped, entities decoded, block elements as
paragraph breaks, script and style text left out) and its fast path for snippets
of plain tags. Must not: extract article pages (``ingest.pages``, trafilatura).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from reader.sanitize import clean_text

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article "
    "header footer figure figcaption hr dd dt".split()
)
# Elements whose content is not prose. feedparser's HTML sanitizer is off (it cost
# ~20 % of a parse, and content becomes plain text here anyway), so this list is what
# keeps script and style text out of an article.
_SKIP_TAGS = frozenset(
    "script style template noscript head title iframe object embed svg math".split()
)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\n]+")


def _parsed_parts(html: str) -> list[str] | None:
    """The text pieces of ``html`` as ``HTMLParser`` reports them (None if it fails)."""
    parser = _TextOnly()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient, but never let a snippet stop a feed
        return None
    return parser.parts


# A start, end or self-closing tag without attributes or spaces, as HTMLParser
# reads it: the tags of most feed snippets (<p>, </p>, <br/>, <b>).
_PLAIN_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(/?)>")
_RAW_TEXT_TAGS = frozenset("script style textarea title xmp plaintext noembed noframes".split())


def _plain_tag_parts(html: str) -> list[str] | None:
    """``_parsed_parts`` for a snippet whose every ``<`` opens a plain tag of an
    element that is neither skipped nor raw text (tested against HTMLParser on random
    snippets); None for any other snippet. A tenth of HTMLParser's cost."""
    parts: list[str] = []
    pos = 0
    for match in _PLAIN_TAG.finditer(html):
        data = html[pos : match.start()]
        if "<" in data:
            return None
        if data:
            parts.append(unescape(data))
        closing, name, self_closing = match.groups()
        if closing and self_closing:
            return None
        tag = name.lower()
        if tag in _SKIP_TAGS or tag in _RAW_TEXT_TAGS:
            return None
        if tag in _BLOCK_TAGS:
            parts.append("\n\n")
        pos = match.end()
    tail = html[pos:]
    if "<" in tail:
        return None
    if tail:
        parts.append(unescape(tail))
    return parts


def html_to_text(html: str) -> str:
    """Plain text of an HTML snippet (a feed's content or summary): tags dropped,
    entities decoded, block elements as paragraph breaks, then sanitized."""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    parts = _plain_tag_parts(html)
    if parts is None:
        parts = _parsed_parts(html)
    if parts is None:
        return clean_text(re.sub(r"<[^>]*>", " ", html))
    paragraphs = ("".join(parts)).split("\n\n")
    # Empty paragraphs left out here rather than collapsed by ``clean_text``: the same
    # text, and text that is already clean passes the sanitizer in one search.
    text = "\n\n".join(p for p in (_SPACES.sub(" ", p).strip() for p in paragraphs) if p)
    return clean_text(text)
