"""bench_truth facet ``quotes``: is the speaker Parallax gives each quote the one the
article names?

Judgements: ``tests/gold/quotes.json`` (see its ``_how``). Rows, for the development
clusters (the seeds, assange, stadia, swiftamas, princeandrew, garrett) and the held-out
ones (daviscup, thirdhearing, laautoshow, macbookpro16) and the controls and singles
apart: right, wrong, and "missing" = judged quotes Parallax no longer lists with a
speaker (it says less). A listed quote with no judgement is counted in the note as
unjudged (judge it in the gold).
"""

from __future__ import annotations

from typing import Any

from truth_corpus import SEEDS_CLUSTER, Corpus, Score, find_sentence, load_gold

DEVELOPMENT = (SEEDS_CLUSTER, "assange", "stadia", "swiftamas", "princeandrew", "garrett")
HELD_OUT = ("daviscup", "thirdhearing", "laautoshow", "macbookpro16")
CONTROLS = (
    "afghanistan", "stabbings", "impeachmixed", "mourinho", "hitlerhouse", "iranprotests",
    "pgeshutoff", "eee", "ljryu",
)  # fmt: skip
"""Judged after the rules were written: a further unseen set."""


def _listed(corpus: Corpus, cluster_id: str) -> list[tuple[str, str, str]]:
    """(key, sentence, speaker) of every quote the framing lists for a cluster."""
    framing = corpus.cluster_analysis(cluster_id).framing
    return [(corpus.key_of[q.article_id], q.sentence, q.speaker) for q in framing.quotes]


def _gold_for(
    gold: list[dict[str, Any]],
    key: str,
    sentence: str,
    seen: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any] | None:
    """The judgement of a listed quote (one not matched yet first: two quotes may open alike)."""
    found = [e for e in gold if e["key"] == key and find_sentence(sentence, e["sentence"])]
    fresh = [e for e in found if id(e) not in seen]
    return (fresh or found or [None])[0]


def is_right(entry: dict[str, Any], speaker: str) -> bool:
    names = [entry["speaker"], *entry.get("also", [])]
    return any(n is not None and n.lower() in speaker.lower() for n in names)


def score(corpus: Corpus, clusters: tuple[str, ...], label: str) -> Score:
    gold = load_gold("quotes")["quotes"]
    keys = {k for c in clusters if c in corpus.clusters for k in corpus.clusters[c].keys}
    judged = [e for e in gold if e["key"] in keys]
    right = wrong = unjudged = 0
    seen: set[int] = set()
    for cid in clusters:
        if cid not in corpus.clusters:
            continue
        for key, sentence, speaker in _listed(corpus, cid):
            entry = _gold_for(judged, key, sentence, seen)
            if entry is None:
                unjudged += 1
                continue
            seen.add(id(entry))
            if is_right(entry, speaker):
                right += 1
            else:
                wrong += 1
    # A quote the article attributes to no one is right when Parallax lists no speaker.
    unlisted = [e for e in judged if id(e) not in seen]
    right += sum(1 for e in unlisted if e["speaker"] is None)
    missing = sum(1 for e in unlisted if e["speaker"] is not None)
    total = right + wrong + missing
    note = f"right {right / total:.0%} of judged, wrong {wrong / total:.0%}" if total else ""
    if unjudged:
        note += f"; {unjudged} unjudged"
    return Score("quotes", f"quote speakers ({label})", right, wrong, missing, note)


def measure(corpus: Corpus) -> list[Score]:
    return [
        score(corpus, DEVELOPMENT, "development"),
        score(corpus, HELD_OUT, "held-out"),
        score(corpus, CONTROLS, "controls and singles"),
    ]


def dump(corpus: Corpus, cluster_id: str) -> str:
    gold = load_gold("quotes")["quotes"]
    lines = []
    for key, sentence, speaker in _listed(corpus, cluster_id):
        entry = _gold_for(gold, key, sentence)
        verdict = "?" if entry is None else ("right" if is_right(entry, speaker) else "WRONG")
        lines.append(f"{key}: {speaker} [{verdict}] — {' '.join(sentence.split())[:160]}")
    return "\n".join(lines)
