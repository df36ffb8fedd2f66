"""RSS/Atom feeds: parse what ``ingest.http`` fetched and turn new items into articles.

Owns: ``parse_feed`` (bytes in, checked ``FeedItem``s out), ``refresh_feeds`` (every
subscribed feed, concurrently, with conditional GETs, page download and extraction
for new items only, dedupe, and the per-feed outcome stored with
``Store.update_feed_state``) and the report it returns. ``refresh_feeds`` is safe to
call from a worker thread: it reports through a ``progress`` callback (serialised,
one call at a time) and stops early when ``cancelled()`` says so.

Must not: open sockets itself (``ingest.http`` does), write SQL (``store`` does),
run the NLP analysis or regroup stories (the caller decides; see ``cli_feeds``), or
know about Textual. feedparser only ever sees bytes we fetched under our caps,
never a URL: it would fetch on its own, without them.
"""

from __future__ import annotations

import marshal
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader import children
from reader.ingest.http import FEED_LIMITS, PAGE_LIMITS, FetchError, Limits, check_url, fetch
from reader.sanitize import clean_line, clean_text, derive_title

if TYPE_CHECKING:  # kept out of the parsing child's imports (see ``_ParseChild``)
    import subprocess
    from concurrent.futures import Future, ThreadPoolExecutor

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
    added = existing = 0
    rejected: list[str] = []
    for url, name in entries:
        try:
            checked = check_url(url)
        except FetchError as exc:
            rejected.append(str(exc))
            continue
        _feed, created = store.add_feed(checked, name)
        added += created
        existing += not created
    return SubscribeReport(added, existing, tuple(rejected))


MAX_ITEMS = 500
"""Entries read from one feed (document order); the rest are ignored."""
WORKERS = 8
"""Feeds fetched at once, and pages fetched at once (two pools)."""

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|channel)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry)[\s/>]")


