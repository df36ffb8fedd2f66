"""bench_truth facet ``claims``: are the claims Parallax calls "only here" and "left out" true?

Judgements: ``tests/gold/claims.json`` (see its ``_how``). Each event cluster and the
seeds are taken as one story; for every outlet, the first ``SHOWN`` sentences of its
"only here" list (what the diff summary and the Markdown report show) and its "left
out" groups are looked up in the gold by short substrings.

Rows, split into the development clusters and the held-out ones:

- ``only here, shown``: right = judged unique; wrong = judged shared or boilerplate
  (a false difference); missing = judged-unique claims no longer anywhere in the
  outlet's "only here" list (recall of real unique claims).
- ``shared claims called unique``: over every claim judged shared, wrong = still in
  some outlet's full "only here" list, right = not (false differences as a share of
  shared claims).
- ``left out``: right = the outlet really lacks it; wrong = it carries it.
- ``perhaps only here, with evidence``: the sentences shown as unsure (beside the
  closest sentence of another outlet), not as claims: how many are in fact unique.

Sentences shown but not judged are counted in the note: judge them (add them to the
gold) when they appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from truth_corpus import Corpus, Score, find_sentence, load_gold

FACET = "claims"
SHOWN = 5
DEVELOPMENT = ("seeds", "assange", "stadia", "swiftamas", "princeandrew", "garrett")
HELD_OUT = ("daviscup", "thirdhearing", "laautoshow", "macbookpro16")


def _verdict(judged: dict[str, str], text: str) -> str | None:
    for snippet, verdict in judged.items():
        if find_sentence(text, snippet):
            return verdict
    return None


def _outlets(corpus: Corpus, cluster_id: str) -> list[tuple[tuple[str, ...], Any]]:
    """Each outlet's framing with the keys of its articles."""
    framing = corpus.cluster_analysis(cluster_id).framing
    found = []
    for outlet in framing.outlets:
        ids = getattr(outlet, "article_ids", None) or (outlet.article_id,)
        found.append((tuple(corpus.key_of[i] for i in ids), outlet))
    return found


def _count(corpus: Corpus, clusters: Iterable[str]) -> dict[str, list[int]]:
    gold = load_gold(FACET)
    # per measure: right, wrong, missing, unjudged
    tally = {k: [0, 0, 0, 0] for k in ("shown", "shared", "left_out", "maybe", "maybe_left_out")}
    for cid in clusters:
        if cid not in corpus.clusters:
            continue
        for keys, outlet in _outlets(corpus, cid):
            judged: dict[str, str] = {}
            lacks: dict[str, str] = {}
            for key in keys:
                judged.update(gold["unique"].get(key, {}))
                lacks.update(gold["left_out"].get(key, {}))
            full = [m.text for m in outlet.unique]
            for text in full[:SHOWN]:
                verdict = _verdict(judged, text)
                slot = {"unique": 0, "shared": 1, "boilerplate": 1, None: 3}[verdict]
                tally["shown"][slot] += 1
            for snippet, verdict in judged.items():
                listed = any(find_sentence(t, snippet) for t in full)
                if verdict == "unique" and not listed:
                    tally["shown"][2] += 1
                if verdict == "shared":
                    tally["shared"][1 if listed else 0] += 1
            for m, _closest in getattr(outlet, "maybe_unique", ()):
                verdict = _verdict(judged, m.text)
                tally["maybe"][{"unique": 0, "shared": 1, "boilerplate": 1, None: 3}[verdict]] += 1
            for group in outlet.left_out:
                verdict = None
                for m in group.members:
                    verdict = verdict or _verdict(lacks, m.text)
                slot = {"lacks": 0, "has": 1, None: 3}[verdict]
                tally["left_out"][slot] += 1
            for group, _closest in getattr(outlet, "maybe_left_out", ()):
                verdict = None
                for m in group.members:
                    verdict = verdict or _verdict(lacks, m.text)
                tally["maybe_left_out"][{"lacks": 0, "has": 1, None: 3}[verdict]] += 1
    return tally


def measure(corpus: Corpus) -> list[Score]:
    rows = []
    for label, clusters in (("dev", DEVELOPMENT), ("held-out", HELD_OUT)):
        t = _count(corpus, clusters)
        rows += [
            Score(
                FACET,
                f"only here, shown ({label})",
                t["shown"][0],
                t["shown"][1],
                t["shown"][2],
                f"unjudged {t['shown'][3]}",
            ),
            Score(
                FACET,
                f"shared claims called unique ({label})",
                t["shared"][0],
                t["shared"][1],
                None,
                "wrong = false difference",
            ),
            Score(
                FACET,
                f"left out ({label})",
                t["left_out"][0],
                t["left_out"][1],
                None,
                f"unjudged {t['left_out'][3]}",
            ),
            Score(
                FACET,
                f"perhaps left out, with evidence ({label})",
                t["maybe_left_out"][0],
                t["maybe_left_out"][1],
                None,
                f"right = really lacks it, wrong = has it; unjudged {t['maybe_left_out'][3]}",
            ),
            Score(
                FACET,
                f"perhaps only here, with evidence ({label})",
                t["maybe"][0],
                t["maybe"][1],
                None,
                f"right = really unique, wrong = shared; unjudged {t['maybe'][3]}",
            ),
        ]
    return rows


def dump(corpus: Corpus, cluster_id: str) -> str:
    lines = []
    for keys, outlet in _outlets(corpus, cluster_id):
        lines.append(f"== {' + '.join(keys)} ({outlet.outlet}): only here ({len(outlet.unique)})")
        lines += [f"  * {m.text[:200]}" for m in outlet.unique[:SHOWN]]
        lines.append(f"   left out ({len(outlet.left_out)})")
        lines += [
            f"  - {corpus.key_of[g.members[0].article_id]}: {g.members[0].text[:200]}"
            for g in outlet.left_out
        ]
    return "\n".join(lines)
