"""bench_truth facet ``timeline``: are the dates on the timeline right, and are they events?

Judged in ``tests/gold/timeline.json`` (see its ``_how``): every mention Parallax showed on
the seeds and each devcorpus cluster taken as one story, with the true date of the
happening, or "nonevent" (datelines, bylines, captions, related links, promos, titles
of works), or "undated". Rows are split into the development clusters (the seeds and
the five clusters rules were developed on), the held-out event clusters, and the
controls and singles, so a rule tuned to what it was developed on shows up as a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from truth_corpus import Corpus, Score, find_sentence, load_gold

FACET = "timeline"
DEVELOPMENT = ("seeds", "assange", "stadia", "swiftamas", "princeandrew", "garrett")
HELD_OUT = ("daviscup", "thirdhearing", "laautoshow", "macbookpro16")


def shown(corpus: Corpus, cluster_id: str) -> list[dict[str, Any]]:
    """Every mention the cluster's timeline shows: article key, sentence, expression, date."""
    out = []
    for entry in corpus.cluster_analysis(cluster_id).timeline:
        for m in entry.mentions:
            out.append(
                {
                    "article": corpus.key_of[m.article_id],
                    "sentence": m.sentence,
                    "expression": m.expression,
                    "shown": entry.date.label(),
                }
            )
    return out


def _judgement(item: dict[str, Any], gold: list[dict[str, Any]]) -> dict[str, Any] | None:
    for g in gold:
        if (
            g["article"] == item["article"]
            and g["expression"] == item["expression"]
            and find_sentence(item["sentence"], g["sentence"])
        ):
            return g
    return None


def judge(corpus: Corpus, clusters: Iterable[str]) -> dict[str, Any]:
    gold = load_gold(FACET)
    items = gold["items"]
    counts = {"right": 0, "wrong": 0, "events": 0, "nonevents": 0, "unjudged": 0, "missing": 0}
    wrong: list[str] = []
    keys = {k for c in clusters if c in corpus.clusters for k in corpus.clusters[c].keys}
    shown_all: list[dict[str, Any]] = []
    for cluster in clusters:
        if cluster in corpus.clusters:
            shown_all += shown(corpus, cluster)
    for item in shown_all:
        g = _judgement(item, items)
        if g is None:
            counts["unjudged"] += 1
            wrong.append(
                f"unjudged {item['article']} {item['expression']!r} {item['shown']}: "
                f"{item['sentence'][:70]}"
            )
            continue
        if g["truth"] == "nonevent":
            counts["nonevents"] += 1
            wrong.append(f"non-event {item['article']} {item['expression']!r}: {g['sentence']}")
            continue
        counts["events"] += 1
        if g["truth"] == item["shown"]:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
            wrong.append(
                f"wrong {item['article']} {item['expression']!r} {item['shown']} "
                f"(true {g['truth']}): {g['sentence']}"
            )
    for g in gold["missed"]:
        if g["article"] not in keys:
            continue
        found = any(
            s["article"] == g["article"]
            and s["shown"] == g["truth"]
            and find_sentence(s["sentence"], g["sentence"])
            for s in shown_all
        )
        counts["missing"] += not found
    counts["details"] = wrong
    return counts


def measure(corpus: Corpus) -> list[Score]:
    rest = tuple(c for c in corpus.clusters if c not in DEVELOPMENT + HELD_OUT)
    rows = []
    splits = (("dev", DEVELOPMENT), ("held-out", HELD_OUT), ("controls+singles", rest))
    for name, clusters in splits:
        c = judge(corpus, clusters)
        note = f"unjudged {c['unjudged']}" if c["unjudged"] else ""
        rows.append(
            Score(FACET, f"dates right/wrong ({name})", c["right"], c["wrong"], c["missing"], note)
        )
        rows.append(
            Score(FACET, f"events / non-events shown ({name})", c["events"], c["nonevents"], None)
        )
    return rows


def dump(corpus: Corpus, cluster_id: str) -> str:
    c = judge(corpus, (cluster_id,))
    lines = [
        f"right {c['right']} wrong {c['wrong']} non-events {c['nonevents']} "
        f"unjudged {c['unjudged']} missing {c['missing']}"
    ]
    lines += c["details"]
    lines.append("")
    for item in shown(corpus, cluster_id):
        lines.append(
            f"{item['shown']:<24}{item['article']:<30}{item['expression']!r:<26}"
            f"{item['sentence'][:90]}"
        )
    return "\n".join(lines)
