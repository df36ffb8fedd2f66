"""bench_truth facet ``entities``: are the entities Parallax lists real names of the right type,
and are its cross-outlet links right?

Judged in ``tests/gold/entities.json`` (see its ``_how``): each listed entity is named
"LABEL name". Rows are split into the development clusters, the held-out event clusters,
and the controls and singles (see ``truth_timeline``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from truth_corpus import Corpus, Score, load_gold
from truth_timeline import DEVELOPMENT, HELD_OUT

FACET = "entities"


def judge(corpus: Corpus, clusters: Iterable[str]) -> dict[str, Any]:
    gold = load_gold(FACET)["clusters"]
    out: dict[str, Any] = {
        "right": 0,
        "wrong": 0,
        "unjudged": 0,
        "links_right": 0,
        "links_wrong": 0,
        "details": [],
    }
    for cid in clusters:
        if cid not in corpus.clusters or cid not in gold:
            continue
        g = gold[cid]
        right, wrong = set(g["right"]), g["wrong"]
        ca = corpus.cluster_analysis(cid)
        for e in ca.index.entities:
            key = f"{e.label} {e.name}"
            if key in right:
                out["right"] += 1
                verdict = True
            elif key in wrong:
                out["wrong"] += 1
                out["details"].append(f"wrong  {cid}: {key} -> {wrong[key]}")
                verdict = False
            else:
                out["unjudged"] += 1
                out["details"].append(f"unjudged {cid}: {key} {sorted(e.variants.values())[:3]}")
                continue
            outlets = {corpus.article_of[corpus.key_of[a]].outlet for a in e.mentions}
            real = verdict or wrong[key] is not None  # a real name, perhaps mistyped
            if len(outlets) >= 2 and real:
                if key in g["links_wrong"]:
                    out["links_wrong"] += 1
                else:
                    out["links_right"] += 1
    return out


def measure(corpus: Corpus) -> list[Score]:
    rest = tuple(c for c in corpus.clusters if c not in DEVELOPMENT + HELD_OUT)
    rows = []
    splits = (("dev", DEVELOPMENT), ("held-out", HELD_OUT), ("controls+singles", rest))
    for name, clusters in splits:
        j = judge(corpus, clusters)
        note = f"unjudged {j['unjudged']}" if j["unjudged"] else ""
        rows.append(Score(FACET, f"entity precision ({name})", j["right"], j["wrong"], None, note))
        links = j["links_right"], j["links_wrong"]
        rows.append(Score(FACET, f"cross-outlet links ({name})", *links, None))
    return rows


def dump(corpus: Corpus, cluster_id: str) -> str:
    j = judge(corpus, (cluster_id,))
    lines = [f"right {j['right']} wrong {j['wrong']} unjudged {j['unjudged']}", *j["details"], ""]
    for e in corpus.cluster_analysis(cluster_id).index.entities:
        keys = ",".join(sorted(corpus.key_of[a] for a in e.mentions))
        lines.append(f"{e.label:<7}{e.name:<40}{keys}")
    return "\n".join(lines)
