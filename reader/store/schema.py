"""The database schema and its forward migrations: the one place that knows the tables.

Owns: ``MIGRATIONS`` (one SQL script per schema version, applied in order, never
edited once released) and ``migrate``. The version lives in ``PRAGMA user_version``.
Must not: hold queries for the rest of the program (those are in ``store.db``).
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: articles, feeds, stories, analysis cache, FTS5 index, key/value meta.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE feeds (
        id              INTEGER PRIMARY KEY,
        url             TEXT NOT NULL UNIQUE,
        name            TEXT NOT NULL,
        etag            TEXT,
        last_modified   TEXT,
        added_at        TEXT NOT NULL,
        last_fetched_at TEXT,
        last_status     TEXT,
        last_error      TEXT
    );

    CREATE TABLE articles (
        id           TEXT PRIMARY KEY,
        outlet       TEXT NOT NULL,
        title        TEXT NOT NULL,
        url          TEXT,
        published    TEXT,
        text         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        origin       TEXT NOT NULL,
        language     TEXT NOT NULL DEFAULT 'en',
        author       TEXT,
        feed_id      INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        guid         TEXT,
        imported_at  TEXT NOT NULL,
        story_id     TEXT
    );
    CREATE UNIQUE INDEX articles_content_hash ON articles(content_hash);
    CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;
    CREATE INDEX articles_url ON articles(url);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_story ON articles(story_id);

    CREATE TABLE stories (
        id         TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE analysis (
        content_hash TEXT NOT NULL,
        analyzer     TEXT NOT NULL,
        version      TEXT NOT NULL,
        payload      BLOB NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (content_hash, analyzer, version)
    ) WITHOUT ROWID;

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: sizes and bounded queries for large libraries (issue 10).
    # The FTS5 index keeps which column a word is in but not its positions
    # (detail=column): about half the index, and searches are per-word prefix
    # matches, which need no positions. (story_id, published) serves the library's
    # "newest ungrouped articles" and a story's articles by date with index walks.
    """
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', detail=column
    );
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    DROP INDEX articles_story;
    CREATE INDEX articles_story_published ON articles(story_id, published);
    """,
    # 3: reading state, saved items, feed tags, saved comparisons (issue 11).
    # read_at/saved_at are NULL for "unread"/"not saved" (an existing library starts
    # all unread, nothing saved). Tags belong to feeds (OPML categories and folders);
    # an article's tags are its feed's; the rowid keeps the order they were given
    # in (the first is the folder an OPML export puts the feed in). A saved comparison
    # keeps its article ids in a link table: story ids change whenever stories are
    # regrouped.
    # Indexes for the filters (issue 11): each carries the columns a filter tests, so
    # a filter walks one index newest first and reads table rows only for the rows it
    # shows (an article row is a whole 16 KiB page of text): articles_walk for
    # date ranges, "read" and free text (probing the FTS matches by rowid),
    # partial indexes for unread and saved, one per outlet (case-insensitive
    # prefixes) and one per feed (tags are feeds); articles_read for pruning.
    """
    ALTER TABLE articles ADD COLUMN read_at TEXT;
    ALTER TABLE articles ADD COLUMN saved_at TEXT;
    CREATE INDEX articles_walk ON articles(published, outlet, feed_id, read_at, saved_at);
    CREATE INDEX articles_unread ON articles(published, outlet, feed_id, saved_at)
        WHERE read_at IS NULL;
    CREATE INDEX articles_saved ON articles(published, outlet, feed_id, read_at)
        WHERE saved_at IS NOT NULL;
    CREATE INDEX articles_read ON articles(read_at) WHERE read_at IS NOT NULL;
    CREATE INDEX articles_outlet
        ON articles(outlet COLLATE NOCASE, published, feed_id, read_at, saved_at);
    CREATE INDEX articles_feed ON articles(feed_id, published, outlet, read_at, saved_at);

    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        tag     TEXT NOT NULL COLLATE NOCASE,
        UNIQUE (feed_id, tag)
    );
    CREATE INDEX feed_tags_tag ON feed_tags(tag, feed_id);

    CREATE TABLE saved_comparisons (
        id       INTEGER PRIMARY KEY,
        title    TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE TABLE saved_comparison_articles (
        comparison_id INTEGER NOT NULL REFERENCES saved_comparisons(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        article_id    TEXT NOT NULL,
        PRIMARY KEY (comparison_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX saved_comparison_articles_article ON saved_comparison_articles(article_id);
    """,
    # 4: articles keyed per feed; a feed's Retry-After (issue 16).
    # The content hash is no longer unique library-wide: one feed must never hide
    # another's items, so the same text carried by two feeds is two articles (story
    # grouping puts them together). Dedupe is now per feed (GUID, then content hash)
    # and, for articles from no feed (seeds, files), by content hash as before; the
    # analysis cache stays keyed by content hash, so the text is analysed once.
    # retry_after: the UTC time before which a rate-limited feed is not asked again.
    """
    DROP INDEX articles_content_hash;
    CREATE INDEX articles_content_hash ON articles(content_hash, feed_id);
    ALTER TABLE feeds ADD COLUMN retry_after TEXT;
    """,
    # 5: issue 20: a story's alignment, framing and timeline cached as JSON (see
    # reader.analysis.story_cache), keyed by a digest of the articles (ids, content
    # hashes, outlets, titles, dates), the analyzer version and COMPARISON_VERSION.
    """
    CREATE TABLE comparison_cache (
        key        TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        payload    BLOB NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 6: issue 20: the words of the FTS5 index, in order (a read-only view of the
    # index: it stores nothing, so the migration is instant and keeps every row).
    # A filter word is expanded to the index words it begins ("diplom" ->
    # diplomacy, diplomat, diplomatic): FTS5 reads an OR of whole words lazily, where
    # a prefix query first merges the doclists of every word that begins with it
    # (all of them, whatever the LIMIT); see Store._fts_query and _walk_filter.
    # FTS5's own prefix indexes (``prefix=``) were measured and rejected: one per
    # prefix length, ~38 MB each at 100,000 articles (0.15x the raw text), each
    # used only for prefixes of exactly its length.
    """
    CREATE VIRTUAL TABLE articles_fts_terms USING fts5vocab(articles_fts, 'row');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The database was written by a newer Parallax."""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database up to ``SCHEMA_VERSION``, one transaction per step."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema v{current} is newer than this Parallax (v{SCHEMA_VERSION})"
        )
    for version in range(current, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] > version:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
