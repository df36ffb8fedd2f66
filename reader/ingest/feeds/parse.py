"""Feed bytes in, checked ``FeedItem``s out: ``parse_feed``.

Owns: the checks before any parser sees a body (empty, declared XML entities,
an HTML page, entries past ``MAX_ITEMS`` cut out), the choice between ``plain_rss``
(``rss``) and feedparser, and turning entries into ``FeedItem``s: http(s) links
only (joined to the feed's URL), plausible dates, text through ``html_text``,
GUIDs, duplicates dropped. Must not: fetch (feedparser only ever sees bytes we
fetched under our caps, never a URL: it would fetch on its own, without them),
or import the HTTP transport (the parsing child imports this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.ingest.feeds.html_text import html_to_text
from reader.ingest.feeds.parsers import load_feedparser
from reader.ingest.feeds.rss import plain_rss
from reader.sanitize import MAX_URL, clean_line, clean_url

MAX_ITEMS = 500
"""Entries read from one feed (document order); the rest are ignored."""

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|channel)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry)[\s/>]")


def _declares_entities(body: bytes) -> bool:
    """Whether an XML body declares entities, also in UTF-16/32 (NUL bytes near the
    start), where a byte search for ``<!ENTITY`` cannot see the declaration.

    A declaration can only stand in the DOCTYPE, before the root element (where
    feedparser also looks for them): a ``<!ENTITY`` after the first start tag, say
    in a CDATA section of an article about XML, declares nothing."""
    found = _ENTITY_DECL.search(body)
    if found:
        return not _ELEMENT_START.search(body, 0, found.start())
    head = body[:4096]
    if b"\x00" not in head:
        return False
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
        found = _ENTITY_DECL.search(text)
        if found and not _ELEMENT_START.search(text, 0, found.start()):
            return True
    return False


class FeedError(Exception):
    """A feed body that cannot be used; ``str(exc)`` is one line."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, checked: http(s) link or none, plausible date or none."""

    guid: str
    url: str | None
    title: str
    published: date | None
    author: str | None
    text: str  # the feed's own content or summary, as plain sanitized text


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    items: tuple[FeedItem, ...]


def _http_url(value: object, base_url: str = "") -> str | None:
    """``value`` as a checked absolute http(s) URL, joined to ``base_url`` (the feed's
    URL) when relative; else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) <= MAX_URL and _PLAIN_HTTP_URL.fullmatch(value):
        return value  # what the steps below return for it (tested), at a tenth the cost
    return _joined_http_url(value, base_url)


def _joined_http_url(value: str, base_url: str) -> str | None:
    if base_url and value:
        value = _absolute(base_url, value)
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return clean_url(value) or None


_SCHEME_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)(/*)")
# An absolute http(s) URL that joining, splitting and cleaning leave as it is: a
# plain host and port, and a path of RFC 3986 path characters but ";" (no query,
# fragment, parameters, user info, spaces or anything a parser would rewrite).
_PLAIN_HTTP_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~!$&'()*+,=:@%/]*)?"
)


def _absolute(base_url: str, uri: str) -> str:
    """``uri`` resolved against ``base_url`` as feedparser resolves links and permalink
    GUIDs against a document's base (extra slashes after ``scheme://`` dropped first);
    ``uri`` unchanged when it cannot be joined."""
    try:
        return urljoin(base_url, _SCHEME_SLASHES.sub(r"\1", uri))
    except ValueError:
        return uri


def _entry_date(entry: Any) -> date | None:
    """A plausible publication date (1990 .. next year) from an entry's parsed times."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps missing keys to others, with a warning
        value = dict.get(entry, key) if isinstance(entry, dict) else None
        if not value:
            continue
        try:
            parsed = date(value.tm_year, value.tm_mon, value.tm_mday)
        except (AttributeError, TypeError, ValueError):
            continue
        # feedparser reads "-0001-01-01" as 2000-01-01: a four-digit year written in
        # the feed must be the year it parsed.
        raw = dict.get(entry, key.removesuffix("_parsed"))
        written = _YEAR.findall(raw) if isinstance(raw, str) else []
        if written and str(parsed.year) not in written:
            continue
        if 1990 <= parsed.year <= date.today().year + 1:
            return parsed
    return None


