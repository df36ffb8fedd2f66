"""The store: round trips, idempotent seeds, migrations, concurrency, corrupt files."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from reader.ingest.seeds import import_seeds, seed_articles
from reader.models import NewArticle
from reader.store import Store, StoreError
from reader.store.schema import SCHEMA_VERSION


def test_seed_import_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    assert import_seeds(store) == 5
    assert import_seeds(store) == 0
    store.set_meta("seeds_imported", "stale")  # even when forced, nothing is duplicated
    assert import_seeds(store) == 0
    assert store.count_articles() == 5


def test_seed_metadata(store: Store) -> None:
    by_outlet = {a.outlet: a for a in store.all_articles()}
    assert set(by_outlet) == {
        "DW",
        "JEN",
        "RFE/RL",
        "The Washington Post",
        "AFP via French-language outlet",
    }
    assert by_outlet["DW"].published == date(2022, 2, 14)
    assert by_outlet["AFP via French-language outlet"].published == date(2022, 1, 18)
    assert by_outlet["DW"].origin == "000_7159f09c2740a75b.txt"
    # titles: from the metadata where the text has one, derived from the lede otherwise
    assert by_outlet["The Washington Post"].title.startswith("U.S. will close American embassy")
    assert by_outlet["JEN"].title.startswith("Kyiv, Ukraine (JEN): The United States is closing")


def test_round_trip_and_dedupe(store: Store) -> None:
    new = NewArticle(
        outlet="Example",
        title="T",
        text="Body one.\n\nBody two.",
        published=date(2022, 2, 15),
        origin="/tmp/x.txt",
        url="https://example.org/a",
    )
    article, created = store.add_article(new)
    assert created
    again, created_again = store.add_article(new)
    assert not created_again and again.id == article.id
    # same text from elsewhere is the same article
    _, created_copy = store.add_article(
        NewArticle(outlet="Other", title="T2", text=new.text, published=None, origin="/tmp/y.txt")
    )
    assert not created_copy
    loaded = store.get_article(article.id)
    assert loaded is not None and loaded.text == "Body one.\n\nBody two."
    assert loaded.published == date(2022, 2, 15) and loaded.url == "https://example.org/a"


def test_seed_text_is_kept_as_published(store: Store) -> None:
    raw = (Path(__file__).parent.parent / "seeds" / "003_a0ff64bcedeab269.txt").read_text()
    wapo = next(a for a in store.all_articles() if a.outlet == "The Washington Post")
    assert "we have taken note of [Lavrov’s] comments" in wapo.text
    assert len(wapo.text) > 0.98 * len(raw.strip())
    assert [a.text for a in seed_articles()][3] == wapo.text


def test_store_sanitizes_on_the_way_in(store: Store) -> None:
    article, _ = store.add_article(
        NewArticle(
            outlet="Evil\x1b]2;x\x07 News",
            title="\x1b[2JTitle\u202e",
            text="a\x1b]52;c;Zm9v\x07b",
            published=None,
            origin="test",
        )
    )
    assert article.outlet == "Evil News" and article.title == "Title" and article.text == "ab"


def test_fts_search(store: Store) -> None:
    """Free words of a filter (the library's ``/``, ``parallax list --filter``)."""
    hits, _ = store.filter_articles("exhausted Lavrov")  # words in any order
    assert hits
    for hit in hits:
        text = store.get_article(hit.id).text  # type: ignore[union-attr]
        assert "Lavrov" in text and "exhausted" in text
    assert store.filter_articles('"; DROP TABLE articles; --')[0] == []
    assert store.filter_articles("Zelen")[0]  # prefixes match
    assert store.count_articles() == 5


def test_schema_version_and_wal(store: Store) -> None:
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this Parallax"):
        Store(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage" * 1000, b"SQLite format 3\x00" + b"\xff" * 5000],
    ids=["empty-file-is-fine", "random-bytes", "truncated-header"],
)
def test_corrupt_file_gets_one_line_and_is_not_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    if not content:
        Store(path)  # an empty file is a new database
        return
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "\n" not in str(info.value) and "move it aside" in str(info.value)
    assert path.read_bytes() == content


def _writer(path: str, worker: int, count: int) -> None:
    store = Store(path)
    for i in range(count):
        store.add_article(
            NewArticle(
                outlet=f"W{worker}",
                title=f"t{i}",
                text=f"text {worker} {i}",
                published=None,
                origin=f"w{worker}-{i}",
            )
        )
        store.add_article(
            NewArticle(
                outlet="shared", title="s", text=f"shared {i}", published=None, origin=f"shared-{i}"
            )
        )


def test_two_processes_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    Store(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 40)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = Store(path)
    assert store.count_articles() == 2 * 40 + 40
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
