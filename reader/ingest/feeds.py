"""RSS/Atom feeds: parse what ``ingest.http`` fetched and turn new items into articles.

Owns: ``parse_feed`` (bytes in, checked ``FeedItem``s out), ``refresh_feeds`` (every
subscribed feed, concurrently, with conditional GETs, page download and extraction
for new items only, dedupe, and the per-feed outcome stored with
``Store.update_feed_state``) and the report it returns. ``refresh_feeds`` is safe to
call from a worker thread: it reports through a ``progress`` callback (serialised,
one call at a time) and stops early when ``cancelled()`` says so.

Decisions (issue 16), and why:

- Articles are keyed per feed: an item is "already stored" only if *this* feed stored
  it (GUID, URL or text), so a feed that copies another's GUIDs and URLs cannot make
  the honest feed keep nothing; the same story in two feeds is two articles, which
  story grouping puts together.
- A fair refresh: one ``http.Client`` (pooled connections) per refresh; a deadline per
  feed (``FEED_DEADLINE``, pages included) and per refresh (``REFRESH_DEADLINE``); a
  feed's pages go ``PAGES_PER_FEED`` at a time on the shared page pool, so a feed whose
  pages drip holds two threads, not all eight (it delayed honest feeds by 90 s).
- Retry-After on a 429/503 is stored on the feed (bounded in ``ingest.http``), and the
  feed is skipped until then ("rate-limited until HH:MM").
- Cancellation (``cancel`` event or ``cancelled()``) shuts the client's sockets down,
  so a refresh stops within a fraction of a second and ``q`` quits at once; feeds not
  finished store nothing and keep their validators.
- Item pages are fetched under the page address policy (``page_of``): no private or
  local addresses but the feed's own host.

Must not: open sockets itself (``ingest.http`` does), write SQL (``store`` does),
run the NLP analysis or regroup stories (the caller decides; see ``reader.library``), or
know about Textual. feedparser only ever sees bytes we fetched under our caps,
never a URL: it would fetch on its own, without them.
"""

from __future__ import annotations

import marshal
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader import children
from reader.ingest.http import FEED_LIMITS, PAGE_LIMITS, FetchError, Limits, check_url
from reader.sanitize import MAX_URL, clean_line, clean_text, clean_url, derive_title

if TYPE_CHECKING:  # kept out of the parsing child's imports (see ``_ParseChild``)
    import subprocess
    from concurrent.futures import Future, ThreadPoolExecutor

    from reader.ingest.http import Client
    from reader.models import Article, Feed, NewArticle
    from reader.store import Store


@dataclass(frozen=True, slots=True)
class SubscribeReport:
    """What ``subscribe_all`` did with a list of feed URLs (an OPML import)."""

    added: int
    existing: int
    rejected: tuple[str, ...]  # one-line reasons

    def line(self, source: str) -> str:
        return (
            f"imported {self.added} feeds from {source} "
            f"({self.existing} already subscribed, {len(self.rejected)} skipped)"
        )

    @property
    def nothing_usable(self) -> bool:
        return bool(self.rejected) and not (self.added or self.existing)


def subscribe_all(store: Store, entries: Sequence[tuple[str, str]]) -> SubscribeReport:
    """Subscribe to ``(url, name)`` pairs; URLs that are not http(s) are skipped with a reason."""
    rejected: list[str] = []
    usable: list[tuple[str, str]] = []
    for url, name in entries:
        try:
            usable.append((check_url(url), name))
        except FetchError as exc:
            rejected.append(str(exc))
    created = store.add_feeds(usable)  # one transaction: linear in the number of feeds
    added = sum(created)
    return SubscribeReport(added, len(created) - added, tuple(rejected))


MAX_ITEMS = 500
"""Entries read from one feed (document order); the rest are ignored."""
WORKERS = 8
"""Feeds fetched at once, and pages fetched at once (two pools)."""
PAGES_PER_FEED = 2
"""A feed's pages downloading at once, at most: a feed whose pages drip holds two of
the page threads, never all of them (issue 16)."""
FEED_DEADLINE = 120.0
"""Seconds one feed may take, its pages included; pages not started by then keep the
feed's own text."""
REFRESH_DEADLINE = 600.0
"""Seconds a whole refresh may take; feeds not started by then are left for the next."""
CANCEL_GRACE = 0.5
"""Seconds a cancelled refresh waits for feeds still parsing or storing."""
_TICK = 0.05

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|channel)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
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


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What one feed's refresh did."""

    feed_id: int
    name: str
    url: str
    status: str  # "ok", "unchanged", "error", "rate-limited", "cancelled"
    new: int = 0
    skipped: int = 0  # items this feed already stored (or duplicates of its stored text)
    pages_failed: int = 0  # new items stored from the feed's own text
    error: str | None = None  # "error": why; "rate-limited": until when
    article_ids: tuple[str, ...] = ()  # the new articles
    page_error: str | None = None  # why the first page that failed was not used

    @property
    def line(self) -> str:
        """One line for a log or the CLI."""
        if self.status in ("error", "rate-limited"):
            return f"{self.name}: {self.error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged"
        if self.status == "cancelled":
            return f"{self.name}: cancelled" + (f" ({self.error})" if self.error else "")
        extra = ""
        if self.pages_failed:
            extra = f", {self.pages_failed} from the feed's text"
            if self.page_error:
                extra += f" (page: {self.page_error})"
        return f"{self.name}: {self.new} new, {self.skipped} already stored{extra}"


