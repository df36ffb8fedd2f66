"""Articles: adding (deduplicated, sanitized once more), reading, counting,
removing, and retention (``prune``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.models import Article, ArticleSummary, NewArticle
from reader.sanitize import clean_line, clean_text, clean_url
from reader.store.base import (
    _ARTICLE_COLS,
    _SUMMARY_COLS,
    PRUNABLE,
    StoreBase,
    _article,
    _in_chunks,
    _summary,
    article_id,
    content_hash,
    now_iso,
)


class ArticlesStore(StoreBase):
    """Articles in, articles out."""

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
