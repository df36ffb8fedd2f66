"""Benchmark: warm and cold start, and peak memory (budgets 1, 2 and 6).

    .venv/bin/python tests/bench/bench_startup.py [--runs 7] [--library DB] [--json FILE]

Every measurement is a whole child process, headless, timed from the command to its
exit, so interpreter start-up and imports count:

- **bare**: a Textual app with Header, Static and Footer that exits after its first
  refresh (the floor);
- **warm**: ``parallax --db analysed.db`` (``reader.cli.main``, with ``App.run``
  made headless) that exits after the first refresh following the library table's
  first fill, on the analysed seed library. The child reports whether spaCy was
  imported and whether any analysis ran (neither may happen), and its peak RSS;
- **warm, library**: the same on a generated library of analysed articles
  (``--library``, made by ``bench_library.py``: 100,000 from ``run_all.py``, 10,000
  with its ``--quick``), when given;
- **cold**: the same command on a fresh database: the seeds are listed (time to the
  first fill), then the background analysis runs; the child exits when the stories
  have been regrouped with the analyses (analysis done), reporting both times;
- **spaCy + story**: the analysed seed library, the four-article story opened in the
  compare view, and the spaCy model loaded and run on one article: peak RSS.

Medians of ``--runs`` alternating runs (bare and warm interleaved, so load drifts hit
both); wall time and the child's CPU time (user+sys). Parallax's modules are
byte-compiled first (``compileall``), as an installed package's are: Textual's in
site-packages are, and with ``PYTHONDONTWRITEBYTECODE=1`` and an editable install each
start would otherwise compile Parallax from source (``--source`` measures that).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, Row, child_env, emit, median, run_timed
from library_gen import analysed_seeds_db

WARM_RATIO = 1.5
COLD_ANALYSIS_S = 3.0
WARM_RSS_MB = 150
SPACY_RSS_MB = 400

_REPORT = """
import resource, sys, json
def _report(**extra):
    # VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across fork+exec.
    status = open("/proc/self/status").read()
    rss = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print("RESULT " + json.dumps(dict(rss_mb=rss, spacy="spacy" in sys.modules, **extra)))
"""

BARE = (
    _REPORT
    + """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Parallax")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(80, 24))
_report()
"""
)

PARALLAX = (
    _REPORT
    + """
import time
T0 = time.perf_counter()
import importlib.machinery
MODE = sys.argv[1]
marks = {}
analysed = []

def _patch(tui_app):
    # Run once ``reader.tui.app`` (and so Textual) is imported, where the real command
    # imports it: headless, exit after the first fill (warm) or the regroup (cold).
    from textual.app import App
    _run = App.run
    def _headless(self, *a, **k):
        k.update(headless=True, size=(80, 24))
        return _run(self, *a, **k)
    App.run = _headless
    from reader.tui.screens import library
    _fill = library.LibraryScreen._fill
    def fill(self, message):
        _fill(self, message)
        if "listed" not in marks and self.query_one("#library").row_count:
            marks["listed"] = time.perf_counter() - T0
            if MODE == "warm":
                self.app.call_after_refresh(self.app.exit)
    library.LibraryScreen._fill = fill
    if MODE == "cold":
        import reader.analysis.stories as stories
        _regroup = stories.regroup
        def regroup(store, *args, **kwargs):
            out = _regroup(store, *args, **kwargs)
            if "analysed" in marks:
                marks["regrouped"] = time.perf_counter() - T0
                APP.call_from_thread(APP.exit)
            return out
        stories.regroup = regroup
        _make = tui_app.make_app
        def make(*a, **k):
            global APP
            APP = _make(*a, **k)
            return APP
        tui_app.make_app = make

def _patch_cache(cache):
    # Only when the app imports it (a warm start does not, before its first frame).
    _ensure = cache.ensure_analyses
    def ensure(store, articles, *a, **k):
        before = len(cache.cached_analyses(store, articles))
        out = _ensure(store, articles, *a, **k)
        analysed.append(len(articles) - before)
        marks["analysed"] = time.perf_counter() - T0
        return out
    cache.ensure_analyses = ensure

HOOKS = {"reader.tui.app": _patch, "reader.analysis.cache": _patch_cache}

class _AfterImport:
    def find_spec(self, name, path, target=None):
        hook = HOOKS.pop(name, None)
        if hook is None:
            return None
        if not HOOKS:
            sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run_module = spec.loader.exec_module
        def exec_module(module):
            run_module(module)
            hook(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _AfterImport())
