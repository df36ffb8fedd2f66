"""Benchmark: a generated library of 100,000 articles (budget 4).

    .venv/bin/python tests/bench/bench_library.py [--articles 100000] [--json FILE]

Generates the library through the Store API (``library_gen.py``: seed paragraphs
recombined, 12 outlets, ~7 years of dates, stories of 1..6 articles, every article
with a cached analysis composed from the seeds' real ones); the file is kept in
/tmp/parallax-bench-cache and reused (delete it to regenerate). Then measures:

- the library screen opening: from pushing ``LibraryScreen`` to its table filled and
  the screen refreshed (Pilot, headless, 80x24; median of 5);
- full-text search (``Store.search``, what ``/`` runs): a rare word, a common word,
  two words, a prefix (median of 20 each, after one warm-up);
- the database file against the raw text (titles + texts, UTF-8), with the share of
  each table and index (``dbstat``).
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
from library_gen import cached_library

OPEN_MS = 300
SEARCH_MS = 50
SIZE_RATIO = 2.0
QUERIES = {
    "rare word": "Shoigu",
    "common word": "embassy",
    "two words": "Lviv diplomats",
    "prefix": "diplom",
}


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
        for label, query in QUERIES.items():
            store.search(query)
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                hits = store.search(query)
                times.append(time.perf_counter() - t0)
            t = statistics.median(times) * 1000
            rows.append(
                Row(
                    f"search, {label} ({query!r})",
                    f"< {SEARCH_MS} ms",
                    f"{t:.1f} ms",
                    t < SEARCH_MS,
                    f"{len(hits)} hits shown",
                )
            )
        store.close()
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
