"""bench_truth facet ``groups``: when Parallax shows two outlets' sentences as one claim, is it?

Judgements: ``tests/gold/groups.json`` (see its ``_how``). Every aligned group is what the
diff shows as one claim "told differently", what the Markdown report lists under "Shared
claims" and what the fact table puts in one row. A group that joins two different claims
because they share a topic, a name or a number is a false sameness: the reader is told
two outlets agree where they do not, and each outlet's real claim is hidden from its
"only here" list.

Scored by pairs of members (a group of three is three pairs), so that a group that loses
or gains a member is still scored on the pairs it keeps:

- ``aligned pairs``: right = the two sentences judged the same claim; wrong = judged
  different (false sameness); missing = a pair judged the same that is no longer aligned
  (what a stricter rule costs).
- ``aligned pairs stated as sure``: the same, for the pairs of groups shown without
  "≈" (``AlignedGroup.loose`` false): wrong = a false sameness presented as fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Any

from truth_corpus import Corpus, Score, find_sentence, load_gold

Pair = tuple[tuple[str, str], tuple[str, str]]  # ((article key, text or snippet), (...))

FACET = "groups"
DEVELOPMENT = ("seeds", "assange", "stadia", "swiftamas", "princeandrew", "garrett")
HELD_OUT = ("daviscup", "thirdhearing", "laautoshow", "macbookpro16")


def _gold_pairs(
    cluster: list[dict[str, Any]],
) -> list[tuple[tuple[str, str], tuple[str, str], str]]:
    pairs = []
    for group in cluster:
        for a, b in combinations(sorted(group["members"].items()), 2):
            pairs.append((a, b, group["verdict"]))
    return pairs


def _shown_pairs(corpus: Corpus, cluster_id: str) -> list[tuple[Pair, bool]]:
    """Every pair of members of every group, as ((key, text), (key, text)) with keys
    sorted, and whether its group is shown as matched loosely."""
    pairs = []
    for group in corpus.cluster_analysis(cluster_id).alignment.groups:
        members = sorted((corpus.key_of[m.article_id], m.text) for m in group.members)
        pairs.extend((pair, group.loose) for pair in combinations(members, 2))
    return pairs


def _same_pair(shown: Pair, gold: tuple[Any, Any, str]) -> bool:
    (ka, ta), (kb, tb) = shown
    (ga, sa), (gb, sb), _ = gold
    return ka == ga and kb == gb and find_sentence(ta, sa) and find_sentence(tb, sb)


def judge(corpus: Corpus, clusters: Iterable[str]) -> dict[str, Any]:
    gold = load_gold(FACET)["clusters"]
    out: dict[str, Any] = {"right": 0, "wrong": 0, "missing": 0, "unjudged": 0, "details": []}
    out.update(sure_right=0, sure_wrong=0)
    for cid in clusters:
        if cid not in corpus.clusters or cid not in gold:
            continue
        judged = _gold_pairs(gold[cid])
        shown = _shown_pairs(corpus, cid)
        for pair, loose in shown:
            verdict = next((g[2] for g in judged if _same_pair(pair, g)), None)
            if verdict == "same":
                out["right"] += 1
                out["sure_right"] += not loose
            elif verdict == "different":
                out["wrong"] += 1
                out["sure_wrong"] += not loose
                out["details"].append(f"wrong    {cid}: {pair[0][1][:70]} | {pair[1][1][:70]}")
            else:
                out["unjudged"] += 1
                out["details"].append(f"unjudged {cid}: {pair[0][1][:70]} | {pair[1][1][:70]}")
        for g in judged:
            if g[2] == "same" and not any(_same_pair(pair, g) for pair, _ in shown):
                out["missing"] += 1
                out["details"].append(f"missing  {cid}: {g[0][1]} | {g[1][1]}")
    return out


def measure(corpus: Corpus) -> list[Score]:
    rows = []
    for label, clusters in (("dev", DEVELOPMENT), ("held-out", HELD_OUT)):
        j = judge(corpus, clusters)
        note = "wrong = false sameness"
        if j["unjudged"]:
            note += f"; unjudged {j['unjudged']}"
        rows.append(
            Score(
                FACET,
                f"aligned pairs, same claim ({label})",
                j["right"],
                j["wrong"],
                j["missing"],
                note,
            )
        )
        rows.append(
            Score(
                FACET,
                f"aligned pairs stated as sure, no ≈ ({label})",
                j["sure_right"],
                j["sure_wrong"],
                None,
                "wrong = false sameness presented as fact",
            )
        )
    return rows


def dump(corpus: Corpus, cluster_id: str) -> str:
    j = judge(corpus, (cluster_id,))
    head = f"right {j['right']} wrong {j['wrong']} missing {j['missing']} unjudged {j['unjudged']}"
    return "\n".join([head, *j["details"]])
