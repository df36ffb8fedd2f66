"""Nothing stored is lost: a refresh killed with SIGKILL, two refreshes at once, feeds
reusing each other's GUIDs, and database files that are corrupt or unreadable.

The refreshes are the real ``parallax fetch --no-analyze`` in a subprocess against a
local server (pages answer slowly, so a kill lands mid-refresh); the database is then
read with plain ``sqlite3``.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.ingest.feeds.refresh import refresh_feeds
from reader.ingest.http import Limits
from reader.models import NewArticle
from reader.store import Store
from tests.feedserver import FeedServer, Route, rss
from tests.hostile.corpus import SENTENCE, page_raw

pytestmark = pytest.mark.network

PARALLAX = str(Path(sys.executable).with_name("parallax"))
FEEDS = 10
ITEMS = 12
PAGE_DELAY = 0.08  # seconds each page takes to answer
KILLS = 5
FAST = Limits(connect_timeout=2, read_timeout=2, deadline=5, max_bytes=1024 * 1024)


def slow_page(body: bytes, delay: float):  # type: ignore[no-untyped-def]
    def handle(req) -> None:  # type: ignore[no-untyped-def]
        time.sleep(delay)
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handle


def publish(server: FeedServer, generation: int) -> set[str]:
    """FEEDS feeds of ITEMS new items (GUIDs of this generation), each item's page
    answering after PAGE_DELAY; returns the GUIDs."""
    guids = set()
    for f in range(FEEDS):
        items = []
        for i in range(ITEMS):
            guid = f"s{f}-g{generation}-i{i}"
            page = f"/s{f}/{guid}.html"
            paragraphs = [f"{guid} paragraph {p}. {SENTENCE}" for p in range(6)]
            server.routes[page] = Route(
                handler=slow_page(page_raw(f"item {guid}", paragraphs), PAGE_DELAY)
            )
            items.append(
                {
                    "title": f"Item {guid}",
                    "link": server.url(page),
                    "guid": guid,
                    "description": f"{guid} summary.",
                }
            )
            guids.add(guid)
        server.add(
            f"/s{f}/rss.xml", rss(f"Slow outlet {f}", items), content_type="application/rss+xml"
        )
    return guids


@pytest.fixture
def slow_site() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


def subscribe(db: Path, server: FeedServer) -> None:
    store = Store(db)
    for f in range(FEEDS):
        store.add_feed(server.url(f"/s{f}/rss.xml"), f"Slow outlet {f}")
    store.close()


def fetch_cmd(db: Path) -> list[str]:
    return [PARALLAX, "--db", str(db), "fetch", "--no-analyze"]


def snapshot(db: Path) -> dict[str, tuple[str, str, str, str | None]]:
    """Every stored article: id -> (title, text, content hash, feed GUID)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT id, title, text, content_hash, guid FROM articles").fetchall()
    finally:
        conn.close()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def check_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        dupes = conn.execute(
            "SELECT feed_id, guid, count(*) FROM articles WHERE guid IS NOT NULL "
            "GROUP BY feed_id, guid HAVING count(*) > 1"
        ).fetchall()
        assert dupes == []
    finally:
        conn.close()


