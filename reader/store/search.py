"""Full-text search (FTS5) and the filter language's queries (``reader.store.filters``
parses them)."""

from __future__ import annotations

import sqlite3

from reader.models import ArticleSummary
from reader.store.base import (
    _SUMMARY_COLS,
    FILTER_LIMIT,
    SEARCH_RANKED,
    StoreBase,
    StoreError,
    _describe,
    _filter_keys,
    _summary,
)
from reader.store.filters import Filter, fts_match, parse_filter


class SearchStore(StoreBase):
    """Search and filters."""

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

        One query, LIMIT-bounded: ``ORDER BY published DESC, rowid DESC`` is the order of
        every (…, published) index, so SQLite walks an index from the newest row and
        stops after ``limit + 1`` matches (see ``EXPLAIN QUERY PLAN`` in the tests).
        """
        parsed = parse_filter(query) if isinstance(query, str) else query
        cols = ", ".join(f"a.{c.strip()}" for c in _SUMMARY_COLS.split(","))
        sql = (
            f"SELECT {cols} FROM ({_filter_keys(parsed, limit + 1)}) k "
            "JOIN articles a ON a.rowid = k.r ORDER BY a.published DESC, a.rowid DESC"
        )
        rows = self._read(sql, parsed.params)
        return [_summary(r) for r in rows[:limit]], len(rows) > limit

    def explain_filter(self, query: str) -> list[str]:
        """SQLite's plan for a filter's index walk (for tests and the benchmark)."""
        parsed = parse_filter(query)
        rows = self._read(
            f"EXPLAIN QUERY PLAN {_filter_keys(parsed, FILTER_LIMIT + 1)}", parsed.params
        )
        return [r[3] for r in rows]

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
