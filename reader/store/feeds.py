"""Feeds (subscriptions, their fetch state and names) and their tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.models import Feed
from reader.sanitize import clean_line, clean_url, drawable
from reader.store.base import (
    StoreBase,
    StoreError,
    _clean_tag,
    _drawable,
    now_iso,
)


class FeedsStore(StoreBase):
    """Subscriptions and tags."""

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
                *(_drawable(v) for v in r[:11]),  # type: ignore[arg-type, misc]
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