def _entry_text(entry: dict) -> str:  # type: ignore[type-arg]
    best = ""
    for content in dict.get(entry, "content") or []:
        value = dict.get(content, "value") if isinstance(content, dict) else None
        if isinstance(value, str):
            text = html_to_text(value)
            if len(text) > len(best):
                best = text
    summary = dict.get(entry, "summary")
    if isinstance(summary, str):
        text = html_to_text(summary)
        if len(text) > len(best):
            best = text
    return best


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    head = body[:4096].lstrip()
    if _FEED_ROOT.search(head):
        return False
    return "html" in content_type.lower() or bool(_HTML_ROOT.search(head))


def first_entries(body: bytes, max_items: int = MAX_ITEMS) -> bytes:
    """``body`` without the entries past the first ``max_items``.

    feedparser parses the whole document before we keep 500 entries (measured: a
    feed of 50,000 small entries took 25 s of CPU), so the entries past the cap are
    cut out here: from the start of entry ``max_items + 1`` to the end of the last
    entry, keeping the closing tags that follow it.
    """
    starts = _ENTRY_START.finditer(body)
    cut = None
    for n, match in enumerate(starts):
        if n == max_items:
            cut = match
            break
    if cut is None:
        return body
    closing = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?" + cut.group(1) + rb"\s*>")
    last = None
    for last in closing.finditer(body, cut.start()):  # noqa: B007 (the last one is wanted)
        pass
    if last is None:
        return body
    return body[: cut.start()] + body[last.end() :]


def _feedparser_parse(body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    feedparser = load_feedparser()
    # No content-location: given a base, feedparser re-joins it with itself at every
    # start tag (~20 % of a parse); the entries' links and permalink GUIDs are joined
    # to ``base_url`` below instead (an xml:base in the feed still applies first).
    headers = {"content-type": content_type} if content_type else {}
    try:
        # Content becomes plain text (``html_to_text``), so neither feedparser's
        # sanitizer nor its relative-link resolution in content is needed: skipping
        # them saves ~50 % of the parse.
        return feedparser.parse(
            body,
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser should not raise, but a feed must never crash us
        raise FeedError(f"malformed feed: {type(exc).__name__}") from None


def parse_feed(
    body: bytes, content_type: str = "", base_url: str = "", max_items: int = MAX_ITEMS
) -> ParsedFeed:
    """The feed in ``body`` (bytes as fetched); ``FeedError`` when there is none."""
    if not body.strip():
        raise FeedError("empty response (no feed)")
    if _declares_entities(body):
        # feedparser's loose parser re-expands entities the strict one refused
        # (a 62 kB feed became 400 MB): no feed needs to declare its own.
        raise FeedError("malformed feed: declares XML entities (refused)")
    if looks_like_html(body, content_type):
        raise FeedError("not a feed (HTML page)")
    body = first_entries(body, max_items)
    plain = plain_rss(body, content_type)
    if plain is not None:
        parsed: dict = {"feed": {"title": plain[0]}, "entries": plain[1], "version": "rss20"}  # type: ignore[type-arg]
    else:
        parsed = _feedparser_parse(body, content_type)
    entries = parsed.get("entries") or []

    def malformed() -> FeedError:
        reason = parsed.get("bozo_exception")
        detail = clean_line(str(reason), 160) if reason else "unreadable"
        return FeedError(f"malformed feed: {detail}")

    if parsed.get("bozo") and not entries:
        raise malformed()
    if not entries and not parsed.get("version") and not parsed.get("feed"):
        raise FeedError("not a feed")
    title = clean_line((parsed.get("feed") or {}).get("title") or "", 200)
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries[:max_items]:
        # dict.get: FeedParserDict.get maps keys in Python (these need no mapping)
        get = partial(dict.get, entry)
        url = _http_url(get("link"), base_url)
        text = _entry_text(entry)
        item_title = clean_line(get("title") or "", 300)
        raw_id = get("id") or ""
        if raw_id and base_url and get("guidislink") and isinstance(raw_id, str):
            raw_id = _absolute(base_url, raw_id)
        guid = clean_line(raw_id, MAX_URL) or url
        if not guid:
            if not (item_title or text):
                continue
            import hashlib

            guid = "sha256:" + hashlib.sha256(f"{item_title}\n{text}".encode()).hexdigest()[:32]
        if guid in seen or not (url or text):
            continue
        seen.add(guid)
        items.append(
            FeedItem(
                guid=guid,
                url=url,
                title=item_title,
                published=_entry_date(entry),
                author=clean_line(get("author") or "", 200) or None,
                text=text,
            )
        )
    if parsed.get("bozo") and not items:  # the loose parser's leftovers: nothing usable
        raise malformed()
    return ParsedFeed(title=title, items=tuple(items))