def _declares_entities(body: bytes) -> bool:
    """Whether an XML body declares entities, also in UTF-16/32 (NUL bytes near the
    start), where a byte search for ``<!ENTITY`` cannot see the declaration."""
    if _ENTITY_DECL.search(body):
        return True
    head = body[:4096]
    if b"\x00" not in head:
        return False
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore")
        if "<!entity" in text.lower():
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
    status: str  # "ok", "unchanged", "error", "cancelled"
    new: int = 0
    skipped: int = 0  # items already in the library (or duplicates of stored text)
    pages_failed: int = 0  # new items stored from the feed's own text
    error: str | None = None
    article_ids: tuple[str, ...] = ()  # the new articles

    @property
    def line(self) -> str:
        """One line for a log or the CLI."""
        if self.status == "error":
            return f"{self.name}: {self.error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged"
        if self.status == "cancelled":
            return f"{self.name}: cancelled"
        extra = f", {self.pages_failed} from the feed's text" if self.pages_failed else ""
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
    if len(value) <= 1000 and _PLAIN_HTTP_URL.fullmatch(value):
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
    return clean_line(value) or None


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
    lock). The parser used is the same either way: expat."""
    import feedparser
    import feedparser.api

    global _FEEDPARSER_READY
    if not _FEEDPARSER_READY:
        from importlib.util import find_spec

        preferred = list(feedparser.api.PREFERRED_XML_PARSERS)
        kept = [name for name in preferred if find_spec(name) is not None]
        if kept != preferred:
            feedparser.api.PREFERRED_XML_PARSERS = kept
        _FEEDPARSER_READY = True
    return feedparser


_FEEDPARSER_READY = False


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
    feedparser = _load_feedparser()

    # No content-location: given a base, feedparser re-joins it with itself at every
    # start tag (~20 % of a parse); the entries' links and permalink GUIDs are joined
    # to ``base_url`` below instead (an xml:base in the feed still applies first).
    headers = {"content-type": content_type} if content_type else {}
    try:
        # Content becomes plain text (``html_to_text``), so neither feedparser's
        # sanitizer nor its relative-link resolution in content is needed: skipping
        # them saves ~50 % of the parse.
        parsed = feedparser.parse(
            first_entries(body, max_items),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser should not raise, but a feed must never crash us
        raise FeedError(f"malformed feed: {type(exc).__name__}") from None
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
        guid = clean_line(raw_id, 500) or url
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
        with self._lock:
            proc = self._start()
            # Until the child is ready (~0.15 s of imports) feeds are parsed here: a
            # short refresh never waits for it.
            if not self.ready or self.broken or len(self._queued) >= self.max_queued:
                return None
            if proc is None or proc.stdin is None:
                return None
            try:
                # A large body may wait here for the pipe; other threads then find
                # the lock taken, wait, and parse in-process when the queue is full.
                _write_frame(proc.stdin, (body, content_type, base_url))
            except (OSError, ValueError):
                self.broken = True
                proc.kill()
                return None
            self._queued.append(future)
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

    def close(self) -> None:
        """End of input: the child leaves; reaped here (at most a second's wait). A
        child that never got ready is still starting (a refresh shorter than its
        start-up) or stuck: it is stopped, not waited for."""
        import subprocess

        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            if not self.ready:
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
    item: FeedItem, limits: Limits, cancelled: Callable[[], bool]
) -> tuple[str, str, date | None, str | None, bool]:
    """(text, title, published, author, page_ok) for an item: the page's extract when
    it is at least as long as the feed's own text, else the feed's text."""
    from reader.ingest.pages import extract_page

    page = None
    if item.url and not cancelled():
        try:
            resp = fetch(item.url, limits=limits, accept=PAGE_ACCEPT)
            page = extract_page(decode_page(resp.body, resp.content_type), resp.url)
        except FetchError:
            page = None
    if page is not None and len(page.text) >= len(item.text):
        return (
            page.text,
            item.title or page.title,
            item.published or page.published,
            item.author or page.author,
            True,
        )
    return item.text, item.title, item.published, item.author, False


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


def _refresh_one(
    store: Store,
    writes: _SerialWrites,
    feed: Feed,
    *,
    pages: bool,
    page_pool: ThreadPoolExecutor | None,
    feed_limits: Limits,
    page_limits: Limits,
    cancelled: Callable[[], bool],
    report: Callable[..., None],
    parser: _ParseChild | None = None,
) -> FeedResult:
    def fail(reason: str) -> FeedResult:
        writes.update_feed_state(feed.id, status="error", error=reason)
        return FeedResult(feed.id, feed.name, feed.url, "error", error=clean_line(reason, 300))

    if cancelled():
        return FeedResult(feed.id, feed.name, feed.url, "cancelled")
    report(feed, "fetching")
    try:
        resp = fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            limits=feed_limits,
            accept=FEED_ACCEPT,
        )
    except FetchError as exc:
        return fail(str(exc))
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

    known_guids, known_urls = store.known_feed_items(feed.id)
    fresh: list[FeedItem] = []
    skipped = 0
    seen_urls: set[str] = set()
    for item in parsed.items:
        if item.guid in known_guids or (
            item.url
            and (item.url in known_urls or item.url in seen_urls or store.has_url(item.url))
        ):
            skipped += 1
            continue
        if item.url:
            seen_urls.add(item.url)
        fresh.append(item)

    total = len(fresh)
    report(feed, "pages", 0, total)
    rows: list[tuple[str, str, date | None, str | None, bool]] = []
    if pages and page_pool is not None and fresh:
        futures: list[Future[tuple[str, str, date | None, str | None, bool]]] = [
            page_pool.submit(_page_article, item, page_limits, cancelled) for item in fresh
        ]
        for done, future in enumerate(futures, 1):
            try:
                rows.append(future.result())
            except Exception:  # a page must never stop the feed: keep the feed's text
                item = fresh[done - 1]
                rows.append((item.text, item.title, item.published, item.author, False))
            report(feed, "pages", done, total)
    else:
        rows = [(i.text, i.title, i.published, i.author, not pages) for i in fresh]

    from reader.models import NewArticle

    new_articles: list[tuple[NewArticle, str | None]] = []
    pages_failed = 0
    for item, (text, title, published, author, page_ok) in zip(fresh, rows, strict=True):
        text = clean_text(text)
        if not text.strip():
            pages_failed += 1
            continue
        if pages and not page_ok:
            pages_failed += 1
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
    if cancelled():  # nothing stored, validators untouched: the next refresh redoes it
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
    )


def refresh_feeds(
    store: Store,
    *,
    pages: bool = True,
    progress: Callable[[FeedProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    feeds: Sequence[Feed] | None = None,
    workers: int = WORKERS,
    feed_limits: Limits = FEED_LIMITS,
    page_limits: Limits = PAGE_LIMITS,
    parse_child: bool | None = None,
) -> RefreshReport:
    """Refresh ``feeds`` (default: every subscribed feed) into ``store``.

    Each feed: one conditional GET (an unchanged feed costs one 304), parse, skip
    items already stored (by GUID and URL: no page download for them), download and
    extract the new items' pages (``pages=False``: keep to the feeds' own text),
    store. One feed's failure is recorded on that feed and never stops the others.
    Analysis and story grouping are left to the caller. ``parse_child``: parse in a
    child process beside the downloads (default: when there are at least
    ``PARSE_CHILD_MIN_FEEDS`` feeds); feeds are parsed here when it is busy or fails.
    """
    from concurrent.futures import ThreadPoolExecutor

    feed_list = list(store.feeds() if feeds is None else feeds)
    writes = _SerialWrites(store)
    lock = threading.Lock()
    finished = 0

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
                pages=pages,
                page_pool=page_pool,
                feed_limits=feed_limits,
                page_limits=page_limits,
                cancelled=cancelled,
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

    if not feed_list:
        return RefreshReport()
    size = max(1, min(workers, len(feed_list)))
    if parse_child is None:
        parse_child = len(feed_list) >= PARSE_CHILD_MIN_FEEDS
    parser = _ParseChild() if parse_child else None  # started by the first 200 answer
    page_pool = ThreadPoolExecutor(max(1, workers), "parallax-page") if pages else None
    try:
        with ThreadPoolExecutor(size, "parallax-feed") as pool:
            results = list(pool.map(run, feed_list))
    finally:
        if page_pool is not None:
            page_pool.shutdown(wait=True, cancel_futures=True)
        if parser is not None:
            parser.close()
    return RefreshReport(tuple(results))
