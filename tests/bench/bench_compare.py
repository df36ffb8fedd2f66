"""Benchmark: keystroke to repaint in the compare view, measured with Pilot (budget 5).

    .venv/bin/python tests/bench/bench_compare.py [--size 80x24] [--json FILE]

Opens the analysed four-article seed story side by side (headless, Pilot) and times
``await pilot.press(key)`` + ``await pilot.pause()`` (the key handled and the screen
refreshed) over many presses of each kind: scrolling (j/k, pgdn/pgup), moving the
focus between panes (tab/shift+tab), and following the selected entity (Blinken) into
the next/previous pane (f/F). Reports the median wall time and the median CPU time of
the app's thread (Pilot runs the app on this thread, so the CPU column is steady when
the machine is busy). Budget: median under 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Row, emit
from library_gen import analysed_seeds_db

BUDGET_MS = 16.0


def p90(xs: object) -> float:
    ordered = sorted(xs)  # type: ignore[call-overload]
    return ordered[int(len(ordered) * 0.9)]


async def measure(
    db: Path, size: tuple[int, int], rounds: int
) -> dict[str, list[tuple[float, float]]]:
    from reader.tui.widgets.entity_sidebar import EntitySidebar
    from tests.tui_helpers import app_for, open_story

    app = app_for(db)
    out: dict[str, list[tuple[float, float]]] = {}
    async with app.run_test(size=size) as pilot:
        screen = await open_story(pilot, app)

        async def timed(kind: str, key: str) -> None:
            w0, c0 = time.perf_counter(), time.thread_time()
            await pilot.press(key)
            await pilot.pause()
            out.setdefault(kind, []).append((time.perf_counter() - w0, time.thread_time() - c0))

        for _ in range(2):  # warm-up: first paints, caches
            await pilot.press("j", "k", "tab", "shift+tab")
        for _ in range(rounds):
            for key in ("j", "j", "pagedown", "k", "k", "pageup"):
                await timed("scroll (j/k/pgdn/pgup)", key)
            for key in ("tab", "shift+tab"):
                await timed("focus (tab/shift+tab)", key)
        # Select Blinken in the sidebar, then follow him through the panes and back.
        await pilot.press("e")
        sidebar = screen.query_one(EntitySidebar)
        names = [str(sidebar.get_row_at(i)[0]) for i in range(sidebar.row_count)]
        sidebar.move_cursor(row=next(i for i, n in enumerate(names) if "Blinken" in n))
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(rounds):
            for key in ("f", "f", "f", "F", "F", "F"):
                await timed("follow entity (f/F)", key)
            for key in ("n", "N"):
                await timed("next mention (n/N)", key)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="80x24")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--db", type=Path, help="an analysed seed database (default: built here)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    w, h = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        db = args.db or analysed_seeds_db(Path(tmp) / "seeds.db")
        samples = asyncio.run(measure(db, (w, h), args.rounds))
    rows = []
    everything: list[tuple[float, float]] = []
    for kind, xs in samples.items():
        everything += xs
        wall = statistics.median(x[0] for x in xs) * 1000
        cpu = statistics.median(x[1] for x in xs) * 1000
        rows.append(
            Row(
                f"compare keystroke, {kind}, {args.size}",
                f"< {BUDGET_MS:.0f} ms",
                f"{wall:.1f} ms (cpu {cpu:.1f})",
                wall < BUDGET_MS,
                f"median of {len(xs)} presses; p90 {p90(x[0] for x in xs) * 1000:.1f} ms",
            )
        )
    wall = statistics.median(x[0] for x in everything) * 1000
    cpu = statistics.median(x[1] for x in everything) * 1000
    rows.append(
        Row(
            f"compare keystroke, all kinds, {args.size}",
            f"< {BUDGET_MS:.0f} ms",
            f"{wall:.1f} ms (cpu {cpu:.1f})",
            wall < BUDGET_MS,
        )
    )
    return emit("Compare view: keystroke to repaint (Pilot, headless)", rows, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
