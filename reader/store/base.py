"""The store's foundation: opening the database (WAL, busy timeout, migrations, a
read-only mode), one connection per thread, write transactions, SQLite errors as
one-line ``StoreError``s, the meta table and noticing other processes' writes; and
the row helpers every part of the store shares.

Concurrency: one ``Store`` may be shared by threads: each thread gets its own
connection (sqlite3 connections are per thread). Two processes on one file are
safe: WAL mode, a busy timeout, ``BEGIN IMMEDIATE`` for writes, and inserts that
are idempotent (``ON CONFLICT DO NOTHING`` on the article id, the content hash and
the per-feed GUID), so racing writers neither corrupt nor duplicate.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from reader.models import Article, ArticleSummary
from reader.sanitize import clean_line, drawable
from reader.store.filters import Filter
from reader.store.schema import SCHEMA_VERSION, SchemaTooNew, migrate

BUSY_TIMEOUT_MS = 15_000
PAGE_SIZE = 16_384
"""For new files only (an existing file keeps its page size). With 4 KiB pages an
article of ~3 kB fills a page on its own and a ~1 kB cached analysis (a WITHOUT
ROWID row) spills into a whole overflow page: 16 KiB pages pack them (issue 10)."""
FILTER_LIMIT = 200
"""Articles a filter shows (newest first); the result says when more match."""
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


def _article(row: sqlite3.Row | Sequence[Any]) -> Article:
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


class StoreBase:
    """Connections, transactions and meta: what every part of the store stands on."""

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
