"""How often what Parallax tells a reader is true, per facet, on real articles.

Run: ``python tests/bench/bench_truth.py [--facet NAME] [--json FILE]``

Reads the development corpus (``../shared/devcorpus`` or ``PARALLAX_DEVCORPUS``) and the
seeds through ``truth_corpus`` (imported as ``parallax import`` would, each corpus
cluster taken as one story), computes what the export and the screens show, and scores
it against the judgements in ``tests/gold/<facet>.json`` (written by reading the
articles; short substrings, never whole texts). Each facet lives in its own module
``truth_<facet>.py`` beside this file with one function ``measure(corpus) -> list[Score]``
and optionally ``dump(corpus, cluster_id) -> str`` (what Parallax says, for judging).

A facet's rows say right / wrong / missing in the reader's terms, e.g. "unique claims
listed: right 31, wrong 2 (false differences), missing 9". The same measures are meant
to be taken on clusters nobody tuned against; the gold files say where every judgement
comes from.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth_corpus import Score, open_corpus

FACETS = ("claims", "groups", "stories", "quotes", "disagreements", "timeline", "entities")


def _facet(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"truth_{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"truth_{name}":
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facet", action="append", choices=FACETS)
    parser.add_argument("--dump", metavar="CLUSTER", help="print what Parallax says for a cluster")
    parser.add_argument("--json", type=Path, help="write the rows as JSON to this file")
    args = parser.parse_args(argv)

    corpus = open_corpus()
    facets = args.facet or list(FACETS)
    if args.dump:
        for name in facets:
            module = _facet(name)
            if module is not None and hasattr(module, "dump"):
                print(f"=== {name} ===")
                print(module.dump(corpus, args.dump))
        return 0

    rows: list[Score] = []
    for name in facets:
        module = _facet(name)
        if module is None:
            rows.append(Score(name, "(no measure yet)", 0, 0, None))
            continue
        rows.extend(module.measure(corpus))

    head = f"{'facet':<14}{'measure':<44}{'right':>7}{'wrong':>7}{'missing':>9}  precision"
    print(head)
    print("-" * len(head))
    for r in rows:
        missing = "" if r.missing is None else str(r.missing)
        p = "" if r.precision is None else f"{r.precision:.0%}"
        print(f"{r.facet:<14}{r.measure:<44}{r.right:>7}{r.wrong:>7}{missing:>9}  {p:>9}  {r.note}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
