"""Issue 17: faults of the library file itself, each reproduced, each one clear line.

A full disk (a small tmpfs the test mounts when run as root), a write lock held by
another process, another application's SQLite file, a read-only file or folder,
filters SQLite cannot run, and ``parallax remove``.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.ingest.seeds import import_seeds
from reader.models import NewArticle
from reader.store import Store, StoreError
from reader.store.db import APPLICATION_ID
from reader.store.filters import MAX_TERMS, FilterError, parse_filter

ROOT = os.geteuid() == 0


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _mount(target: Path, *options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", *options, str(target)], check=True, capture_output=True)


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def _words(n: int, seed: int) -> str:
    """Text that compresses badly (the pages fill as fast as the text grows)."""
    rng = random.Random(seed)
    return " ".join(
        hashlib.sha1(str(rng.random()).encode()).hexdigest()[: rng.randint(3, 10)] for _ in range(n)
    )


# -- a full disk ----------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not ROOT:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    disk = tmp_path / "disk"
    try:
        _mount(disk, "-t", "tmpfs", "-o", "size=3m", "tmpfs")
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc.stderr.decode().strip()}")
    yield disk
    _umount(disk)


def test_full_disk_says_disk_full_and_loses_nothing(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = small_disk / "parallax.db"
    store = Store(db)
    import_seeds(store)
    stored = store.count_articles()
    with pytest.raises(StoreError, match="disk is full") as caught:
        for n in range(200):
            store.add_article(
                NewArticle(
                    outlet="Filler",
                    title=f"filler {n}",
                    text=_words(20_000, n),
                    published=None,
                    origin=f"f{n}",
                )
            )
            stored += 1
    assert "rollback" not in str(caught.value)
    assert store.count_articles() == stored  # what was stored before is all there

    # The command line: an import that does not fit is one line, exit 1, no traceback.
    big = tmp_path / "big.txt"
    big.write_text(_words(200_000, 999), encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db), "import", str(big))
    assert code == 1
    assert err.startswith("parallax: cannot write to") and "disk is full" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    store.close()

    # Everything is still readable afterwards, and nothing was lost.
    again = Store(db)
    assert again.count_articles() == stored
    assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- a write lock held by another process ------------------------------------------
def test_held_write_lock_is_busy_not_a_freeze(tmp_path: Path) -> None:
    db = tmp_path / "parallax.db"
    store = Store(db)
    import_seeds(store)
    aid = store.list_articles()[0].id
    other = sqlite3.connect(db, isolation_level=None)  # a backup, a long fetch
    other.execute("BEGIN IMMEDIATE")
    try:
        store.set_busy_timeout(50)  # what the app's UI thread does
        with pytest.raises(StoreError, match=r"the library is busy.*try again"):
            store.toggle_saved(aid)
        assert store.list_articles()  # reading goes on meanwhile (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.toggle_saved(aid) is True  # and once the lock is gone, it works


# -- another application's SQLite file -------------------------------------------------
def test_foreign_sqlite_file_is_refused_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "some-other-app.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '555')")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    code, out, err = run(capsys, "--db", str(foreign), "list")
    assert code == 1 and not out
    assert "another application's SQLite file" in err and len(err.splitlines()) == 1
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["some-other-app.sqlite"]  # no WAL

    # Another application id, even with tables named like ours: refused too.
    marked = tmp_path / "marked.sqlite"
    conn = sqlite3.connect(marked)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE meta (key TEXT)")
    conn.execute("CREATE TABLE articles (id TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        Store(marked)


def test_our_files_carry_our_application_id(tmp_path: Path) -> None:
    Store(tmp_path / "new.db").close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # An empty SQLite file (no tables) becomes a library as before.
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("VACUUM")
    Store(empty).close()


def test_library_of_an_older_parallax_without_application_id_opens(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = Store(db)
    import_seeds(store)
    store.conn.execute("PRAGMA application_id = 0")  # as every file before issue 17
    store.close()
    again = Store(db)
    assert again.count_articles() == 5
    assert again.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# -- a read-only file or folder ---------------------------------------------------------
@pytest.fixture
def read_only_library(tmp_path: Path) -> Iterator[Path]:
    """A seeded library in a folder this process cannot write (a read-only bind mount
    as root, whom file modes do not stop; ``chmod`` otherwise)."""
    folder = tmp_path / "lib"
    folder.mkdir()
    store = Store(folder / "parallax.db")
    import_seeds(store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    if ROOT:
        view = tmp_path / "ro"
        try:
            _mount(view, "--bind", str(folder))
            subprocess.run(
                ["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True
            )
        except subprocess.CalledProcessError as exc:
            _umount(view)
            pytest.skip(f"cannot make a read-only mount here: {exc.stderr.decode().strip()}")
        yield view / "parallax.db"
        _umount(view)
    else:
        (folder / "parallax.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder / "parallax.db"
        folder.chmod(0o755)


def test_read_only_library_lists_with_one_line_saying_changes_are_off(
    read_only_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(read_only_library), "list")
    assert code == 0
    assert len(out.splitlines()) == 6  # header + the five seeds
    assert (
        err.strip() == f"parallax: {read_only_library} is read-only: reading works, changes are off"
    )

    store = Store(read_only_library)
    assert store.read_only
    assert store.filter_articles("outlet:dw")[0]
    with pytest.raises(StoreError, match="read-only: changes are off"):
        store.toggle_saved(store.list_articles()[0].id)
    code, _, err = run(capsys, "--db", str(read_only_library), "remove", "abc")
    assert code == 1 and "read-only" in err


# -- filters SQLite cannot run ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("until:9999-12-31", None),
        ("since:0001-01-01 until:9999-12-31", None),
        (" ".join(f"outlet:o{i}" for i in range(1100)), "too many terms (1100)"),
        ("-".join(["w"] * (MAX_TERMS + 1)), "too many words"),
    ],
    ids=["until-last-day", "whole-calendar", "1100-outlets", "one-token-many-words"],
)
def test_extreme_filters(store: Store, text: str, message: str | None) -> None:
    if message is None:
        found, _ = store.filter_articles(text)
        assert len(found) == 5
    else:
        with pytest.raises(FilterError, match=re.escape(message)):
            parse_filter(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "until:9999-12-31"], None),
        (["--filter", " ".join(f"outlet:o{i}" for i in range(1100))], "too many terms"),
        (["--filter", "dw", "--limit", str(10**20)], "--limit must be a whole number"),
        (["--filter", "dw", "--limit", "0"], "--limit must be a whole number"),
    ],
    ids=["until-last-day", "1100-outlets", "limit-1e20", "limit-0"],
)
def test_extreme_filters_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str | None
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "db"), "list", *args)
    if message is None:
        assert code == 0 and len(out.splitlines()) == 6
    else:
        assert code == 1 and message in err and len(err.splitlines()) == 1
    assert "Traceback" not in err and "cannot use database" not in err


# -- parallax remove ----------------------------------------------------------------------
def test_remove_deletes_articles_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    store = Store(db)
    import_seeds(store)
    first, second = [a.id for a in store.list_articles()[:2]]
    store.save_comparison("pair", [first, second])
    code, out, err = run(capsys, "--db", str(db), "remove", first, "nosuchid")
    assert code == 1
    assert out.startswith(f"removed: {first} ")
    assert err.strip() == "parallax: no article 'nosuchid' in the library"
    assert store.get_article(first) is None and store.get_article(second) is not None
    word = store.get_articles([second])[0].title.split()[0]
    assert not store.filter_articles(word + " zzznothing")[0]
    assert store.saved_comparisons()[0].article_ids == (second,)
    code, out, _ = run(capsys, "--db", str(db), "list")
    assert first not in out and len(out.splitlines()) == 5  # header + four
