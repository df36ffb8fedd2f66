"""Full-text search (FTS5) and the filter language's queries (``reader.store.filters``
parses them)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from reader.models import ArticleSummary
from reader.store.base import (
    _SUMMARY_COLS,
    FILTER_LIMIT,
    StoreBase,
    StoreError,
    _describe,
    _filter_keys,
    _summary,
)
from reader.store.filters import Filter, parse_filter

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


class SearchStore(StoreBase):
    """Search and filters."""

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
