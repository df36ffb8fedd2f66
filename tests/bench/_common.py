"""Shared by the benchmarks: the budget table, the machine line, timing helpers.

Owns: nothing the app uses. Every ``bench_*.py`` prints its rows as a table of
budget against measured value and, with ``--json FILE``, appends them to FILE so
``run_all.py`` can print one table for the README.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@dataclass
class Row:
    """One line of the table: what, its budget, what was measured, and whether it fits."""

    name: str
    budget: str
    measured: str
    ok: bool | None  # None: no budget (context only)
    note: str = ""


def machine() -> str:
    """nproc, CPU model, load average, Python: the line printed above every table."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model}), load average {load}, Python {platform.python_version()}"
    )


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}\n{machine()}\n")
    w = max(len(r.name) for r in rows) + 2
    head = f"{'benchmark':<{w}}{'budget':>14}{'measured':>22}  verdict"
    print(head)
    print("-" * len(head))
    for r in rows:
        verdict = "" if r.ok is None else ("ok" if r.ok else "OVER")
        print(f"{r.name:<{w}}{r.budget:>14}{r.measured:>22}  {verdict}")
        if r.note:
            print(f"{'':<{w}}  {r.note}")


def emit(title: str, rows: list[Row], json_path: str | None) -> int:
    """Print the table; append the rows to ``json_path``; exit status 1 when over budget."""
    print_table(title, rows)
    if json_path:
        with open(json_path, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"bench": title, **asdict(r)}) + "\n")
    return 1 if any(r.ok is False for r in rows) else 0


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Run a child process: (wall s, child CPU s, peak RSS MB of the child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=600, cwd=str(ROOT), check=False
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; the peak is read by
    # the child itself (it prints "rss_mb=..."), this is the fallback.
    rss = after.ru_maxrss / 1024
    return wall, cpu, int(rss), proc.stdout


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env