@dataclass(frozen=True, slots=True)
class FeedProgress:
    """A progress report: a feed started, advanced through its new items, or ended."""

    feed_id: int
    name: str
    stage: str  # "fetching", "pages", "done"
    done: int = 0  # pages handled (stage "pages")
    total: int = 0  # new items needing a page
    feeds_done: int = 0
    feeds_total: int = 0
    result: FeedResult | None = None  # set when stage == "done"


@dataclass(frozen=True, slots=True)
class RefreshReport:
    results: tuple[FeedResult, ...] = field(default_factory=tuple)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def errors(self) -> tuple[FeedResult, ...]:
        return tuple(r for r in self.results if r.status == "error")

    @property
    def all_failed(self) -> bool:
        return bool(self.results) and all(r.status == "error" for r in self.results)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(aid for r in self.results for aid in r.article_ids)


# -- HTML to text (feed snippets) ---------------------------------------------

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


# -- parsing -------------------------------------------------------------------


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


def _load_feedparser():  # type: ignore[no-untyped-def]
    """feedparser, with its preference for the libxml2 SAX driver dropped when that
    driver is not installed: ``xml.sax.make_parser`` retries the failing import on
    every parse (a search of ``sys.path``, ~1 ms a feed, serialised on the import
    lock). The parser used is the same either way: expat. The first import is made
    under a lock: refresh threads importing feedparser's modules at once could see one
    partly initialised (its modules import each other)."""
    global _FEEDPARSER_READY
    if not _FEEDPARSER_READY:
        with _FEEDPARSER_LOCK:
            import feedparser
            import feedparser.api
            import feedparser.datetimes
            import feedparser.mixin

            if not _FEEDPARSER_READY:
                from importlib.util import find_spec

                preferred = list(feedparser.api.PREFERRED_XML_PARSERS)
                kept = [name for name in preferred if find_spec(name) is not None]
                if kept != preferred:
                    feedparser.api.PREFERRED_XML_PARSERS = kept
                _FEEDPARSER_READY = True
    import feedparser

    return feedparser


_FEEDPARSER_READY = False
_FEEDPARSER_LOCK = threading.RLock()


def _entry_date(entry: object) -> date | None:
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


def decode_page(body: bytes, content_type: str = "") -> bytes | str:
    """A page's text when its charset is declared (HTTP header first, then a <meta>
    in the first 4 kB) and is not UTF-8; else the bytes, for trafilatura to guess.

    trafilatura ignores declarations (UTF-8, else a statistical guess), so a
    declared windows-1251 or ISO-8859-1 page is decoded here.
    """
    import codecs

    found = _HEADER_CHARSET.search(content_type or "")
    name = found.group(1) if found else None
    if name is None:
        meta = _META_CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii", "replace") if meta else None
    if not name:
        return body
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return body
    if codec in ("utf-8", "utf-8-sig"):
        return body
    if codec == "latin-1":  # what browsers do: ISO-8859-1 means windows-1252
        codec = "cp1252"
    return body.decode(codec, errors="replace")


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
    feedparser = _load_feedparser()
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


# -- plain RSS 2.0 without feedparser -------------------------------------------------
# feedparser is pure Python: on a realistic mix of 135 feeds (7 MB) it was ~2 s of a
# cold refresh's ~3.7 s of CPU (issue 16's benchmark against newsboat). Most feeds are
# plain RSS 2.0 in UTF-8; for those, ``plain_rss`` reads the few fields Parallax uses
# with lxml (C) and gives them exactly as feedparser's strict parser would (its
# whitespace stripping, its UTF-8 mojibake repair and cp1252 mapping, its permalink
# GUID rules, its date parser). Anything else (Atom, RDF, other encodings, xml:base,
# markup inside a field, an element it would map into these fields, an author with an
# e-mail address, a malformed document) returns None: feedparser reads it, as before.
# ``tests/test_feeds_web.py`` checks the two agree on every feed of the test corpora.

