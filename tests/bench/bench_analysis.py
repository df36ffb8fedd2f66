"""Benchmark: analysis throughput for new articles (budget 3).

    .venv/bin/python tests/bench/bench_analysis.py [--articles 200] [--json FILE]

Generates ``--articles`` new articles from the seed paragraphs (6..22 each,
shuffled, so every text is new to the cache) and times ``ensure_analyses`` on them
into a fresh store: spaCy (senter+ner: the shared tok2vec feeds only components we
leave out), the paragraph split, the payload + zlib and the cache writes. The model
is loaded first and timed apart. Variants: ``ensure_analyses`` in this process
(batches of 8 articles, ``nlp.pipe(batch_size=64)``), and in child processes
(``processes=1|2``, what the app does), with the kept child cold (its spawn and model
load counted) or warm (already loaded, as for a later backlog in a session). Words
are whitespace-separated tokens; wall time is the measure (the CPU reported is this
process's: the kept child is not waited for, so its CPU is not counted).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Row, emit
from library_gen import OUTLETS

from reader.ingest.seeds import seed_articles
from reader.models import NewArticle
from reader.store import Store

BUDGET_WPS = 10_000


def new_articles(n: int, seed: int) -> list[NewArticle]:
    rng = random.Random(seed)
    paragraphs = [p for a in seed_articles() for p in a.text.split("\n") if p.strip()]
    out = []
    for i in range(n):
        text = "\n\n".join(rng.sample(paragraphs, rng.randint(6, 22)))
        out.append(NewArticle(OUTLETS[i % len(OUTLETS)], f"Article {i}", text, None, f"b{i}"))
    return out


def one_chunk(chunk: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A ``next_chunk`` for ``nlp.analyse_in_processes`` that gives ``chunk`` once."""
    chunks = iter([chunk])
    return lambda: next(chunks, None)


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(work: Path, name: str, n: int, seed: int, **kw: int) -> tuple[float, float, int]:
    from reader.analysis.cache import ensure_analyses

    store = Store(work / f"{name}.db")
    store.add_articles((a, a.origin) for a in new_articles(n, seed))
    articles = store.all_articles()
    words = sum(len(a.text.split()) for a in articles)
    t0, c0 = time.perf_counter(), cpu()
    done = ensure_analyses(store, articles, **kw)
    wall, used = time.perf_counter() - t0, cpu() - c0
    assert len(done) == len(articles)
    store.close()
    return wall, used, words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    from reader.analysis import nlp

    t0 = time.perf_counter()
    nlp.load_model()
    load = time.perf_counter() - t0
    pipes = "+".join(nlp.load_model().pipe_names)
    rows = [Row(f"spaCy import and model load ({pipes})", "", f"{load:.2f} s", None)]
    # (label, ensure_analyses keywords, state of the kept analysis child before the run)
    variants = [
        ("in-process (batches of 8, as `fetch` runs a small backlog)", {}, None),
        (
            "one child, cold (spawn and model load included: the app's first backlog)",
            {"processes": 1},
            "cold",
        ),
        ("one child, warm (the kept child: a later backlog)", {"processes": 1}, "warm"),
        (
            "two children, one warm (the app's later large backlog; one model load)",
            {"processes": 2},
            "warm",
        ),
        ("two children, cold (both model loads: `fetch`)", {"processes": 2}, "cold"),
    ]
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        for seed, (label, kw, child) in enumerate(variants):
            if child == "cold":
                nlp.close_children()
            elif child == "warm":
                list(nlp.analyse_in_processes(one_chunk([("warm-up", "Kyiv is in Ukraine.")]), 1))
            try:
                wall, used, words = run(Path(tmp), f"v{seed}", args.articles, seed, **kw)
            except TypeError as exc:  # an ensure_analyses without processes
                rows.append(Row(f"analysis, {label}", "", f"n/a ({exc})", None))
                continue
            wps = words / wall
            rows.append(
                Row(
                    f"analysis throughput, {args.articles} new articles, {label}",
                    f">= {BUDGET_WPS:,} w/s",
                    f"{wps:,.0f} w/s",
                    wps >= BUDGET_WPS,
                    f"{words:,} words in {wall:.2f} s (cpu of this process {used:.2f} s)",
                )
            )
    return emit("Analysis throughput (ensure_analyses, model already loaded)", rows, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
