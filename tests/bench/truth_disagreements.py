"""bench_truth facet ``disagreements``: are the differences Parallax flags between outlets real,
and does it find the real ones?

Judgements: ``tests/gold/disagreements.json`` (see its ``_how``): per cluster, the real
disagreements found by reading every article, each with its two sides (article key,
value, short phrase). A flag is every ``framing.disagreements`` item (numbers, dates,
facts; before that field existed, ``framing.numbers``). Rows, for the development and
held-out clusters apart: disagreements found (right = found, missing = not flagged) and
flags raised (right = true flags, wrong = false flags).
"""

from __future__ import annotations

from typing import Any

from truth_corpus import SEEDS_CLUSTER, Corpus, Score, load_gold

DEVELOPMENT = (SEEDS_CLUSTER, "assange", "stadia", "swiftamas", "princeandrew", "garrett")
HELD_OUT = ("daviscup", "thirdhearing", "laautoshow", "macbookpro16")


def flags(corpus: Corpus, cluster_id: str) -> list[dict[str, Any]]:
    """Every flag as {kind, about, values: [{key, value, sentence}]}."""
    framing = corpus.cluster_analysis(cluster_id).framing
    items = getattr(framing, "disagreements", None)
    out = []
    if items is None:  # before framing.disagreements existed
        for d in framing.numbers:
            out.append(
                {
                    "kind": "number",
                    "about": d.what,
                    "values": [
                        {
                            "key": corpus.key_of[v.article_id],
                            "value": v.value,
                            "sentence": v.sentence,
                        }
                        for v in d.values
                    ],
                }
            )
        return out
    for d in items:
        out.append(
            {
                "kind": d.kind,
                "about": d.about,
                "values": [
                    {"key": corpus.key_of[v.article_id], "value": v.value, "sentence": v.sentence}
                    for v in d.values
                ],
            }
        )
    return out


def _same_value(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return str(b).lower() in str(a).lower()


def matches(flag: dict[str, Any], real: dict[str, Any]) -> bool:
    """A flag carries a real disagreement when it holds both sides' values."""
    return all(
        any(
            v["key"] == side["key"] and _same_value(v["value"], side["value"])
            for v in flag["values"]
        )
        for side in real["values"]
    )


def _scores(corpus: Corpus, clusters: tuple[str, ...], label: str) -> list[Score]:
    gold = load_gold("disagreements")["clusters"]
    found = missed = true_flags = false_flags = 0
    for cid in clusters:
        if cid not in corpus.clusters:
            continue
        raised = flags(corpus, cid)
        real = gold.get(cid, [])
        for r in real:
            if any(matches(f, r) for f in raised):
                found += 1
            else:
                missed += 1
        for f in raised:
            if any(matches(f, r) for r in real):
                true_flags += 1
            else:
                false_flags += 1
    return [
        Score("disagreements", f"real disagreements found ({label})", found, 0, missed),
        Score(
            "disagreements", f"flags raised, true/false ({label})", true_flags, false_flags, None
        ),
    ]


def measure(corpus: Corpus) -> list[Score]:
    return _scores(corpus, DEVELOPMENT, "development") + _scores(corpus, HELD_OUT, "held-out")


def dump(corpus: Corpus, cluster_id: str) -> str:
    gold = load_gold("disagreements")["clusters"].get(cluster_id, [])
    lines = []
    for f in flags(corpus, cluster_id):
        verdict = "TRUE" if any(matches(f, r) for r in gold) else "false"
        lines.append(f"[{verdict}] {f['kind']}: {f['about']}")
        for v in f["values"]:
            lines.append(f"    {v['key']}: {v['value']} — {' '.join(v['sentence'].split())[:140]}")
    for r in gold:
        lines.append(
            f"(real) {r['about']}: " + " / ".join(f"{v['key']} {v['value']}" for v in r["values"])
        )
    return "\n".join(lines)
