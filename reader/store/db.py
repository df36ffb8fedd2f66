"""SQLite access: the only module that writes SQL queries.

Owns: opening the database (WAL, busy timeout, migrations), reading and writing
articles, feeds, stories, the analysis cache and the FTS5 search. Must not: fetch,
parse or analyse anything; every string it stores has been sanitized by its caller,
and ``add_article`` runs the sanitizer once more as a last gate.

Concurrency: one ``Store`` may be shared by threads: each thread gets its own
connection (sqlite3 connections are per thread). Two processes on one file are
safe: WAL mode, a busy timeout, ``BEGIN IMMEDIATE`` for writes, and inserts that
are idempotent (``ON CONFLICT DO NOTHING`` on the article id, the content hash and
the per-feed GUID), so racing writers neither corrupt nor duplicate.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reader.models import Article, ArticleSummary, Feed, NewArticle, SavedComparison, Story
from reader.sanitize import clean_line, clean_text, clean_url, drawable
from reader.store.filters import Filter, fts_match, parse_filter
from reader.store.schema import SCHEMA_VERSION, SchemaTooNew, migrate

BUSY_TIMEOUT_MS = 15_000
PAGE_SIZE = 16_384
"""For new files only (an existing file keeps its page size). With 4 KiB pages an
article of ~3 kB fills a page on its own and a ~1 kB cached analysis (a WITHOUT
ROWID row) spills into a whole overflow page: 16 KiB pages pack them (issue 10)."""
SEARCH_RANKED = 500
"""A search ranks (bm25) only the newest this-many matches (the index walks them in
rowid order and stops): ranking every match of a common word in a large library
would read and score each one."""
FILTER_LIMIT = 200
"""Articles a filter shows (newest first); the result says when more match."""
PREFIX_TERMS_MAX = 64
"""A filter word is expanded to the index words it begins (through the
``articles_fts_terms`` view, migration 6), at most this many; a word that begins more,
and a one-letter word, stay FTS5 prefix queries, as before."""
FILTER_WALK_MIN = 2_000
"""Free text whose rarest word is in at least this many articles (the index's own
counts) is filtered by walking the date index in stretches and asking the FTS index
which rows of each stretch match (``Store._walk_filter``); rarer words gather their
matches once and the walk probes them (the one-query plan)."""
FILTER_WALK_SPAN = 50_000
"""A stretch of the date walk whose rowids spread wider than this (articles imported
far out of date order) ends the stretched walk: the one-query plan answers instead."""
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
PRUNABLE = "(a.origin LIKE 'http://%' OR a.origin LIKE 'https://%')"
"""Retention only ever deletes articles that came from feeds (their origin is the item's
URL): the seeds (origin: the seed file's name) and files the reader imported (origin:
an absolute path) are kept whatever the setting."""


class StoreError(Exception):
    """A problem with the database file a user can act on (one line, no traceback)."""


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(origin_key: str) -> str:
    """A stable id from what identifies an article's source (seed file, URL, feed+GUID)."""
    return hashlib.sha256(origin_key.encode("utf-8")).hexdigest()[:12]


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_SUMMARY_COLS = ", ".join(
    [
        "id, outlet, title, published, story_id, origin",
        "read_at IS NOT NULL, saved_at IS NOT NULL, url",
    ]
)
_ARTICLE_COLS = (
    "id, outlet, title, text, published, url, origin, content_hash, imported_at, "
    "language, author, feed_id, guid, story_id"
)


def _summary(row: sqlite3.Row) -> ArticleSummary:
    # Strings leave the store through ``drawable``: a file written by another tool
    # (shared, synced, restored) never passed our ingestion gate (issue 17).
    return ArticleSummary(
        id=drawable(row[0]),
        outlet=drawable(row[1]),
        title=drawable(row[2]),
        published=_parse_date(row[3]),
        story_id=_drawable(row[4]),
        origin=drawable(row[5]),
        read=bool(row[6]),
        saved=bool(row[7]),
        url=_drawable(row[8]),
    )


def _drawable(value: str | None) -> str | None:
    return drawable(value) if isinstance(value, str) else value


def _in_chunks(ids: Sequence[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """``ids`` in chunks of ``size``, each with its ``?,?,...`` for an ``IN (...)``
    (SQLite limits the parameters of one statement)."""
    for first in range(0, len(ids), size):
        chunk = list(ids[first : first + size])
        yield chunk, ",".join("?" * len(chunk))


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=drawable(row[0]),
        outlet=drawable(row[1]),
        title=drawable(row[2]),
        text=drawable(row[3]),
        published=_parse_date(row[4]),
        url=_drawable(row[5]),
        origin=drawable(row[6]),
        content_hash=row[7],
        imported_at=row[8],
        language=row[9],
        author=_drawable(row[10]),
        feed_id=row[11],
        guid=_drawable(row[12]),
        story_id=_drawable(row[13]),
    )


def _clean_tag(value: str) -> str:
    """One line, no commas (OPML's tag separator), no outer slashes: as opml.clean_tag."""
    return clean_line(value.replace(",", " "), 100).strip().strip("/").strip()


def _filter_keys(parsed: Filter, limit: int | None, where: str | None = None) -> str:
    """The rowids a filter shows, newest first: a query every index of migration 3
    covers, so only the rows finally shown are read. With free text, the walk goes
    down ``articles_walk`` (by date) and probes the FTS matches, gathered once, by
    rowid: ordering all matches of a common word by date would read each one.
    ``where`` replaces the filter's condition (the stretched walk leaves out the
    free text); without ``limit`` the walk goes on as long as it is read."""
    hint = ""
    text = bool(parsed.words) and where is None  # the stretched walk checks text itself
    terms = parsed.terms[: len(parsed.terms) - len(parsed.words)]  # words come last
    if text or terms == ("read",):
        hint = "INDEXED BY articles_walk "
    elif "saved" in terms:
        hint = "INDEXED BY articles_saved "
    elif "unread" in terms and not any(":" in t for t in terms):
        hint = "INDEXED BY articles_unread "
    return (
        f"SELECT a.rowid AS r FROM articles a {hint}WHERE {where or parsed.where} "
        "ORDER BY a.published DESC, a.rowid DESC"
        + (f" LIMIT {int(limit)}" if limit is not None else "")
    )


def _describe(exc: BaseException, path: Path) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in msg or "malformed" in msg or "corrupt" in msg
    ):
        return (
            f"{path} is not a readable Parallax database ({msg}); move it aside "
            f"(e.g. mv '{path}' '{path}.broken') and Parallax will rebuild it from the seeds"
        )
    if "full" in msg:
        return f"cannot write to {path}: the disk is full; nothing already stored was lost"
    if "locked" in msg or "busy" in msg:
        return "the library is busy (another Parallax is writing to it); try again"
    return f"cannot use database {path}: {msg}"


