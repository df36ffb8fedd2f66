"""The refresh pipeline: every subscribed feed, retrieved, parsed, new items selected,
their pages fetched, stored.

Owns: ``refresh_feeds`` (concurrently, with conditional GETs, page download and
extraction for new items only, dedupe, and the per-feed outcome stored with
``Store.update_feed_state``). It is safe to call from a worker thread: it reports
through a ``progress`` callback (serialised, one call at a time) and stops early
when ``cancelled()`` says so.

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

Must not: open sockets itself (``ingest.http`` does), write SQL (``store`` does),
run the NLP analysis or regroup stories (the caller decides; see ``reader.library``),
or know about Textual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reader.ingest.feeds.child import PARSE_CHILD_MIN_FEEDS, ParseChild
from reader.ingest.feeds.pages import fetch_pages
from reader.ingest.feeds.parse import FeedError, FeedItem, parse_feed
from reader.ingest.feeds.report import FeedProgress, FeedResult, RefreshReport, rate_limited_until
from reader.ingest.http import FEED_LIMITS, PAGE_LIMITS, FetchError, Limits
from reader.sanitize import clean_line, clean_text, derive_title

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from reader.ingest.http import Client
    from reader.models import Article, Feed, NewArticle
    from reader.store import Store

WORKERS = 8
"""Feeds fetched at once, and pages fetched at once (two pools)."""
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


def outlet_name(feed: Feed, parsed_title: str = "") -> str:
    """The feed's name, or its own title when it was added without a name."""
    if feed.name and feed.name != feed.url:
        return feed.name
    return parsed_title or urlsplit(feed.url).hostname or feed.url


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
    client: Client,
    pages: bool,
    page_pool: ThreadPoolExecutor | None,
    feed_limits: Limits,
    page_limits: Limits,
    until: float,
    report: Callable[..., None],
    parser: ParseChild | None = None,
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
        rows = fetch_pages(client, feed, fresh, page_pool, page_limits, until, report)
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
    parser = ParseChild() if parse_child else None  # started by the first 200 answer
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
