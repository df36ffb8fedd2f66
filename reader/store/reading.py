"""Reading state (read/unread, saved) and saved comparisons."""

from __future__ import annotations

from collections.abc import Sequence

from reader.models import SavedComparison
from reader.sanitize import clean_line, drawable
from reader.store.base import (
    StoreBase,
    _in_chunks,
    now_iso,
)


class ReadingStore(StoreBase):
    """What the reader has read and saved."""

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