APPLICATION_ID = 0x50524C58
"""``PRAGMA application_id`` of a Parallax library ("PRLX"): set on every file we
open for writing, so another application's SQLite file is recognised and refused."""


def _refuse_foreign(path: Path) -> None:
    """``StoreError`` for a non-empty SQLite file that belongs to another application
    (another application id, or ours unset and tables that are not ours); read through
    a read-only connection, so the file is left exactly as it was."""
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # opening it for real reports what is wrong
    try:
        app_id = probe.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return
        tables = {
            r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.Error:
        return
    finally:
        probe.close()
    if app_id != 0 or (tables and not {"meta", "articles"} <= tables):
        raise StoreError(
            f"{path} is another application's SQLite file, not a Parallax library; "
            "it was left untouched (choose another file with --db)"
        )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: ``mode=ro``; where SQLite cannot even create
    the WAL index it needs (a read-only folder), ``immutable=1``."""
    uri = path.resolve().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(uri + query, uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if "immutable" in query:
                raise
    raise AssertionError("unreachable")


class Store:
    """The article library on disk."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create folder {self.path.parent}: {exc.strerror}") from None
        if self.path.exists() and not os.access(self.path, os.R_OK):
            raise StoreError(f"cannot read database {self.path}: permission denied")
        self.read_only = False
        """True for a file (or folder) this process may not write: the library is
        listed and read, every change raises ``StoreError`` (``READ_ONLY``), and
        derived data (the analysis cache, stories, watermarks) is not stored."""
        if self.path.exists() and self.path.stat().st_size > 0:
            _refuse_foreign(self.path)
            self.read_only = not (
                os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
            )
        try:
            conn = self.conn
            if self.read_only:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} is read-only and was written by another version of "
                        f"Parallax (schema v{version}, this one reads v{SCHEMA_VERSION})"
                    )
            else:
                migrate(conn)
                if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("SELECT count(*) FROM meta").fetchone()
        except SchemaTooNew as exc:
            self.close()
            raise StoreError(f"{self.path}: {exc}") from None
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(_describe(exc, self.path)) from None
        except StoreError:
            self.close()
            raise

    @property
    def read_only_note(self) -> str | None:
        """One line for the user when changes are off, else None."""
        if not self.read_only:
            return None
        return f"{self.path} is read-only: reading works, changes are off"

    def set_busy_timeout(self, ms: int) -> None:
        """This thread's wait for another writer's lock (the app's UI thread waits
        briefly, then says the library is busy; workers keep ``BUSY_TIMEOUT_MS``)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    # -- connections -------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if getattr(self, "read_only", False):
                    conn = _connect_read_only(self.path)
                    self._local.conn = conn
                    with self._lock:
                        self._connections.append(conn)
                    return conn
                conn = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":  # pragma: no cover - only on exotic filesystems
                    conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
            except sqlite3.Error as exc:
                raise StoreError(_describe(exc, self.path)) from None
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks)."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only: changes are off")
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(_describe(exc, self.path)) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            # SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR):
            # a second ROLLBACK would fail and hide the real reason (issue 17).
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error):
                raise StoreError(_describe(exc, self.path)) from None
            raise

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax" in str(exc):
                raise
            raise StoreError(_describe(exc, self.path)) from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(exc, self.path)) from None

    # -- meta ----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- articles ------------------------------------------------------------
    def add_article(self, new: NewArticle, origin_key: str | None = None) -> tuple[Article, bool]:
        """Store an article unless it is already there; returns it and whether it was new.

        Duplicates are recognised by id (same origin), by content hash (same text from
        anywhere) and, for feed items, by (feed, GUID). An existing article is never
        overwritten.
        """
        added = self.add_articles([(new, origin_key)])
        return added[0]

    def add_articles(
        self, items: Iterable[tuple[NewArticle, str | None]]
    ) -> list[tuple[Article, bool]]:
        """``add_article`` for many, in one transaction."""
        results: list[tuple[Article, bool]] = []
        stamp = now_iso()
        with self.transaction() as conn:
            for new, origin_key in items:
                text = clean_text(new.text)
                title = clean_line(new.title) or "(untitled)"
                digest = content_hash(text)
                key = origin_key or (
                    f"feed:{new.feed_id}:{new.guid}"
                    if new.feed_id is not None and new.guid
                    else new.origin
                )
                aid = article_id(key)
                # Keyed per feed (issue 16): a feed item is a duplicate of its own
                # feed's items only (GUID or text), so no feed can hide another's.
                if new.feed_id is not None:
                    existing = conn.execute(
                        # three ORed terms, one per index (nested, SQLite scanned the feed)
                        f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ? "
                        "OR (content_hash = ? AND feed_id = ?) "
                        "OR (feed_id = ? AND guid = ? AND guid IS NOT NULL) LIMIT 1",
                        (aid, digest, new.feed_id, new.feed_id, new.guid),
                    ).fetchone()
                else:
                    existing = conn.execute(
                        f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ? OR content_hash = ? "
                        "LIMIT 1",
                        (aid, digest),
                    ).fetchone()
                if existing is not None:
                    results.append((_article(existing), False))
                    continue
                row = (
                    aid,
                    clean_line(new.outlet) or "Unknown outlet",
                    title,
                    clean_url(new.url) or None,
                    new.published.isoformat() if new.published else None,
                    text,
                    digest,
                    clean_url(new.origin) or clean_line(new.origin),
                    clean_line(new.language, 16) or "en",
                    clean_line(new.author) or None,
                    new.feed_id,
                    clean_url(new.guid) or None,
                    stamp,
                )
                conn.execute(
                    "INSERT INTO articles(id, outlet, title, url, published, text, content_hash,"
                    " origin, language, author, feed_id, guid, imported_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    row,
                )
                stored = conn.execute(
                    f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (aid,)
                ).fetchone()
                results.append((_article(stored), True))
        return results

    def get_article(self, aid: str) -> Article | None:
        rows = self._read(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (aid,))
        return _article(rows[0]) if rows else None

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order asked for (unknown ids are skipped)."""
        by_id: dict[str, Article] = {}
        for chunk, marks in _in_chunks(ids):
            sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id IN ({marks})"
            by_id.update((row[0], _article(row)) for row in self._read(sql, chunk))
        return [by_id[i] for i in ids if i in by_id]

    def all_articles(self) -> list[Article]:
        rows = self._read(f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY published, id")
        return [_article(r) for r in rows]

    def list_articles(
        self, limit: int | None = None, ungrouped: bool = False
    ) -> list[ArticleSummary]:
        """The library without texts, newest first (only articles in no story if
        ``ungrouped``; that walks the (story_id, published) index, so a LIMIT stays cheap)."""
        where = "WHERE story_id IS NULL " if ungrouped else ""
        sql = f"SELECT {_SUMMARY_COLS} FROM articles {where}ORDER BY published DESC, outlet, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_summary(r) for r in self._read(sql)]

    def count_articles(self) -> int:
        return self._read("SELECT count(*) FROM articles")[0][0]

    def count_stories(self) -> int:
        return self._read("SELECT count(*) FROM stories")[0][0]

    def _fts_query(self, words: Sequence[str]) -> tuple[str, int | None] | None:
        """Free-text words as an FTS5 MATCH that needs every word, each as a prefix,
        and how many articles its rarest word is in at most (None when not known).

        Each ASCII word is written as the OR of the index words it begins, read from
        ``articles_fts_terms`` (``diplom`` is ``diplomacy OR diplomat OR diplomatic``):
        the same articles as the prefix query ``"diplom"*``, which FTS5 answers by
        first merging the doclists of all those words, whatever the LIMIT, where an
        OR is read lazily. ASCII words fold as the tokenizer folds them (lower case);
        other words, one-letter words and words that begin more than
        ``PREFIX_TERMS_MAX`` index words stay prefix queries. None when a word begins
        no index word: nothing matches.

        Not for ``search``: bm25 scores a prefix as one phrase (occurrences of any
        form, one idf) and an OR as one phrase per form, so the same matches would
        be ranked differently (measured: 107 of the 200 shown for ``diplom`` alike).
        """
        parts: list[str] = []
        counts: list[int] = []
        known = True
        for word in words:
            if len(word) > 1 and _ASCII_WORD.fullmatch(word):
                low = word.lower()
                rows = self._read(
                    "SELECT term, doc FROM articles_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
                    (low, low[:-1] + chr(ord(low[-1]) + 1), PREFIX_TERMS_MAX + 1),
                )
                if not rows:
                    return None
                if len(rows) <= PREFIX_TERMS_MAX:
                    terms = " OR ".join('"' + r[0].replace('"', '""') + '"' for r in rows)
                    parts.append(f"({terms})")
                    counts.append(sum(r[1] for r in rows))
                    continue
            parts.append(f'"{word}"*')
            known = False
        if not parts:
            return None
        return " AND ".join(parts), (min(counts) if known and counts else None)

    def search(self, query: str, limit: int = 200) -> list[ArticleSummary]:
        """Full-text search over titles and texts; every word must match (prefixes too)."""
        # Words as the index's tokenizer sees them ("Lavrov’s" is "lavrov" + "s"):
        # the index keeps no positions (detail=column), so no multi-word phrases.
        match = fts_match(query)
        if match is None:
            return []
        cols = ", ".join(f"a.{c.strip()}" for c in _SUMMARY_COLS.split(","))
        try:
            rows = self.conn.execute(
                f"SELECT {cols} FROM (SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score "
                "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f "
                "JOIN articles a ON a.rowid = f.rowid ORDER BY f.score LIMIT ?",
                (match, SEARCH_RANKED, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(exc, self.path)) from None
        return [_summary(r) for r in rows]

    # -- filters -------------------------------------------------------------
    def filter_articles(
        self, query: str | Filter, limit: int = FILTER_LIMIT
    ) -> tuple[list[ArticleSummary], bool]:
        """Articles matching a filter (``reader.store.filters``), newest first, at most
        ``limit``; and whether more match. ``FilterError`` for a filter it cannot read.

        LIMIT-bounded: ``ORDER BY published DESC, rowid DESC`` is the order of every
        (…, published) index, so SQLite walks an index from the newest row and stops
        after ``limit + 1`` matches (see ``EXPLAIN QUERY PLAN`` in the tests). Free
        text common enough (``FILTER_WALK_MIN``) is checked stretch by stretch of that
        walk (``_walk_filter``) instead of gathering every match first.
        """
        parsed = parse_filter(query) if isinstance(query, str) else query
        cols = ", ".join(f"a.{c.strip()}" for c in _SUMMARY_COLS.split(","))
        plan = self._filter_plan(parsed)
        if plan is None:
            return [], False
        keys: list[int] | None = None
        if plan[0] == "walk":
            keys = self._walk_filter(parsed, plan[1], limit + 1)
        if keys is None:
            sql = (
                f"SELECT {cols} FROM ({_filter_keys(parsed, limit + 1)}) k "
                "JOIN articles a ON a.rowid = k.r ORDER BY a.published DESC, a.rowid DESC"
            )
            rows = self._read(sql, plan[2])
        elif not keys:
            rows = []
        else:
            rows = self._read(
                f"SELECT {cols} FROM articles a WHERE a.rowid IN ({','.join('?' * len(keys))}) "
                "ORDER BY a.published DESC, a.rowid DESC",
                keys,
            )
        return [_summary(r) for r in rows[:limit]], len(rows) > limit

    def _filter_plan(self, parsed: Filter) -> tuple[str, str, tuple[object, ...]] | None:
        """("walk" or "gather", the expanded MATCH or "", the one-query plan's
        parameters); None when a free-text word begins no index word."""
        if not parsed.words:
            return "gather", "", parsed.params
        expanded = self._fts_query(parsed.words)
        if expanded is None:
            return None
        match, estimate = expanded
        kind = "walk" if estimate is not None and estimate >= FILTER_WALK_MIN else "gather"
        return kind, match, (*parsed.params[:-1], match)

    def _walk_filter(self, parsed: Filter, match: str, limit: int) -> list[int] | None:
        """The rowids of a filter with common free text, newest first: walk the
        filter's other conditions down the date index in stretches (256 rows, then
        twice as many each time) and ask FTS5 which rowids of each stretch's range
        match, which it reads lazily from the whole words' doclists. Exact: every row
        of a stretch is checked. None when a stretch's rowids spread wider than
        ``FILTER_WALK_SPAN`` (the library was imported out of date order): the
        one-query plan is cheaper then."""
        conn = self.conn
        found: list[int] = []
        try:
            cur = conn.execute(_filter_keys(parsed, None, parsed.base_where), parsed.base_params)
            try:
                size = 256
                while len(found) < limit:
                    stretch = [r[0] for r in cur.fetchmany(size)]
                    if not stretch:
                        break
                    low, high = min(stretch), max(stretch)
                    if high - low > FILTER_WALK_SPAN:
                        return None
                    hits = {
                        r[0]
                        for r in conn.execute(
                            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                            "AND rowid BETWEEN ? AND ?",
                            (match, low, high),
                        )
                    }
                    found += [r for r in stretch if r in hits]
                    size = min(size * 2, 8192)
            finally:
                cur.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(exc, self.path)) from None
        return found[:limit]

    def explain_filter(self, query: str) -> list[str]:
        """SQLite's plan for a filter's index walk (for tests and the benchmark); for
        common free text, the stretched walk's plan, marked as such."""
        parsed = parse_filter(query)
        plan = self._filter_plan(parsed)
        if plan is not None and plan[0] == "walk":
            rows = self._read(
                f"EXPLAIN QUERY PLAN {_filter_keys(parsed, None, parsed.base_where)}",
                parsed.base_params,
            )
            return [f"{r[3]} (in stretches, FTS by rowid range)" for r in rows]
        rows = self._read(
            f"EXPLAIN QUERY PLAN {_filter_keys(parsed, FILTER_LIMIT + 1)}",
            plan[2] if plan is not None else parsed.params,
        )
        return [r[3] for r in rows]

    # -- reading state and saved items ----------------------------------------
    # read_at NULL = unread; saved_at NULL = not saved. Opening an article in the
    # reader marks it read; opening a story side by side does not (too silent).
    def is_read(self, aid: str) -> bool:
        rows = self._read("SELECT read_at IS NOT NULL FROM articles WHERE id = ?", (aid,))
        return bool(rows and rows[0][0])

    def set_read(self, ids: Sequence[str], read: bool = True) -> list[str]:
        """Mark articles read (or unread); returns the ids whose state changed, so that
        an undo can put back exactly those and nothing that was already so."""
        if not ids:
            return []
        changed: list[str] = []
        stamp = now_iso() if read else None
        cond = "read_at IS NULL" if read else "read_at IS NOT NULL"
        with self.transaction() as conn:
            for chunk, marks in _in_chunks(ids):
                changed += [
                    r[0]
                    for r in conn.execute(
                        f"UPDATE articles SET read_at = ? WHERE id IN ({marks}) AND {cond} "
                        "RETURNING id",
                        [stamp, *chunk],
                    ).fetchall()
                ]
        return changed

    def toggle_read(self, aid: str) -> bool:
        """Flip one article between read and unread; returns whether it is now read."""
        now_read = not self.is_read(aid)
        self.set_read([aid], now_read)
        return now_read

    def mark_feed_read(self, feed_id: int) -> list[str]:
        """Every unread article of a feed marked read; the ids changed (for an undo)."""
        ids = [
            r[0]
            for r in self._read(
                "SELECT id FROM articles WHERE feed_id = ? AND read_at IS NULL", (feed_id,)
            )
        ]
        return self.set_read(ids, True)

    def mark_tag_read(self, tag: str) -> list[str]:
        """Every unread article under a feed tag (``""``: under no tag) marked read;
        the ids changed (for an undo)."""
        under = (
            "feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)"
            if tag
            else "(feed_id IS NULL OR feed_id NOT IN (SELECT feed_id FROM feed_tags))"
        )
        ids = [
            r[0]
            for r in self._read(
                f"SELECT id FROM articles WHERE {under} AND read_at IS NULL", (tag,) if tag else ()
            )
        ]
        return self.set_read(ids, True)

    def states(self, ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        """``(read, saved)`` of each article (unknown ids left out)."""
        out: dict[str, tuple[bool, bool]] = {}
        for chunk, marks in _in_chunks(ids):
            for aid, read, saved in self._read(
                f"SELECT id, read_at IS NOT NULL, saved_at IS NOT NULL FROM articles "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                out[aid] = (bool(read), bool(saved))
        return out

    def toggle_saved(self, aid: str) -> bool:
        """Save an article (or unsave it); returns whether it is now saved."""
        with self.transaction() as conn:
            row = conn.execute(
                "UPDATE articles SET saved_at = CASE WHEN saved_at IS NULL THEN ? END "
                "WHERE id = ? RETURNING saved_at IS NOT NULL",
                (now_iso(), aid),
            ).fetchone()
        return bool(row and row[0])

    def save_comparison(self, title: str, article_ids: Sequence[str]) -> SavedComparison:
        """Keep a comparison of exactly these articles (the same set twice: once)."""
        ids = tuple(dict.fromkeys(article_ids))
        for existing in self.saved_comparisons():
            if existing.article_ids == ids:
                return existing
        stamp = now_iso()
        with self.transaction() as conn:
            cid = conn.execute(
                "INSERT INTO saved_comparisons(title, saved_at) VALUES (?, ?)",
                (clean_line(title) or "(untitled)", stamp),
            ).lastrowid
            conn.executemany(
                "INSERT INTO saved_comparison_articles(comparison_id, position, article_id) "
                "VALUES (?,?,?)",
                [(cid, i, aid) for i, aid in enumerate(ids)],
            )
        return SavedComparison(int(cid or 0), clean_line(title) or "(untitled)", ids, stamp)

    def saved_comparisons(self) -> list[SavedComparison]:
        """Saved comparisons, newest first."""
        rows = self._read(
            "SELECT c.id, c.title, c.saved_at, l.article_id FROM saved_comparisons c "
            "JOIN saved_comparison_articles l ON l.comparison_id = c.id "
            "ORDER BY c.saved_at DESC, c.id DESC, l.position"
        )
        out: dict[int, tuple[str, str, list[str]]] = {}
        for cid, title, saved_at, aid in rows:
            out.setdefault(cid, (title, saved_at, []))[2].append(aid)
        return [
            SavedComparison(cid, drawable(t), tuple(ids), at) for cid, (t, at, ids) in out.items()
        ]

    def remove_saved_comparison(self, cid: int) -> bool:
        with self.transaction() as conn:
            return conn.execute("DELETE FROM saved_comparisons WHERE id = ?", (cid,)).rowcount == 1

    def remove(self, ids: Sequence[str]) -> list[Article]:
        """Delete these articles (one transaction; unknown ids are skipped); returns the
        articles deleted. The FTS delete trigger keeps the index in step; their places
        in saved comparisons go with them; a story left without articles is no longer
        listed (stories are read through their articles)."""
        gone = self.get_articles(list(dict.fromkeys(ids)))
        if not gone:
            return []
        with self.transaction() as conn:
            for chunk, marks in _in_chunks([a.id for a in gone]):
                conn.execute(
                    f"DELETE FROM saved_comparison_articles WHERE article_id IN ({marks})", chunk
                )
                conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
        return gone

    # -- retention -------------------------------------------------------------
    def prune(self, days: int, dry_run: bool = False) -> int:
        """Delete feed articles read more than ``days`` days ago; returns how many
        (would be) deleted. Never deletes: unread or saved articles, articles in a
        saved comparison, seeds or imported files (see ``PRUNABLE``). One transaction;
        the FTS delete trigger keeps the index in step."""
        if days < 1:
            return 0
        where = (
            "a.read_at IS NOT NULL AND a.read_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) "
            f"AND a.saved_at IS NULL AND {PRUNABLE} AND NOT EXISTS (SELECT 1 FROM "
            "saved_comparison_articles l WHERE l.article_id = a.id)"
        )
        params = (f"-{int(days)} days",)
        if dry_run:
            return self._read(f"SELECT count(*) FROM articles a WHERE {where}", params)[0][0]
        with self.transaction() as conn:
            return conn.execute(
                f"DELETE FROM articles WHERE rowid IN (SELECT a.rowid FROM articles a "
                f"WHERE {where})",
                params,
            ).rowcount

    # -- tags ------------------------------------------------------------------
    def tag_feed(self, feed_id: int, tags: Iterable[str]) -> list[str]:
        """Add tags to a feed (case-insensitive: "World" and "world" are one tag);
        returns the tags that were new."""
        added = []
        with self.transaction() as conn:
            for raw in tags:
                tag = _clean_tag(raw)
                if not tag:
                    continue
                cur = conn.execute(
                    "INSERT INTO feed_tags(feed_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    (feed_id, tag),
                )
                if cur.rowcount:
                    added.append(tag)
        return added

    def tag_feeds_by_url(self, tags: dict[str, Sequence[str]]) -> int:
        """Add tags to feeds given by URL (an OPML import), in one transaction; returns
        how many tags were new. Unknown URLs are skipped."""
        added = 0
        with self.transaction() as conn:
            for url, names in tags.items():
                row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
                if row is None:
                    continue
                for raw in names:
                    tag = _clean_tag(raw)
                    if tag:
                        added += conn.execute(
                            "INSERT INTO feed_tags(feed_id, tag) VALUES (?, ?) "
                            "ON CONFLICT DO NOTHING",
                            (row[0], tag),
                        ).rowcount
        return added

    def set_feed_tags(self, feed_id: int, tags: Iterable[str]) -> list[str]:
        """Make ``tags`` a feed's tags, in this order (the first is the folder an OPML
        export puts it in), in one transaction; returns them as stored."""
        by_key: dict[str, str] = {}  # tags are case-insensitive: the first spelling stays
        for tag in (_clean_tag(raw) for raw in tags):
            if tag:
                by_key.setdefault(tag.casefold(), tag)
        kept = list(by_key.values())
        with self.transaction() as conn:
            conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            conn.executemany(
                "INSERT INTO feed_tags(feed_id, tag) VALUES (?, ?)", [(feed_id, t) for t in kept]
            )
        return kept

    def untag_feed(self, feed_id: int, tags: Iterable[str]) -> list[str]:
        """Remove tags from a feed; returns those it had."""
        removed = []
        with self.transaction() as conn:
            for tag in tags:
                if conn.execute(
                    "DELETE FROM feed_tags WHERE feed_id = ? AND tag = ?", (feed_id, tag.strip())
                ).rowcount:
                    removed.append(tag.strip())
        return removed

    def tag_groups(self) -> list[tuple[str, int, int]]:
        """``(tag, articles, unread)`` for every feed tag, by name; then ``("", n, unread)``
        for articles under no tag (non-feed articles and untagged feeds)."""
        rows = self._read(
            "SELECT t.tag, count(*), coalesce(sum(a.read_at IS NULL), 0) FROM feed_tags t "
            "JOIN articles a ON a.feed_id = t.feed_id GROUP BY t.tag ORDER BY t.tag"
        )
        out = [(drawable(r[0]), r[1], r[2]) for r in rows]
        rest = self._read(
            "SELECT count(*), coalesce(sum(a.read_at IS NULL), 0) FROM articles a WHERE "
            "a.feed_id IS NULL OR a.feed_id NOT IN (SELECT feed_id FROM feed_tags)"
        )[0]
        if rest[0]:
            out.append(("", rest[0], rest[1]))
        return out

    def tag_articles(self, tag: str, limit: int = FILTER_LIMIT) -> list[ArticleSummary]:
        """The newest articles of the feeds carrying ``tag``."""
        return self.filter_articles(
            Filter(
                "a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag IN (?))",
                (tag,),
                terms=(f"tag:{tag}",),
            ),
            limit,
        )[0]

    def untagged_articles(self, limit: int = FILTER_LIMIT) -> list[ArticleSummary]:
        """The newest articles under no tag (for the library's tag grouping)."""
        cols = ", ".join(f"a.{c.strip()}" for c in _SUMMARY_COLS.split(","))
        rows = self._read(
            f"SELECT {cols} FROM articles a WHERE a.feed_id IS NULL OR a.feed_id NOT IN "
            "(SELECT feed_id FROM feed_tags) ORDER BY a.published DESC, a.rowid DESC "
            f"LIMIT {int(limit)}"
        )
        return [_summary(r) for r in rows]

    # -- stories -------------------------------------------------------------
    def stories(self) -> list[Story]:
        """Stored stories with their articles (oldest article first)."""
        rows = self._read(
            "SELECT s.id, s.title, a.id FROM stories s JOIN articles a ON a.story_id = s.id "
            "ORDER BY s.id, a.published, a.outlet, a.id"
        )
        out: dict[str, tuple[str, list[str]]] = {}
        for sid, title, aid in rows:
            out.setdefault(sid, (title, []))[1].append(aid)
        return [Story(sid, drawable(title), tuple(ids)) for sid, (title, ids) in out.items()]

    def story_article_ids(self, article_id: str) -> list[str]:
        """The articles of the story ``article_id`` belongs to (itself when in none),
        oldest first: two index lookups, however large the library."""
        rows = self._read(
            "SELECT b.id FROM articles a JOIN articles b ON b.story_id = a.story_id "
            "WHERE a.id = ? ORDER BY b.published, b.outlet, b.id",
            (article_id,),
        )
        return [r[0] for r in rows] or [article_id]

    def recent_stories(self, limit: int) -> tuple[list[Story], list[ArticleSummary]]:
        """The ``limit`` stories with the newest articles (newest first) and their articles.

        Walks the articles' date index from the newest until ``limit`` stories are seen,
        then reads those stories' articles by index: no full scan however large the
        library.
        """
        wanted: list[str] = []
        seen: set[str] = set()
        try:
            cur = self.conn.execute(
                "SELECT story_id FROM articles INDEXED BY articles_published "
                "WHERE story_id IS NOT NULL ORDER BY published DESC"
            )
            while len(wanted) < limit:
                batch = cur.fetchmany(256)
                if not batch:
                    break
                for (sid,) in batch:
                    if sid not in seen:
                        seen.add(sid)
                        wanted.append(sid)
                        if len(wanted) == limit:
                            break
            cur.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(exc, self.path)) from None
        if not wanted:
            return [], []
        marks = ",".join("?" * len(wanted))
        rows = self._read(
            f"SELECT {', '.join('a.' + c.strip() for c in _SUMMARY_COLS.split(','))}, s.title "
            f"FROM stories s JOIN articles a ON a.story_id = s.id WHERE s.id IN ({marks}) "
            "ORDER BY a.published, a.outlet, a.id",
            wanted,
        )
        members: dict[str, tuple[str, list[str]]] = {}
        summaries = []
        for row in rows:
            summaries.append(_summary(row))
            members.setdefault(row[4], (row[9], []))[1].append(row[0])
        stories = [
            Story(sid, drawable(members[sid][0]), tuple(members[sid][1]))
            for sid in wanted
            if sid in members
        ]
        return stories, summaries

    def articles_near(self, days: Sequence[date], window: int) -> list[Article]:
        """Articles published within ``window`` days of any of ``days``, and every
        article without a date (what a regroup around new articles compares)."""
        spans: list[list[date]] = []
        for day in sorted(set(days)):
            start, end = day - timedelta(days=window), day + timedelta(days=window + 1)
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        found: dict[str, Article] = {}
        for first in range(0, max(len(spans), 1), 200):
            chunk = spans[first : first + 200]
            where = " OR ".join(["(published >= ? AND published < ?)"] * len(chunk))
            params = [d.isoformat() for span in chunk for d in span]
            sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE published IS NULL"
            for row in self._read(sql + (f" OR {where}" if where else ""), params):
                found.setdefault(row[0], _article(row))
        return list(found.values())

    def outlets_between(self, first: date, last: date) -> list[str]:
        """The outlets with an article published from ``first`` to ``last`` (inclusive)."""
        rows = self._read(
            "SELECT DISTINCT outlet FROM articles WHERE published >= ? AND published < ?",
            (first.isoformat(), (last + timedelta(days=1)).isoformat()),
        )
        return [r[0] for r in rows]

    def story_member_ids(self, ids: Sequence[str]) -> set[str]:
        """``ids`` and every article in a story with one of them."""
        members = set(ids)
        for chunk, marks in _in_chunks(ids):
            members.update(
                r[0]
                for r in self._read(
                    "SELECT id FROM articles WHERE story_id IN "
                    f"(SELECT story_id FROM articles WHERE id IN ({marks}))",
                    chunk,
                )
            )
        return members

    def replace_stories_of(self, ids: Sequence[str], stories: Sequence[Story]) -> None:
        """Store a new grouping of the articles ``ids`` (atomic): the stories they were
        in go (``ids`` must hold those stories' every member: ``story_member_ids``)."""
        if self.read_only:  # derived data: not kept in a read-only library
            return
        stamp = now_iso()
        with self.transaction() as conn:
            old: set[str] = set()
            for chunk, marks in _in_chunks(ids):
                old.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT DISTINCT story_id FROM articles WHERE id IN ({marks}) "
                        "AND story_id IS NOT NULL",
                        chunk,
                    )
                )
            for sid in old:
                conn.execute("UPDATE articles SET story_id = NULL WHERE story_id = ?", (sid,))
                conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
            self._insert_stories(conn, stories, stamp)

    def replace_stories(self, stories: Sequence[Story]) -> None:
        """Store a new grouping of the whole library (atomic)."""
        if self.read_only:
            return
        stamp = now_iso()
        with self.transaction() as conn:
            conn.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
            conn.execute("DELETE FROM stories")
            self._insert_stories(conn, stories, stamp)

    @staticmethod
    def _insert_stories(conn: sqlite3.Connection, stories: Sequence[Story], stamp: str) -> None:
        for story in stories:
            conn.execute(
                "INSERT INTO stories(id, title, updated_at) VALUES (?,?,?)",
                (story.id, clean_line(story.title), stamp),
            )
            conn.executemany(
                "UPDATE articles SET story_id = ? WHERE id = ?",
                [(story.id, aid) for aid in story.article_ids],
            )

    # -- analysis cache ------------------------------------------------------
    def get_analyses(self, digests: Sequence[str], analyzer: str, version: str) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for chunk, marks in _in_chunks(digests):
            for digest, payload in self._read(
                f"SELECT content_hash, payload FROM analysis WHERE analyzer = ? AND version = ? "
                f"AND content_hash IN ({marks})",
                [analyzer, version, *chunk],
            ):
                try:
                    out[digest] = zlib.decompress(payload)
                except zlib.error:
                    continue
        return out

    def unanalysed_articles(self, analyzer: str, version: str) -> list[Article]:
        """Articles with no cached analysis for this analyzer version.

        Only articles added after the remembered watermark are checked (rowids grow
        with every insert, articles are never rewritten and cached analyses never
        removed), and the watermark then moves up to just below the oldest article
        still unanalysed: a warm start looks at no row it has seen analysed before.
        """
        key = f"analysed_through:{analyzer}:{version}"
        try:
            mark = int(self.get_meta(key) or 0)
        except ValueError:
            mark = 0
        top = self._read("SELECT max(rowid) FROM articles")[0][0] or 0
        if top <= mark:
            return []
        rows = self._read(
            f"SELECT a.rowid, {', '.join('a.' + c.strip() for c in _ARTICLE_COLS.split(','))} "
            "FROM articles a WHERE a.rowid > ? AND NOT EXISTS (SELECT 1 FROM analysis n WHERE "
            "n.content_hash = a.content_hash AND n.analyzer = ? AND n.version = ?) "
            "ORDER BY a.published DESC, a.id",
            (mark, analyzer, version),
        )
        through = min(r[0] for r in rows) - 1 if rows else top
        if through > mark and not self.read_only:
            self.set_meta(key, str(through))
        return [_article(r[1:]) for r in rows]

    def put_analysis(self, digest: str, analyzer: str, version: str, payload: bytes) -> None:
        self.put_analyses(analyzer, version, [(digest, payload)])

    def put_analyses(self, analyzer: str, version: str, items: Sequence[tuple[str, bytes]]) -> None:
        """Cache many ``(content hash, payload)`` analyses in one transaction."""
        if self.read_only:  # a cache: computed again next time
            return
        stamp = now_iso()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO analysis(content_hash, analyzer, version, payload, created_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT DO UPDATE SET payload = excluded.payload",
                [
                    (digest, analyzer, version, zlib.compress(payload, 6), stamp)
                    for digest, payload in items
                ],
            )

    # -- noticing other processes' writes -------------------------------------
    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` of this thread's connection: it changes when
        another connection (another process, or another thread here) commits. O(1)."""
        return int(self._read("PRAGMA data_version")[0][0])

    def library_signature(self) -> tuple[int, int, str]:
        """What the library's lists depend on: (newest article rowid, article count,
        newest story stamp). Read-state changes leave it alone."""
        row = self._read(
            "SELECT (SELECT max(rowid) FROM articles), (SELECT count(*) FROM articles), "
            "(SELECT max(updated_at) FROM stories)"
        )[0]
        return int(row[0] or 0), int(row[1] or 0), str(row[2] or "")

    # -- comparison cache (reader.analysis.story_cache) ----------------------
    def get_comparison(self, key: str) -> bytes | None:
        """A cached comparison payload (JSON bytes), or None (missing or damaged)."""
        rows = self._read("SELECT payload FROM comparison_cache WHERE key = ?", (key,))
        if not rows:
            return None
        try:
            return zlib.decompress(rows[0][0])
        except (zlib.error, TypeError):
            return None

    def put_comparison(self, key: str, kind: str, payload: bytes) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO comparison_cache(key, kind, payload, created_at) VALUES (?,?,?,?) "
                "ON CONFLICT DO UPDATE SET payload = excluded.payload, "
                "created_at = excluded.created_at",
                (key, kind, zlib.compress(payload, 6), now_iso()),
            )

    # -- feeds ---------------------------------------------------------------
    _FEED_COLS = (
        "f.id, f.url, f.name, f.etag, f.last_modified, f.added_at, f.last_fetched_at, "
        "f.last_status, f.last_error, (SELECT count(*) FROM articles a WHERE a.feed_id = f.id), "
        "(SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.read_at IS NULL), "
        "(SELECT group_concat(tag, char(31)) FROM "
        "(SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY rowid)), f.retry_after"
    )

    def feeds(self) -> list[Feed]:
        """Subscriptions with article and unread counts and their tags (in the order given)."""
        return [
            Feed(
                *(_drawable(v) for v in r[:11]),
                tags=tuple(drawable(t) for t in r[11].split("\x1f")) if r[11] else (),
                retry_after=_drawable(r[12]),
            )
            for r in self._read(f"SELECT {self._FEED_COLS} FROM feeds f ORDER BY f.id")
        ]

    def get_feed(self, key: int | str) -> Feed | None:
        """A feed by id, URL or name."""
        for feed in self.feeds():
            if str(feed.id) == str(key) or feed.url == key or feed.name == key:
                return feed
        return None

    def add_feed(self, url: str, name: str) -> tuple[Feed, bool]:
        created = self.add_feeds([(url, name)])[0]
        feed = self.get_feed(clean_url(url))
        assert feed is not None
        return feed, created

    def add_feeds(self, entries: Iterable[tuple[str, str]]) -> list[bool]:
        """Subscribe to ``(url, name)`` pairs in one transaction (an OPML import of
        10,000 feeds: linear); for each, whether it was new. URLs are stored whole."""
        stamp = now_iso()
        created: list[bool] = []
        with self.transaction() as conn:
            for url, name in entries:
                url = clean_url(url)
                cur = conn.execute(
                    "INSERT INTO feeds(url, name, added_at) VALUES (?,?,?) "
                    "ON CONFLICT(url) DO NOTHING",
                    (url, clean_line(name) or url, stamp),
                )
                created.append(cur.rowcount == 1)
        return created

    def remove_feed(self, feed_id: int) -> bool:
        """Unsubscribe. The feed's articles stay in the library (nothing stored is lost)."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount == 1

    def rename_feed(self, feed_id: int, name: str) -> bool:
        """Give a feed a new name, and its articles the same outlet name (one line, sanitized)."""
        name = clean_line(name, 200)
        if not name:
            raise StoreError("a feed's name cannot be empty")
        with self.transaction() as conn:
            old = conn.execute("SELECT name FROM feeds WHERE id = ?", (feed_id,)).fetchone()
            if old is None:
                return False
            conn.execute("UPDATE feeds SET name = ? WHERE id = ?", (name, feed_id))
            conn.execute(
                "UPDATE articles SET outlet = ? WHERE feed_id = ? AND outlet = ?",
                (name, feed_id, old[0]),
            )
        return True

    def name_feed_from_title(self, feed_id: int, title: str) -> None:
        """A feed added without a name (its name is its URL) takes its own title."""
        title = clean_line(title, 200)
        if title:
            with self.transaction() as conn:
                conn.execute(
                    "UPDATE feeds SET name = ? WHERE id = ? AND name = url", (title, feed_id)
                )

    def update_feed_state(
        self,
        feed_id: int,
        *,
        status: str,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        keep_validators: bool = True,
        retry_after: str | None = None,
        title: str | None = None,
    ) -> None:
        """Record the outcome of a refresh (validators kept unless new ones arrive);
        ``retry_after``: the UTC time (ISO) a rate-limited feed may be asked again;
        ``title``, the feed's own, names a feed that was added without a name."""
        if title:
            self.name_feed_from_title(feed_id, title)
        with self.transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_fetched_at = ?, last_status = ?, last_error = ?, "
                "retry_after = ?, "
                "etag = CASE WHEN ? THEN coalesce(?, etag) ELSE ? END, "
                "last_modified = CASE WHEN ? THEN coalesce(?, last_modified) ELSE ? END "
                "WHERE id = ?",
                (
                    now_iso(),
                    status,
                    clean_line(error, 300) or None,
                    clean_line(retry_after, 40) or None,
                    keep_validators,
                    clean_line(etag, 300) or None,
                    clean_line(etag, 300) or None,
                    keep_validators,
                    clean_line(last_modified, 100) or None,
                    clean_line(last_modified, 100) or None,
                    feed_id,
                ),
            )

    def known_feed_items(self, feed_id: int) -> tuple[set[str], set[str]]:
        """GUIDs and URLs already stored for a feed (to skip downloading their pages)."""
        guids: set[str] = set()
        urls: set[str] = set()
        for guid, url in self._read("SELECT guid, url FROM articles WHERE feed_id = ?", (feed_id,)):
            if guid:
                guids.add(guid)
            if url:
                urls.add(url)
        return guids, urls

    def has_url(self, url: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE url = ? LIMIT 1", (url,)))
