"""Stories: groups of articles about one event, as ``reader.analysis.stories``
writes them, and the library's story listing."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta

from reader.models import Article, ArticleSummary, Story
from reader.sanitize import clean_line, drawable
from reader.store.base import (
    _ARTICLE_COLS,
    _SUMMARY_COLS,
    StoreBase,
    StoreError,
    _article,
    _describe,
    _in_chunks,
    _summary,
    now_iso,
)


class StoriesStore(StoreBase):
    """Stories."""

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