_RSS_ITEM_FIELDS = frozenset(
    "title link guid description pubDate author category comments enclosure source".split()
)
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_ALLOWED_NS_FIELDS = frozenset(
    {
        f"{{{_CONTENT_NS}}}encoded",
        f"{{{_DC_NS}}}creator",
        f"{{{_DC_NS}}}date",
        "{http://purl.org/rss/1.0/modules/slash/}comments",
        "{http://wellformedweb.org/CommentAPI/}commentRss",
    }
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
_URI_FIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_LINK_ENTITY = re.compile(r"&([A-Za-z0-9_]+);")
_XML_PARSER = None
_FAST_DEPS: tuple | None = None  # type: ignore[type-arg]
_FAST_DEPS_LOCK = threading.Lock()  # taken after _FEEDPARSER_LOCK, never before


def _fast_deps():  # type: ignore[no-untyped-def]
    """(lxml.etree, feedparser's date parser, its cp1252 table), imported once under a
    lock: refresh threads importing feedparser's modules at the same moment saw a
    partly initialised module (ImportError)."""
    global _FAST_DEPS
    if _FAST_DEPS is not None:
        return _FAST_DEPS
    _load_feedparser()
    with _FAST_DEPS_LOCK:
        if _FAST_DEPS is None:
            from feedparser.datetimes import _parse_date
            from feedparser.mixin import _cp1252
            from lxml import etree

            _FAST_DEPS = (etree, _parse_date, _cp1252)
        return _FAST_DEPS


def _xml_parser():  # type: ignore[no-untyped-def]
    global _XML_PARSER
    if _XML_PARSER is None:
        etree = _fast_deps()[0]
        _XML_PARSER = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            recover=False,
            remove_comments=True,
            remove_pis=True,
            strip_cdata=True,
        )
    return _XML_PARSER


def _as_feedparser(text: str | None, table: dict[int, str]) -> str:
    """A field's text as feedparser's ``pop`` leaves it (strict parser, UTF-8)."""
    output = (text or "").strip()
    try:  # its repair of UTF-8 that was read as ISO-8859-1 and encoded again
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(table)


def _feedparser_uri(value: str) -> str:
    """feedparser's ``resolve_uri`` with no base: extra slashes after the scheme go."""
    try:
        return urljoin("", _URI_FIXER.sub(r"\1\3", value))
    except ValueError:
        return value