def test_refresh_killed_at_random_points_loses_nothing(
    slow_site: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    publish(slow_site, 0)
    subscribe(db, slow_site)
    seed = int(os.environ.get("PARALLAX_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    before = snapshot(db)
    partial = False  # a kill landed after some writes and before the end
    env = {**os.environ, "PARALLAX_CONFIG_DIR": str(tmp_path / "config")}
    for attempt in range(KILLS):
        publish(slow_site, attempt)  # every attempt has new items to store
        delay = rng.uniform(0.5, 3.5)
        proc = subprocess.Popen(
            fetch_cmd(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        check_consistent(db)
        after = snapshot(db)
        lost = {k for k in before if k not in after}
        changed = {k for k in before if k in after and after[k] != before[k]}
        where = f"seed {seed}, attempt {attempt}, killed after {delay:.2f} s"
        assert not lost and not changed, where
        partial |= proc.returncode == -signal.SIGKILL and len(after) > len(before)
        before = after
    # Finished without a kill, the library holds every item of the last feeds exactly once.
    last = publish(slow_site, KILLS)
    done = subprocess.run(fetch_cmd(db), capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    check_consistent(db)
    final = snapshot(db)
    assert all(final[k] == v for k, v in before.items())
    assert last <= {v[3] for v in final.values()}
    assert len({v[2] for v in final.values()}) == len(final)
    if not partial:  # the random delays all fell before the first write or after the last
        pytest.skip(f"seed {seed}: no kill landed between two writes (the checks above held)")


def test_two_refreshes_at_once_store_everything_once(slow_site: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    guids = publish(slow_site, 0)
    subscribe(db, slow_site)
    env = {**os.environ, "PARALLAX_CONFIG_DIR": str(tmp_path / "config")}
    procs = [
        subprocess.Popen(fetch_cmd(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err.decode()
        assert b"Traceback" not in err
    check_consistent(db)
    final = snapshot(db)
    assert len(final) == FEEDS * ITEMS + 5
    assert len({v[2] for v in final.values()}) == len(final)  # no text stored twice
    assert {v[3] for v in final.values() if v[3]} == guids


# -- articles are keyed per feed ------------------------------------------------------------


def test_one_feed_cannot_overwrite_another_feeds_articles(tmp_path: Path) -> None:
    server = FeedServer().start()
    try:
        store = Store(tmp_path / "keyed.db")

        def publish(path: str, outlet: str, texts: dict[str, str]) -> None:
            server.add(
                path,
                rss(
                    outlet,
                    [
                        {"title": f"{outlet} {g}", "link": "", "guid": g, "description": t}
                        for g, t in texts.items()
                    ],
                ),
                content_type="application/rss+xml",
            )

        publish("/a.xml", "Outlet A", {"g1": "A's first story.", "g2": "A's second story."})
        a, _ = store.add_feed(server.url("/a.xml"), "Outlet A")
        refresh_feeds(store, pages=False, feed_limits=FAST)
        a_before = {x.guid: x for x in store.all_articles() if x.feed_id == a.id}
        assert set(a_before) == {"g1", "g2"}

        # B reuses A's GUIDs for other stories, and one of A's exact texts.
        publish("/b.xml", "Outlet B", {"g1": "B's own story.", "g2": "A's second story."})
        b, _ = store.add_feed(server.url("/b.xml"), "Outlet B")
        # A re-publishes its GUIDs with new text: a stored article is never rewritten.
        publish("/a.xml", "Outlet A", {"g1": "A rewrote g1.", "g2": "A's second story."})
        refresh_feeds(store, pages=False, feed_limits=FAST)

        now = store.all_articles()
        a_after = {x.guid: x for x in now if x.feed_id == a.id}
        b_after = {x.guid: x for x in now if x.feed_id == b.id}
        assert a_after == a_before
        # Keyed per feed (issue 16): B keeps its own items, the text A also carries
        # included; the same story in two feeds is two articles (stories group them).
        assert {g: x.text for g, x in b_after.items()} == {
            "g1": "B's own story.",
            "g2": "A's second story.",
        }
        assert sum(x.text == "A's second story." for x in now) == 2  # once per feed

        # The store itself: the same (GUID, text) under another feed is not an update.
        c, _ = store.add_feed("http://c.example/rss", "Outlet C")
        new = NewArticle(
            outlet="B",
            title="t",
            text="Different text for g2.",
            published=None,
            origin="x",
            url=None,
            author=None,
            feed_id=c.id,
            guid="g2",
        )
        ((_art, created),) = store.add_articles([(new, None)])
        assert created
        assert {x.guid: x for x in store.all_articles() if x.feed_id == a.id} == a_before
    finally:
        server.stop()


# -- corrupt and unreadable database files ----------------------------------------------------


def _good_db(path: Path) -> bytes:
    from reader.ingest.seeds import import_seeds

    store = Store(path)
    import_seeds(store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return data


CORRUPTIONS = {
    "truncated-half": lambda good: good[: len(good) // 2],
    "truncated-header": lambda good: good[:100],
    "random-bytes": lambda good: random.Random(9).randbytes(200_000),
    "zeroed-pages": lambda good: good[:4096] + bytes(len(good) - 4096),
    "garbage-pages": lambda good: good[:4096] + random.Random(7).randbytes(len(good) - 4096),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
@pytest.mark.parametrize(
    "command",
    [[], ["list"], ["fetch", "--no-analyze"], ["feeds", "list"]],
    ids=["tui", "list", "fetch", "feeds-list"],
)
def test_corrupt_database_gets_one_line_and_is_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: list[str]
) -> None:
    good = _good_db(tmp_path / "good.db")
    db = tmp_path / f"{kind}.db"
    db.write_bytes(CORRUPTIONS[kind](good))
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    code = main(["--db", str(db), *command])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not a readable Parallax database" in err and "move it aside" in err
    assert f"mv '{db}'" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_corrupt_database_real_tui_process(tmp_path: Path) -> None:
    """The real `parallax` (the TUI) on random bytes: one line on stderr, exit 1, file kept."""
    db = tmp_path / "random.db"
    data = random.Random(3).randbytes(64 * 1024)
    db.write_bytes(data)
    env = {**os.environ, "PARALLAX_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.run(
        [PARALLAX, "--db", str(db)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"parallax: {db} is not a readable Parallax database")
    assert "move it aside" in proc.stderr
    assert db.read_bytes() == data


def test_unusable_database_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a-directory.db"
    db.mkdir()
    assert main(["--db", str(db), "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("parallax: cannot use database")
    assert db.is_dir() and list(db.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "locked.db"
    _good_db(db)
    db.chmod(0)
    try:
        assert main(["--db", str(db), "list"]) == 1
        assert "permission denied" in capsys.readouterr().err
    finally:
        db.chmod(0o600)
