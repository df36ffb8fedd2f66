"""Read state, saved items and comparisons, feed tags, retention and migration 3 (issue 11)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from reader.ingest.seeds import import_seeds
from reader.models import NewArticle
from reader.store import Store
from reader.store.schema import MIGRATIONS, SCHEMA_VERSION, _statements


def feed_article(store: Store, feed_id: int, n: int, text: str = "") -> str:
    new = NewArticle(
        outlet="BBC World",
        title=f"Item {n}",
        text=text or f"Feed item number {n} about the embassy in Kyiv.",
        published=date(2022, 2, 10 + n % 5),
        origin=f"https://example.org/{n}",
        url=f"https://example.org/{n}",
        feed_id=feed_id,
        guid=str(n),
    )
    return store.add_article(new)[0].id


def test_migration_3_keeps_a_v2_library(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:2]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO feeds(url, name, added_at) VALUES ('https://e.org/f', 'E', 'x')")
    conn.execute(
        "INSERT INTO articles(id, outlet, title, text, content_hash, origin, imported_at, "
        "published, feed_id) VALUES ('a1', 'E', 'Old one', 'Shoigu spoke', 'h1', "
        "'https://e.org/1', 'x', '2022-02-14', 1)"
    )
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
    [summary] = store.list_articles()
    assert (summary.id, summary.title) == ("a1", "Old one")
    assert not summary.read and not summary.saved
    assert [s.id for s in store.filter_articles("Shoigu")[0]] == ["a1"]
    assert store.feeds()[0].unread_count == 1 and store.feeds()[0].tags == ()
    assert store.tag_feed(1, ["world"]) == ["world"]
    assert [s.id for s in store.filter_articles("tag:world unread")[0]] == ["a1"]


def test_read_unread_and_mark_all_undo(store: Store) -> None:
    ids = [a.id for a in store.all_articles()]
    assert not any(s.read for s in store.list_articles())
    assert store.toggle_read(ids[0]) is True
    assert store.is_read(ids[0])
    changed = store.set_read(ids, True)  # "mark all read"
    assert set(changed) == set(ids[1:])  # the one read before is not in the undo list
    assert store.set_read(changed, False) == changed  # undo: only those
    assert store.is_read(ids[0])
    assert not any(store.is_read(i) for i in ids[1:])
    assert store.toggle_read(ids[0]) is False


def test_saved_articles_and_comparisons(store: Store) -> None:
    ids = [a.id for a in store.all_articles()]
    assert store.toggle_saved(ids[0]) is True
    assert [s.id for s in store.filter_articles("saved")[0]] == [ids[0]]
    assert store.toggle_saved(ids[0]) is False
    assert store.filter_articles("saved")[0] == []
    first = store.save_comparison("Embassies", ids[:3])
    again = store.save_comparison("Embassies again", ids[:3])
    assert first.id == again.id
    store.save_comparison("Other", ids[3:])
    saved = store.saved_comparisons()
    assert {c.article_ids for c in saved} == {tuple(ids[:3]), tuple(ids[3:])}
    assert store.remove_saved_comparison(first.id)
    assert [c.title for c in store.saved_comparisons()] == ["Other"]


def test_feed_tags_counts_and_cascade(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    a = feed_article(store, feed.id, 1)
    feed_article(store, feed.id, 2)
    assert store.tag_feed(feed.id, ["World", "europe", "world", " "]) == ["World", "europe"]
    got = store.get_feed(feed.id)
    assert got is not None and got.tags == ("World", "europe")
    assert (got.article_count, got.unread_count) == (2, 2)
    store.set_read([a])
    assert store.get_feed(feed.id).unread_count == 1  # type: ignore[union-attr]
    groups = store.tag_groups()
    assert ("europe", 2, 1) in groups and ("World", 2, 1) in groups
    assert groups[-1] == ("", 5, 5)  # the seeds: no feed, no tag
    assert store.mark_feed_read(feed.id) != []
    assert store.get_feed(feed.id).unread_count == 0  # type: ignore[union-attr]
    assert store.untag_feed(feed.id, ["WORLD", "nope"]) == ["WORLD"]
    assert store.get_feed(feed.id).tags == ("europe",)  # type: ignore[union-attr]
    store.remove_feed(feed.id)
    assert store.conn.execute("SELECT count(*) FROM feed_tags").fetchone()[0] == 0


def test_prune_keeps_seeds_saved_unread_and_saved_comparisons(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    ids = [
        feed_article(store, feed.id, n, f"Unique{n}word text of item {n} in Kyiv.")
        for n in range(6)
    ]
    seeds = [a.id for a in store.all_articles() if a.feed_id is None]
    store.set_read(ids[:5] + seeds)
    store.conn.execute(  # read long ago
        "UPDATE articles SET read_at = '2020-01-01T00:00:00Z' WHERE read_at IS NOT NULL"
    )
    store.toggle_saved(ids[1])
    store.save_comparison("kept", [ids[2], seeds[0]])
    assert store.prune(0) == 0  # 0 days: keep forever
    # 0, 3 and 4: read long ago; not 1 (saved), 2 (in a saved comparison), 5 (unread), seeds
    assert store.prune(30, dry_run=True) == 3
    assert store.count_articles() == 11
    assert store.filter_articles("Unique0word")[0]
    assert store.prune(30) == 3
    left = {a.id for a in store.all_articles()}
    assert left == {ids[1], ids[2], ids[5], *seeds}
    assert store.filter_articles("Unique0word")[0] == []
    assert store.filter_articles("Unique5word")[0]
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")


def test_prune_counts_only_old_reads(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    aid = feed_article(store, feed.id, 1)
    store.set_read([aid])  # read just now
    assert store.prune(1, dry_run=True) == 0


def test_seeds_import_into_migrated_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    import_seeds(store)
    assert len(store.filter_articles("unread")[0]) == 5
