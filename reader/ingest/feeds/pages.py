"""The new items' pages: downloaded, decoded and extracted, within the feed's deadline.

Owns: ``fetch_pages`` (a feed's pages at most ``PAGES_PER_FEED`` at once on the
refresh's shared page pool, so one slow feed holds at most that many of its
threads), ``page_article`` (the page's extract when at least as long as the feed's
own text, else the feed's text and why) and ``decode_page`` (a declared charset
that is not UTF-8). Item pages are fetched under the page address policy
(``page_of``): no private or local addresses but the feed's own host. Must not:
extract text itself (``ingest.pages``, trafilatura) or store anything.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from reader.ingest.feeds.parse import FeedItem
from reader.ingest.http import FetchError, Limits

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from reader.ingest.http import Client
    from reader.models import Feed

PAGES_PER_FEED = 2
"""A feed's pages downloading at once, at most: a feed whose pages drip holds two of
the page threads, never all of them (issue 16)."""
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)


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


def page_article(
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


def fetch_pages(
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
                page_article, client, fresh[index], feed.url, page_limits, until
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