def plain_rss(body: bytes, content_type: str = "") -> tuple[str, list[dict]] | None:  # type: ignore[type-arg]
    """(feed title, entries as feedparser's dicts with the keys ``parse_feed`` reads)
    for a plain RSS 2.0 document in UTF-8; None for anything else (see above)."""
    ctype = (content_type or "").lower()
    if ctype.startswith("text/") or (
        "charset" in ctype and "charset=utf-8" not in ctype.replace(" ", "").replace('"', "")
    ):
        return None  # feedparser's RFC 3023 charset rules: leave them to it
    head = body[:512].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    declared = _XML_DECL_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    if b"xml:base" in body or b"<!DOCTYPE" in body[:2048] or b"\x00" in head:
        return None
    etree, _parse_date, _cp1252 = _fast_deps()
    try:
        root = etree.fromstring(body, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != "rss" or root.get("version") not in ("2.0", "0.91", "0.92"):
        return None
    channels = [c for c in root if c.tag == "channel"]
    if len(channels) != 1 or len(root) != 1:
        return None
    channel = channels[0]
    title = ""
    title_seen = False
    entries: list[dict] = []  # type: ignore[type-arg]
    for item in channel:
        tag = item.tag
        if not isinstance(tag, str):
            continue
        if tag == "title":
            if title_seen or len(item):
                return None
            title, title_seen = _as_feedparser(item.text, _cp1252), True
            continue
        if tag != "item":
            # Another element that feedparser could read as the feed's title (a
            # namespaced title, or a nested one before the channel's own): not plain.
            nested = (d.tag for d in item.iter() if d is not item and isinstance(d.tag, str))
            if tag.endswith("}title") or any(
                t == "item" or (not title_seen and (t == "title" or t.endswith("}title")))
                for t in nested
            ):
                return None
            continue
        entry: dict = {}  # type: ignore[type-arg]
        seen: set[str] = set()
        for child in item:
            tag = child.tag
            if not isinstance(tag, str):
                return None
            if tag not in _RSS_ITEM_FIELDS and tag not in _ALLOWED_NS_FIELDS:
                return None
            if tag in seen and tag != "category":
                return None
            seen.add(tag)
            if tag in ("category", "comments", "enclosure", "source") or tag.endswith(
                ("}comments", "}commentRss")
            ):
                if tag == "source" or len(child):
                    return None  # feedparser reads a source's own title, and so on
                continue
            if len(child):  # markup inside a child: feedparser keeps it as text
                return None
            value = _as_feedparser(child.text, _cp1252)
            if tag == "title":
                entry["title"] = value
            elif tag == "link":
                value = _feedparser_uri(value) if value else value
                value = _LINK_ENTITY.sub(r"&\g<1>", value.replace("&amp;", "&"))
                entry["link"] = value
            elif tag == "guid":
                permalink = (
                    next((v for k, v in child.attrib.items() if k.lower() == "ispermalink"), "true")
                    == "true"
                )
                if permalink and value:
                    value = _feedparser_uri(value)
                entry["id"] = value
                entry["guidislink"] = permalink and "link" not in entry
                if permalink and "link" not in entry:
                    entry["link"] = value
            elif tag == "description":
                entry["summary"] = value
            elif tag == f"{{{_CONTENT_NS}}}encoded":
                entry["content"] = [{"value": value}]
            elif tag in ("author", f"{{{_DC_NS}}}creator"):
                if "@" in value or "author" in entry:
                    return None
                entry["author"] = value
            elif tag == "pubDate":
                entry["published"] = value
                entry["published_parsed"] = _parse_date(value) if value else None
            elif tag == f"{{{_DC_NS}}}date":
                entry["updated"] = value
                entry["updated_parsed"] = _parse_date(value) if value else None
        entries.append(entry)
    return title, entries


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


# -- parsing in a child process -------------------------------------------------

PARSE_CHILD_MIN_FEEDS = 8
"""A refresh of at least this many feeds parses in a child process beside the
downloads (feedparser is pure Python and holds the GIL; the child starts in ~0.2 s
of CPU, on the other core, so fewer feeds are parsed here)."""


CHILD_PARSE_TIMEOUT = 60.0
"""Seconds a feed waits for the child's answer before it is parsed here instead."""


class _ParseChild:
    """A plain ``python -c`` subprocess running ``_parse_child`` (``reader.children``,
    as the analysis child), gone when its stdin closes.

    Feeds queue up for it (up to ``max_queued``: a reader thread hands the answers
    back in order), so it parses without pause while the threads download. ``parse``
    returns None, and the caller parses in its own process, while the child starts
    (until its "ready" frame), when the queue is full, when the child could not
    start, or once it stopped: a refresh never waits for it to start or depends on it.
    """

    def __init__(self, max_queued: int = 3) -> None:
        self.max_queued = max_queued
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._queued: deque[Future[tuple[str, object] | None]] = deque()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self.broken = False
        self.ready = False  # set by the child's first frame, once feedparser is imported
        self.parsed = 0  # feeds the child parsed (for tests and benchmarks)

    def _start(self) -> subprocess.Popen[bytes] | None:
        import subprocess

        if self._proc is None and not self.broken:
            try:
                self._proc = children.spawn(_PARSE_CHILD_CODE)
            except (OSError, ValueError, subprocess.SubprocessError):
                self.broken = True
                return None
            self._reader = threading.Thread(
                target=self._read, args=(self._proc,), name="parallax-parse", daemon=True
            )
            self._reader.start()
        return self._proc

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        """The answers, in the order the feeds went in; on EOF every waiter gets None."""
        assert proc.stdout is not None
        try:
            ready = _read_frame(proc.stdout) == "ready"
        except Exception:
            ready = False
        with self._lock:
            self.ready = ready
            self.broken = not ready
        while ready:
            try:
                answer = _read_frame(proc.stdout)
            except Exception:  # EOF, a dead child, garbage: the rest parse in-process
                answer = None
            with self._lock:
                if answer is None:
                    self.broken = True
                    waiting = list(self._queued)
                    self._queued.clear()
                else:
                    waiting = [self._queued.popleft()] if self._queued else []
            for future in waiting:
                future.set_result(answer)
            if answer is None:
                return

    def parse(self, body: bytes, content_type: str, base_url: str) -> ParsedFeed | None:
        """The child's ``parse_feed``; ``FeedError`` as it raised it; None: parse here."""
        from concurrent.futures import Future

        future: Future[tuple[str, object] | None] = Future()
        # One writer at a time, and the frames in the order of the queue. A thread
        # that finds another writing parses here instead of waiting. The write is
        # outside ``_lock``: the reader thread takes ``_lock`` to hand out each
        # answer, and a large answer the child is writing would otherwise wait for
        # the reader while the child waits for this write (a 60 s stall, measured
        # on feeds of several hundred kB).
        if not self._write_lock.acquire(blocking=False):
            return None
        try:
            with self._lock:
                proc = self._start()
                # Until the child is ready (~0.15 s of imports) feeds are parsed here:
                # a short refresh never waits for it.
                if not self.ready or self.broken or len(self._queued) >= self.max_queued:
                    return None
                if proc is None or proc.stdin is None:
                    return None
                self._queued.append(future)
            try:
                _write_frame(proc.stdin, (body, content_type, base_url))
            except (OSError, ValueError):
                with self._lock:
                    self.broken = True
                proc.kill()  # the reader sees EOF and answers every waiter with None
                return None
        finally:
            self._write_lock.release()
        try:
            answer = future.result(timeout=CHILD_PARSE_TIMEOUT)
        except TimeoutError:  # a child that stopped answering: parse here from now on
            self.broken = True
            proc.kill()
            return None
        if answer is None:
            return None
        kind, value = answer
        if kind == "error":
            raise FeedError(str(value))
        if kind != "ok":  # an unexpected failure in the child: parse here, to see it
            return None
        title, rows = value  # type: ignore[misc]
        with self._lock:
            self.parsed += 1
        return ParsedFeed(
            title=title,
            items=tuple(
                FeedItem(guid, url, item_title, _date(day), author, text)
                for guid, url, item_title, day, author, text in rows
            ),
        )

    def close(self, now: bool = False) -> None:
        """End of input: the child leaves; reaped here (at most a second's wait). A
        child that never got ready is still starting (a refresh shorter than its
        start-up) or stuck, and one of a cancelled refresh (``now``) may be parsing:
        it is stopped, not waited for."""
        import subprocess

        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            if not self.ready or now:
                proc.kill()
            proc.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            try:
                proc.wait(timeout=1)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._reader is not None:
            self._reader.join(timeout=1)
        if proc.stdout is not None:
            try:
                proc.stdout.close()
            except OSError:
                pass


_PARSE_CHILD_CODE = children.child_code("reader.ingest.feeds", "_parse_child")


_MAX_FRAME = 1 << 28
"""Bytes in one frame at most (a feed body is capped far lower): a garbled length
must not allocate the machine's memory."""


_FRAME_MAGIC = b"PXF1"


def _write_frame(out: object, value: object) -> None:
    """``value`` (str, bytes, int, None, tuples and lists of them) as one frame: a
    marker, its length, then its ``marshal`` form (built in: no import for the child)."""
    data = marshal.dumps(value)
    out.write(_FRAME_MAGIC + len(data).to_bytes(8, "little") + data)  # type: ignore[attr-defined]
    out.flush()  # type: ignore[attr-defined]


def _read_frame(source: object) -> object:
    """The next frame's value; ``EOFError`` at the end of input, ``ValueError`` for
    anything that is not a frame (nothing but a frame reaches ``marshal``)."""
    head = source.read(12)  # type: ignore[attr-defined]
    if len(head) < 12:
        raise EOFError
    size = int.from_bytes(head[4:], "little")
    if head[:4] != _FRAME_MAGIC or size > _MAX_FRAME:
        raise ValueError("not a frame")
    data = source.read(size)  # type: ignore[attr-defined]
    if len(data) < size:
        raise EOFError
    return marshal.loads(data)


def _date(day: int | None) -> date | None:
    return None if day is None else date.fromordinal(day)


def _parse_child() -> None:
    """The parsing child: "ready" once imported, then frames of (body, content type,
    URL) in on stdin and frames of ("ok", (title, item rows)) or ("error", one line)
    out on stdout."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print goes to /dev/null, not into the frames
    _load_feedparser()  # at once, while the parent downloads the first feeds
    _write_frame(stdout, "ready")
    while True:
        try:
            body, content_type, base_url = _read_frame(stdin)  # type: ignore[misc]
        except EOFError:
            return
        answer: tuple[str, object]
        try:
            parsed = parse_feed(body, content_type, base_url)
            rows = [
                (
                    i.guid,
                    i.url,
                    i.title,
                    i.published.toordinal() if i.published else None,
                    i.author,
                    i.text,
                )
                for i in parsed.items
            ]
            answer = ("ok", (parsed.title, rows))
        except FeedError as exc:
            answer = ("error", str(exc))
        except Exception as exc:  # the parent parses this feed itself, and sees it
            answer = ("failed", type(exc).__name__)
        _write_frame(stdout, answer)


# -- refresh -------------------------------------------------------------------


def outlet_name(feed: Feed, parsed_title: str = "") -> str:
    """The feed's name, or its own title when it was added without a name."""
    if feed.name and feed.name != feed.url:
        return feed.name
    return parsed_title or urlsplit(feed.url).hostname or feed.url


def _page_article(
    client: Client, item: FeedItem, feed_url: str, limits: Limits, until: float
) -> tuple[str, str, date | None, str | None, bool, str | None]:
    """(text, title, published, author, page_ok, why not) for an item: the page's
    extract when it is at least as long as the feed's own text, else the feed's text
    (and the one-line reason the page was not used, when it failed)."""
    from reader.ingest.pages import extract_page

    page = None
    reason: str | None = None
    if item.url and not client.is_cancelled:
        try:
            resp = client.fetch(
                item.url, limits=limits, accept=PAGE_ACCEPT, until=until, page_of=feed_url
            )
            page = extract_page(decode_page(resp.body, resp.content_type), resp.url)
        except FetchError as exc:
            reason = str(exc)
    if page is not None and len(page.text) >= len(item.text):
        return (
            page.text,
            item.title or page.title,
            item.published or page.published,
            item.author or page.author,
            True,
            None,
        )
    return item.text, item.title, item.published, item.author, False, reason


class _SerialWrites:
    """This refresh's writes, one at a time.

    SQLite allows one writer; with eight threads racing for ``BEGIN IMMEDIATE`` the
    losers sleep in SQLite's busy handler (up to 100 ms a try), which made an
    all-304 refresh of 50 feeds ten times slower than a serial one. A Python lock
    hands the write lock over without sleeping.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()

    def update_feed_state(self, feed_id: int, **kw: object) -> None:
        with self._lock:
            self._store.update_feed_state(feed_id, **kw)  # type: ignore[arg-type]

    def add_articles(
        self, items: list[tuple[NewArticle, str | None]]
    ) -> list[tuple[Article, bool]]:
        with self._lock:
            return self._store.add_articles(items)


def rate_limited_until(feed: Feed, now: datetime | None = None) -> str | None:
    """The words "rate-limited until HH:MM" (local time; the date too when not today)
    while a feed's Retry-After has not passed; else None."""
    when = _retry_time(feed.retry_after)
    now = now or datetime.now(UTC)
    if when is None or when <= now:
        return None
    local = when.astimezone()
    shown = local.strftime("%H:%M")
    if local.date() != now.astimezone().date():
        shown = local.strftime("%Y-%m-%d %H:%M")
    return f"rate-limited until {shown}"


def _retry_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _fetch_pages(
    client: Client,
    feed: Feed,
    fresh: list[FeedItem],
    page_pool: ThreadPoolExecutor,
    page_limits: Limits,
    until: float,
    report: Callable[..., None],
) -> list[tuple[str, str, date | None, str | None, bool, str | None]]:
    """The pages of a feed's new items, at most ``PAGES_PER_FEED`` at once on the
    refresh's shared page pool, so one slow feed holds at most that many of its
    threads; none started after ``until`` (the feed's deadline): those items keep
    the feed's own text."""
    from concurrent.futures import FIRST_COMPLETED, wait

    total = len(fresh)
    rows: list[tuple[str, str, date | None, str | None, bool, str | None] | None]
    rows = [None] * total
    waiting = iter(range(total))
    pending: dict[Future[tuple[str, str, date | None, str | None, bool, str | None]], int] = {}

    def submit_next() -> None:
        if client.is_cancelled or time.monotonic() >= until:
            return
        index = next(waiting, None)
        if index is not None:
            future = page_pool.submit(
                _page_article, client, fresh[index], feed.url, page_limits, until
            )
            pending[future] = index

    for _ in range(PAGES_PER_FEED):
        submit_next()
    done_count = 0
    while pending:
        finished, _ = wait(list(pending), timeout=0.25, return_when=FIRST_COMPLETED)
        for future in finished:
            index = pending.pop(future)
            try:
                rows[index] = future.result()
            except Exception:  # a page must never stop the feed: keep the feed's text
                rows[index] = None
            done_count += 1
            report(feed, "pages", done_count, total)
            submit_next()
    out = []
    for item, row in zip(fresh, rows, strict=True):
        if row is None:
            late = "feed deadline passed" if time.monotonic() >= until else None
            row = (item.text, item.title, item.published, item.author, False, late)
        out.append(row)
    return out


def _refresh_one(
    store: Store,
    writes: _SerialWrites,
    feed: Feed,
    *,
    client: Client,
    pages: bool,
    page_pool: ThreadPoolExecutor | None,
    feed_limits: Limits,
    page_limits: Limits,
    until: float,
    report: Callable[..., None],
    parser: _ParseChild | None = None,
) -> FeedResult:
    def fail(reason: str, retry: datetime | None = None) -> FeedResult:
        if retry is not None:
            reason = f"{reason}; {rate_limited_until(_with_retry(feed, retry))}"
        writes.update_feed_state(
            feed.id,
            status="error",
            error=reason,
            retry_after=retry.strftime("%Y-%m-%dT%H:%M:%SZ") if retry else None,
        )
        return FeedResult(feed.id, feed.name, feed.url, "error", error=clean_line(reason, 300))

    if client.is_cancelled:
        return FeedResult(feed.id, feed.name, feed.url, "cancelled")
    waiting = rate_limited_until(feed)
    if waiting:  # the server asked us to wait (Retry-After): not asked again before then
        return FeedResult(feed.id, feed.name, feed.url, "rate-limited", error=waiting)
    if time.monotonic() >= until:
        return FeedResult(
            feed.id, feed.name, feed.url, "cancelled", error="refresh deadline passed"
        )
    report(feed, "fetching")
    try:
        resp = client.fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            limits=feed_limits,
            accept=FEED_ACCEPT,
            until=until,
        )
    except FetchError as exc:
        if client.is_cancelled:  # nothing recorded: the feed keeps its last state
            return FeedResult(feed.id, feed.name, feed.url, "cancelled")
        return fail(str(exc), exc.retry_after)
    if resp.not_modified:
        writes.update_feed_state(feed.id, status="unchanged")
        return FeedResult(feed.id, feed.name, feed.url, "unchanged")
    try:
        parsed = parser.parse(resp.body, resp.content_type, resp.url) if parser else None
        if parsed is None:
            parsed = parse_feed(resp.body, resp.content_type, resp.url)
    except FeedError as exc:
        return fail(str(exc))
    name = outlet_name(feed, parsed.title)

    # Keyed per feed (issue 16): only this feed's own items are "already stored".
    known_guids, known_urls = store.known_feed_items(feed.id)
    fresh: list[FeedItem] = []
    skipped = 0
    seen_urls: set[str] = set()
    for item in parsed.items:
        if item.guid in known_guids or (
            item.url and (item.url in known_urls or item.url in seen_urls)
        ):
            skipped += 1
            continue
        if item.url:
            seen_urls.add(item.url)
        fresh.append(item)

    total = len(fresh)
    report(feed, "pages", 0, total)
    if pages and page_pool is not None and fresh:
        rows = _fetch_pages(client, feed, fresh, page_pool, page_limits, until, report)
    else:
        rows = [(i.text, i.title, i.published, i.author, not pages, None) for i in fresh]

    from reader.models import NewArticle

    new_articles: list[tuple[NewArticle, str | None]] = []
    pages_failed = 0
    page_error: str | None = None
    for item, (text, title, published, author, page_ok, why) in zip(fresh, rows, strict=True):
        text = clean_text(text)
        if pages and not page_ok:
            pages_failed += 1
            page_error = page_error or why
        if not text.strip():
            continue
        new_articles.append(
            (
                NewArticle(
                    outlet=name,
                    title=clean_line(title, 300) or derive_title(text),
                    text=text,
                    published=published,
                    origin=item.url or feed.url,
                    url=item.url,
                    author=author,
                    feed_id=feed.id,
                    guid=item.guid,
                ),
                None,
            )
        )
    if client.is_cancelled:  # nothing stored, validators untouched: the next refresh redoes it
        return FeedResult(feed.id, name, feed.url, "cancelled", skipped=skipped)
    stored = writes.add_articles(new_articles) if new_articles else []
    ids = tuple(article.id for article, created in stored if created)
    skipped += len(stored) - len(ids)
    writes.update_feed_state(
        feed.id,
        status="ok",
        error=None,
        etag=resp.etag,
        last_modified=resp.last_modified,
        keep_validators=False,
        title=parsed.title,  # names a feed added without --name (issue 20, item 7)
    )
    return FeedResult(
        feed.id,
        name,
        feed.url,
        "ok",
        new=len(ids),
        skipped=skipped,
        pages_failed=pages_failed,
        article_ids=ids,
        page_error=clean_line(page_error, 200) or None,
    )