from reader.cli import main
rc = main(["--db", sys.argv[2]])
_report(rc=rc, n_analysed=sum(analysed), **marks)
"""
)


def child(code: str, *args: str) -> tuple[float, float, dict]:
    wall, cpu, _, out = run_timed([PYTHON, "-c", code, *args], env=child_env())
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return wall, cpu, json.loads(line[7:])


SPACY_STORY = """
import asyncio, sys
sys.path.insert(0, sys.argv[2])
from tests.tui_helpers import app_for, open_story
from reader.analysis import nlp
async def main():
    app = app_for(sys.argv[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, app)
        nlp.analyse_texts([("x", app.store.all_articles()[0].text)])
        await pilot.press("j", "tab", "j")
        await pilot.pause()
asyncio.run(main())
hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print("RESULT", hwm, "spacy" in sys.modules)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--library", type=Path, help="a generated 100k library (bench_library.py)")
    ap.add_argument("--json")
    ap.add_argument(
        "--source",
        action="store_true",
        help="leave Parallax's modules uncompiled: with PYTHONDONTWRITEBYTECODE=1 and an "
        "editable install every start compiles them (~50 ms); an installed Parallax has "
        "its bytecode, as Textual's in site-packages has",
    )
    args = ap.parse_args(argv)
    if not args.source:
        import compileall

        compileall.compile_dir(str(Path(__file__).resolve().parents[2] / "reader"), quiet=1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        work = Path(tmp)
        seeds = analysed_seeds_db(work / "seeds.db")
        bare: list[tuple[float, float]] = []
        warm: list[tuple[float, float]] = []
        warm_info: list[dict] = []
        bare_rss: list[float] = []
        child(BARE)  # warm the OS file cache for both
        child(PARALLAX, "warm", str(seeds))
        for _ in range(args.runs):
            w, c, info = child(BARE)
            bare.append((w, c))
            bare_rss.append(info["rss_mb"])
            w, c, info = child(PARALLAX, "warm", str(seeds))
            warm.append((w, c))
            warm_info.append(info)
        b_wall, b_cpu = median([x[0] for x in bare]), median([x[1] for x in bare])
        w_wall, w_cpu = median([x[0] for x in warm]), median([x[1] for x in warm])
        spacy = any(i["spacy"] for i in warm_info)
        analysed = sum(i["n_analysed"] for i in warm_info)
        rows.append(
            Row(
                "bare Textual app (Header, Static, Footer), first refresh",
                "(floor)",
                f"{b_wall:.2f} s (cpu {b_cpu:.2f})",
                None,
            )
        )
        rows.append(
            Row(
                "warm start, analysed seeds, to the painted library",
                f"< {WARM_RATIO}x floor",
                f"{w_wall:.2f} s = {w_wall / b_wall:.2f}x (cpu {w_cpu / b_cpu:.2f}x)",
                w_wall <= WARM_RATIO * b_wall and not spacy and analysed == 0,
                f"spaCy imported: {'yes' if spacy else 'no'}; articles analysed: {analysed}; "
                f"median of {args.runs}; Parallax's bytecode "
                + ("not compiled (--source)" if args.source else "compiled, as installed"),
            )
        )
        if args.library:
            lib: list[tuple[float, float]] = []
            lib_info = []
            for _ in range(max(3, args.runs // 2)):
                w, c, info = child(PARALLAX, "warm", str(args.library))
                lib.append((w, c))
                lib_info.append(info)
            l_wall = median([x[0] for x in lib])
            from reader.store import Store

            store = Store(args.library)
            size = store.count_articles()
            store.close()
            rows.append(
                Row(
                    f"warm start, {size:,} analysed articles",
                    f"< {WARM_RATIO}x floor",
                    f"{l_wall:.2f} s = {l_wall / b_wall:.2f}x "
                    f"(cpu {median([x[1] for x in lib]) / b_cpu:.2f}x)",
                    l_wall <= WARM_RATIO * b_wall and not any(i["spacy"] for i in lib_info),
                    f"peak RSS {max(i['rss_mb'] for i in lib_info):.0f} MB",
                )
            )
        cold = []
        for n in range(3):
            db = work / f"cold{n}.db"
            w, c, info = child(PARALLAX, "cold", str(db))
            cold.append((w, c, info))
        listed = median([x[2]["listed"] for x in cold])
        analysed_at = median([x[2]["analysed"] for x in cold])
        regrouped = median([x[2]["regrouped"] for x in cold])
        rows.append(
            Row(
                "cold start, fresh db: seeds listed",
                "at once",
                f"{listed:.2f} s",
                None,
                "after the command's imports (same path as a warm start, plus the seed import)",
            )
        )
        rows.append(
            Row(
                "cold start: whole seed analysis done (incl. model load)",
                f"< {COLD_ANALYSIS_S:.0f} s",
                f"{regrouped:.2f} s (cpu {median([x[1] for x in cold]):.2f})",
                regrouped <= COLD_ANALYSIS_S,
                f"analyses stored at {analysed_at:.2f} s, stories regrouped with entities at "
                f"{regrouped:.2f} s, from the command; median of 3",
            )
        )
        rss_warm = max(i["rss_mb"] for i in warm_info)
        rows.append(
            Row(
                "peak RSS, warm start (seeds)",
                f"< {WARM_RSS_MB} MB",
                f"{rss_warm:.0f} MB",
                rss_warm < WARM_RSS_MB,
                f"bare Textual app: {max(bare_rss):.0f} MB",
            )
        )
        _, _, _, out = run_timed(
            [PYTHON, "-c", SPACY_STORY, str(seeds), str(Path(__file__).resolve().parents[2])],
            env=child_env(),
        )
        line = next(x for x in out.splitlines() if x.startswith("RESULT"))
        rss_spacy = float(line.split()[1])
        rows.append(
            Row(
                "peak RSS, spaCy loaded + seed story in compare",
                f"< {SPACY_RSS_MB} MB",
                f"{rss_spacy:.0f} MB",
                rss_spacy < SPACY_RSS_MB,
            )
        )
    return emit("Start-up and memory (headless child processes)", rows, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
