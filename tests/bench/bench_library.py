"""Benchmark: a generated library of 100,000 articles (budget 4).

    .venv/bin/python tests/bench/bench_library.py [--articles 100000] [--json FILE]

Generates the library through the Store API (``library_gen.py``: seed paragraphs
recombined, 12 outlets, ~7 years of dates, stories of 1..6 articles, every article
with a cached analysis composed from the seeds' real ones); the file is kept in
/tmp/parallax-bench-cache and reused (delete it to regenerate). Then measures:

- the library screen opening: from pushing ``LibraryScreen`` to its table filled and
  the screen refreshed (Pilot, headless, 80x24; median of 5);
- the database file against the raw text (titles + texts, UTF-8), with the share of
  each table and index (``dbstat``);
- the filters (``Store.filter_articles``, what ``/`` and ``parallax list --filter`` run)
  after ``add_reading_state`` made the outlets tagged feeds and marked 60% of the
  older articles read and one in 200 saved: each typical filter and some combinations
  (median of 10 after one warm-up, wall and thread CPU time, with the query plan's
  first step), the tag grouping's counts (``g``), and "mark story read" (``M``, which
  runs on the UI thread);
- the story regroup after 20 new articles on the library's last day (what ``fetch``
  and the app's background analysis run).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Row, emit
from library_gen import add_reading_state, cached_library

OPEN_MS = 300
SIZE_RATIO = 2.0
FILTER_MS = 50
FILTERS = [
    "unread",
    "read",
    "saved",
    "outlet:bbc",
    "outlet:jen",
    "tag:world",
    "tag:rare",
    "feed:Reuters",
    "since:2024-01-01 until:2024-01-31",
    "embassy",
    "Shoigu",
    "diplom",
    "outlet:bbc unread embassy",
    "tag:europe saved",
    "unread since:2020-01-01 until:2020-06-30 diplom",
    "outlet:kyiv read",
    "saved Shoigu",
]


async def open_library(db: Path, runs: int) -> tuple[list[float], list[float], int, str]:
    from textual.widgets import DataTable, Static

    from reader.tui.screens.library import LibraryScreen
    from tests.tui_helpers import app_for, settle

    app = app_for(db)
    walls, cpus = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(runs):
            w0, c0 = time.perf_counter(), time.thread_time()
            screen = LibraryScreen()
            await app.push_screen(screen)
            table = screen.query_one("#library", DataTable)
            while table.row_count == 0:
                await asyncio.sleep(0.001)
            await pilot.pause()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.thread_time() - c0)
            rows = table.row_count
            status = str(screen.query_one("#status", Static).visual)
            app.pop_screen()
            await settle(pilot)
    return walls, cpus, rows, status


def db_breakdown(path: Path) -> tuple[int, list[tuple[str, int]]]:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:
        parts = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.OperationalError:
        parts = []
    conn.close()
    return path.stat().st_size, parts


def _median_ms(fn, runs: int = 10) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    result = fn()
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.thread_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.thread_time() - c0)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, result


def filter_rows(db: Path) -> list[Row]:
    from reader.store import Store

    store = Store(db)
    out: list[Row] = []
    for text in FILTERS:
        wall, cpu, result = _median_ms(lambda text=text: store.filter_articles(text))
        found, more = result  # type: ignore[misc]
        plan = store.explain_filter(text)
        out.append(
            Row(
                f"filter {text!r}",
                f"< {FILTER_MS} ms",
                f"{wall:.1f} ms (cpu {cpu:.1f})",
                wall < FILTER_MS,
                f"{len(found)}{'+' if more else ''} rows; {plan[0]}",
            )
        )
    wall, cpu, groups = _median_ms(store.tag_groups, runs=5)
    out.append(
        Row(
            "tag grouping counts (g, in a worker)",
            "< 300 ms",
            f"{wall:.0f} ms (cpu {cpu:.0f})",
            wall < 300,
            ", ".join(f"{t or 'untagged'} {n}/{u} unread" for t, n, u in groups),  # type: ignore[attr-defined]
        )
    )
    story_ids = [s.article_ids for s in store.recent_stories(5)[0]]
    times = []
    for ids in story_ids:
        w0 = time.perf_counter()
        store.set_read(list(ids), True)
        times.append(time.perf_counter() - w0)
        store.set_read(list(ids), False)
    t = statistics.median(times) * 1000
    out.append(
        Row(
            "mark story read (M, on the UI thread)",
            "< 16 ms",
            f"{t:.1f} ms",
            t < 16,
            f"median of {len(times)} stories",
        )
    )
    store.close()
    return out


def regroup_row(db: Path) -> Row:
    """The regroup after a refresh: 20 new articles dated on the library's last day
    (``regroup(store, changed)``: their neighbourhood, not the whole library)."""
    import resource

    from bench_analysis import new_articles

    from reader.analysis.stories import regroup
    from reader.store import Store

    store = Store(db)
    newest = store.list_articles(limit=1)[0].published
    ids = []
    for a in new_articles(20, 99):
        article, _ = store.add_article(
            a.__class__(a.outlet, a.title, a.text, newest, f"bench-regroup:{a.origin}")
        )
        ids.append(article.id)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    formed = regroup(store, ids)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss
    store.close()
    return Row(
        "regroup after 20 new articles (their 7-day neighbourhood and its stories)",
        "(fast at every size)",
        f"{wall:.2f} s (cpu {cpu:.2f})",
        None,
        f"{sum(len(s.article_ids) for s in formed)} articles regrouped into {len(formed)} "
        f"stories; peak RSS grew {max(grown, 0):.0f} MB",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    from reader.store import Store

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        db, raw = cached_library(args.articles, Path(tmp))
        size, parts = db_breakdown(db)
        store = Store(db)
        n = store.count_articles()
        walls, cpus, shown, status = asyncio.run(open_library(db, args.runs))
        wall = statistics.median(walls) * 1000
        rows.append(
            Row(
                f"library screen opens, {n:,} articles",
                f"< {OPEN_MS} ms",
                f"{wall:.0f} ms (cpu {statistics.median(cpus) * 1000:.0f})",
                wall < OPEN_MS,
                f"{shown} rows shown; status: {status}",
            )
        )
        store.close()
        add_reading_state(db)
        rows += filter_rows(db)
        rows.append(regroup_row(db))
        top = ", ".join(f"{name} {pg / raw:.2f}x" for name, pg in parts[:5])
        rows.append(
            Row(
                "database size / raw text (titles + texts)",
                f"< {SIZE_RATIO:.1f}x",
                f"{size / 2**20:,.0f} MB / {raw / 2**20:,.0f} MB = {size / raw:.2f}x",
                size / raw < SIZE_RATIO,
                top,
            )
        )
    return emit(f"Generated library ({args.articles:,} articles)", rows, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