def _with_retry(feed: Feed, retry: datetime) -> Feed:
    from dataclasses import replace

    return replace(feed, retry_after=retry.strftime("%Y-%m-%dT%H:%M:%SZ"))


def refresh_feeds(
    store: Store,
    *,
    pages: bool = True,
    progress: Callable[[FeedProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    cancel: threading.Event | None = None,
    feeds: Sequence[Feed] | None = None,
    workers: int = WORKERS,
    feed_limits: Limits = FEED_LIMITS,
    page_limits: Limits = PAGE_LIMITS,
    parse_child: bool | None = None,
    feed_deadline: float = FEED_DEADLINE,
    refresh_deadline: float = REFRESH_DEADLINE,
    proxies: dict[str, str] | None = None,
) -> RefreshReport:
    """Refresh ``feeds`` (default: every subscribed feed) into ``store``.

    Each feed: one conditional GET (an unchanged feed costs one 304), parse, skip
    items this feed already stored (by GUID and URL: no page download for them),
    download and extract the new items' pages (``pages=False``: keep to the feeds'
    own text), store. One feed's failure is recorded on that feed and never stops
    the others; a feed rate-limited by an earlier answer (Retry-After) is skipped
    until then. Analysis and story grouping are left to the caller.

    Fairness and time: one HTTP ``Client`` (pooled connections) for the refresh;
    each feed has ``feed_deadline`` seconds for its feed and pages, the whole
    refresh ``refresh_deadline``; a feed's pages go at most ``PAGES_PER_FEED`` at a
    time. Cancelling (``cancel`` set, or ``cancelled()`` true) stops requests in
    flight within a fraction of a second; what was stored stays, unfinished feeds
    report "cancelled" and keep their validators. ``parse_child``: parse in a
    child process beside the downloads (default: when there are at least
    ``PARSE_CHILD_MIN_FEEDS`` feeds); feeds are parsed here when it is busy or fails.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    from reader.ingest.http import Client

    feed_list = list(store.feeds() if feeds is None else feeds)
    if not feed_list:
        return RefreshReport()
    writes = _SerialWrites(store)
    lock = threading.Lock()
    finished = 0
    refresh_end = time.monotonic() + refresh_deadline

    def is_cancelled() -> bool:
        return (cancel is not None and cancel.is_set()) or cancelled()

    client = Client(cancelled=is_cancelled, proxies=proxies)

    def report(
        feed: Feed, stage: str, done: int = 0, total: int = 0, result: FeedResult | None = None
    ) -> None:
        if progress is None:
            return
        with lock:
            try:
                progress(
                    FeedProgress(
                        feed.id,
                        feed.name,
                        stage,
                        done,
                        total,
                        finished,
                        len(feed_list),
                        result,
                    )
                )
            except Exception:  # a broken progress display must not stop the refresh
                pass

    def run(feed: Feed) -> FeedResult:
        nonlocal finished
        try:
            result = _refresh_one(
                store,
                writes,
                feed,
                client=client,
                pages=pages,
                page_pool=page_pool,
                feed_limits=feed_limits,
                page_limits=page_limits,
                until=min(time.monotonic() + feed_deadline, refresh_end),
                report=report,
                parser=parser,
            )
        except Exception as exc:  # never let one feed take the others down
            reason = f"internal error: {type(exc).__name__}"
            try:
                writes.update_feed_state(feed.id, status="error", error=reason)
            except Exception:
                pass
            result = FeedResult(feed.id, feed.name, feed.url, "error", error=reason)
        with lock:
            finished += 1
        report(feed, "done", result=result)
        return result

    size = max(1, min(workers, len(feed_list)))
    if parse_child is None:
        parse_child = len(feed_list) >= PARSE_CHILD_MIN_FEEDS
    parser = _ParseChild() if parse_child else None  # started by the first 200 answer
    page_pool = ThreadPoolExecutor(max(1, workers), "parallax-page") if pages else None
    pool = ThreadPoolExecutor(size, "parallax-feed")
    futures = {pool.submit(run, feed): feed for feed in feed_list}
    results: dict[int, FeedResult] = {}
    try:
        pending = set(futures)
        gave_up_at: float | None = None
        while pending:
            done, pending = wait(pending, timeout=_TICK, return_when=FIRST_COMPLETED)
            for future in done:
                results[id(futures[future])] = future.result()
            if is_cancelled():
                client.cancel()
                # Requests in flight end within a tick; a feed still parsing or
                # writing gets a moment, then is reported cancelled (it stores
                # nothing once it sees the cancellation).
                gave_up_at = gave_up_at or time.monotonic() + CANCEL_GRACE
                if time.monotonic() >= gave_up_at:
                    break
    except BaseException:  # Ctrl-C in the CLI: stop the requests, do not wait for them
        client.cancel()
        raise
    finally:
        cancelled_now = is_cancelled()
        pool.shutdown(wait=not cancelled_now, cancel_futures=True)
        if page_pool is not None:
            page_pool.shutdown(wait=not cancelled_now, cancel_futures=True)
        if parser is not None:
            parser.close(now=cancelled_now)
        client.close()
    return RefreshReport(
        tuple(
            results.get(id(feed)) or FeedResult(feed.id, feed.name, feed.url, "cancelled")
            for feed in feed_list
        )
    )
