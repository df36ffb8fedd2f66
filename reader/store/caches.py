"""The analysis cache (per article content hash and analyzer version) and the
comparison cache (per story, ``reader.analysis.story_cache``): derived data that
can always be computed again."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from reader.models import Article
from reader.store.base import (
    _ARTICLE_COLS,
    StoreBase,
    _article,
    _in_chunks,
    now_iso,
)

MAX_COMPARISONS = 3_000
"""Cached comparisons kept (alignment, framing and timeline of ~1,000 stories); the
oldest written go first."""


class CacheStore(StoreBase):
    """Derived data, cached."""

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
            # A story whose articles change gets a new key: the old rows are never read
            # again. Keep the newest written, up to the cap (a few KB each).
            count = conn.execute("SELECT count(*) FROM comparison_cache").fetchone()[0]
            if count > MAX_COMPARISONS:
                conn.execute(
                    "DELETE FROM comparison_cache WHERE key IN (SELECT key FROM "
                    "comparison_cache WHERE key != ? ORDER BY created_at DESC, key "
                    "LIMIT -1 OFFSET ?)",
                    (key, MAX_COMPARISONS - 1),
                )
