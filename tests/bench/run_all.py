"""Run every benchmark and print one budget table (the README's Performance table).

    .venv/bin/python tests/bench/run_all.py [--quick] [--markdown]

Runs, each in its own process: bench_startup (warm/cold start, memory),
bench_analysis (throughput), bench_library (100,000 articles; the generated file is
cached in /tmp/parallax-bench-cache), bench_compare (keystroke to repaint),
bench_alignment and bench_fetch (vs newsboat, when installed; with ``--command``, the
whole ``parallax fetch`` command too). Each prints its own
table; this prints them together, with the machine line, as Markdown with
``--markdown``. ``--quick`` uses smaller sizes (10,000 articles, fewer runs).
Exit status 1 when any budget is over.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import PYTHON, ROOT, child_env, machine  # noqa: E402
from library_gen import cached_library_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    n = 10_000 if args.quick else 100_000
    runs = "3" if args.quick else "7"
    start_machine = machine()
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        out = Path(tmp) / "rows.jsonl"
        lib = cached_library_path(n)
        plan = [
            ["bench_library.py", "--articles", str(n)],
            ["bench_startup.py", "--runs", runs, "--library", str(lib)],
            ["bench_analysis.py"],
            ["bench_compare.py"],
        ]
        failed = False
        for cmd in plan:
            proc = subprocess.run(
                [PYTHON, str(HERE / cmd[0]), *cmd[1:], "--json", str(out)],
                cwd=ROOT,
                env=child_env(),
                check=False,
            )
            failed |= proc.returncode != 0
        rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
        extra = []
        for script, *options in (("bench_alignment.py",), ("bench_fetch.py", "--command")):
            proc = subprocess.run(
                [PYTHON, str(HERE / script), *options],
                cwd=ROOT,
                env=child_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            print(proc.stdout)
            extra.append((script, proc.stdout, proc.returncode))
            failed |= proc.returncode != 0
    print(f"\nAll budgets ({start_machine}; at the end: {machine()})\n")
    if args.markdown:
        print("| benchmark | budget | measured | verdict |\n| --- | --- | --- | --- |")
    for r in rows:
        verdict = "" if r["ok"] is None else ("ok" if r["ok"] else "**over**")
        if args.markdown:
            print(f"| {r['name']} | {r['budget']} | {r['measured']} | {verdict} |")
        else:
            print(f"{r['name']:<62}{r['budget']:>16}{r['measured']:>30}  {verdict}")
    for script, _, code in extra:
        print(f"{script}: see its table above (exit status {code})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
