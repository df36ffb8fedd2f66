"""Profiles behind the README's explanations of the budgets still over (issue 10).

    .venv/bin/python tests/bench/profile_budgets.py warm|cold|fetch|analysis|compare [--top 25]

``warm`` and ``cold`` sample a whole run with py-spy (``pip install -e '.[bench]'``;
sampling another process needs ptrace, which root in a container has) and print the
frames with the most inclusive time, import machinery folded away, so the top of the
list says where the time goes; ``analysis`` runs pyinstrument in this process (py-spy
loses the samples inside spaCy's parser, which runs without the GIL):

- ``warm``: ``parallax`` on an analysed seed library, to the painted library (as in
  ``bench_startup.py``);
- ``cold``: ``parallax`` on a fresh database until the seed analysis is done, with
  the analysis child sampled too (``--subprocesses``);
- ``fetch``: the whole ``parallax fetch --no-pages --no-analyze`` on a fresh database
  of 50 local feeds x 20 items (``bench_fetch.py``'s server), the parsing child too;
- ``analysis``: ``ensure_analyses`` in this process over 60 new articles (as in
  ``bench_analysis.py``), the model loaded before: how much of it is spaCy's NER;
- ``compare``: pyinstrument over 60 follow-entity keys (``f``/``F``) in the compare
  view at 80x24 (as in ``bench_compare.py``): what a keystroke's time is spent on.

py-spy times are sampled CPU (idle samples dropped), summed over every thread and
process.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from _common import PYTHON, ROOT, child_env, machine  # noqa: E402

RATE = 500  # samples per second


def profile_analysis() -> None:
    from bench_analysis import new_articles
    from pyinstrument import Profiler

    from reader.analysis import nlp
    from reader.analysis.cache import ensure_analyses
    from reader.store import Store

    nlp.load_model()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "a.db")
        store.add_articles((a, a.origin) for a in new_articles(60, 1))
        articles = store.all_articles()
        profiler = Profiler()
        with profiler:
            ensure_analyses(store, articles)
        words = sum(len(a.text.split()) for a in articles)
        print(f"pyinstrument profile: analysis of {words:,} words in this process")
        print(machine())
        print(profiler.output_text(show_all=False))
        # pyinstrument shows spaCy's Cython as [self]: split it by pipeline component.
        model = nlp.load_model()
        paragraphs = [p for a in articles for p in a.text.split("\n") if p.strip()]
        start = time.process_time()
        docs = [model.make_doc(p) for p in paragraphs]
        spent = {"tokenizer": time.process_time() - start}
        for name, pipe in model.pipeline:
            start = time.process_time()
            docs = list(pipe.pipe(docs, batch_size=64))
            spent[name] = time.process_time() - start
        total = sum(spent.values())
        print(f"spaCy by component, CPU ({words / total:,.0f} words per CPU second):")
        for name, cpu in spent.items():
            print(f"  {name:<10} {cpu:6.2f} s  {cpu / total:4.0%}")


async def profile_compare() -> None:
    from library_gen import analysed_seeds_db
    from pyinstrument import Profiler

    from tests.tui_helpers import app_for, choose_entity, open_story

    with tempfile.TemporaryDirectory() as tmp:
        app = app_for(analysed_seeds_db(Path(tmp) / "seeds.db"))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_story(pilot, app)
            await choose_entity(pilot, screen, "Blinken")
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(10):
                    for key in ("f", "f", "f", "b", "b", "b"):
                        await pilot.press(key)
                        await pilot.pause()
    print("pyinstrument profile: 60 follow-entity keys in the compare view, 80x24")
    print("(functions by their own time; Pilot's waits for idle are the asyncio sleeps)")
    print(machine())
    print("\n".join(profiler.output_text(flat=True, show_all=True).splitlines()[:45]))


def summarise(raw: Path, top: int) -> list[tuple[float, str]]:
    """Inclusive seconds per frame from py-spy's raw (collapsed stacks) output."""
    inclusive: Counter[str] = Counter()
    total = 0
    pending = ""
    for line in raw.read_text().splitlines():
        stack, _, count = (pending + line).rpartition(" ")
        if not count.isdigit():  # a child's ``-c`` code carries newlines into its name
            pending += line + " "
            continue
        pending = ""
        n = int(count)
        total += n
        frames = [f for f in stack.split(";") if "<frozen importlib" not in f]
        for frame in set(frames):
            inclusive[frame] += n
    rows = [(total / RATE, "(all samples)")]
    rows += [(n / RATE, frame) for frame, n in inclusive.most_common(top)]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("target", choices=["warm", "cold", "fetch", "analysis", "compare"])
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    if args.target == "analysis":
        profile_analysis()
        return 0
    if args.target == "compare":
        import asyncio

        asyncio.run(profile_compare())
        return 0
    spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    if not Path(spy).exists():
        print("profile_budgets.py needs py-spy: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    from bench_startup import PARALLAX
    from library_gen import analysed_seeds_db

    with tempfile.TemporaryDirectory(prefix="parallax-profile-") as tmp:
        work = Path(tmp)
        extra: list[str] = []
        if args.target == "warm":
            cmd = [PYTHON, "-c", PARALLAX, "warm", str(analysed_seeds_db(work / "seeds.db"))]
        elif args.target == "cold":
            cmd = [PYTHON, "-c", PARALLAX, "cold", str(work / "fresh.db")]
            extra = ["--subprocesses"]
        else:
            from bench_fetch import RemoteServer

            from reader.store import Store

            server = RemoteServer(50, 20)
            store = Store(work / "fetch.db")
            for n, url in enumerate(server.urls):
                store.add_feed(url, f"Outlet {n}")
            store.close()
            env = child_env(
                PARALLAX_DB=str(work / "fetch.db"),
                PARALLAX_CONFIG_DIR=str(work / "config"),
                HOME=str(work),
            )
            env = {k: v for k, v in env.items() if "proxy" not in k.lower()}
            cmd = [PYTHON, "-m", "reader", "fetch", "--no-pages", "--no-analyze"]
            extra = ["--subprocesses"]
        raw = work / "profile.raw"  # collapsed stacks, one "frames count" per line
        record = [spy, "record", "--function", "-r", str(RATE), "-f", "raw", "-o", str(raw)]
        subprocess.run(
            [*record, *extra, "--", *cmd],
            cwd=ROOT,
            env=env if args.target == "fetch" else child_env(),
            check=True,
            capture_output=True,
        )
        if args.target == "fetch":
            server.stop()
        print(f"py-spy profile: {args.target}\n{machine()}\n")
        for seconds, frame in summarise(raw, args.top):
            print(f"{seconds:8.3f} s  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
