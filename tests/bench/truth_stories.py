"""bench_truth facet ``stories``: does Parallax group the corpus into the right stories?

Judgements: ``tests/gold/stories.json``: the right grouping (the devcorpus's event
clusters each one story, each article of a negative control and each single alone;
the seeds' four 14 February articles one story and the January article alone).
Parallax's grouping is ``Corpus.grouped_stories()`` (``group_stories`` over the whole
corpus, as the library does).

Rows: article pairs put together rightly (right), wrongly (wrong: two events merged),
and pairs of one event left apart (missing), the wrong and missing pairs named in the
note; then the stories whose outlet count as
shown (``story_outlets``) is not the number of distinct outlets in them.
"""

from __future__ import annotations

from itertools import combinations

from truth_corpus import Corpus, Score, load_gold

FACET = "stories"


def _pairs(stories: list[list[str]] | list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(p) for s in stories for p in combinations(sorted(s), 2)}


def _named(label: str, pairs: set[frozenset[str]]) -> str:
    """The pairs themselves, so that a wrong join can be read, not only counted."""
    if not pairs:
        return ""
    return f"; {label}: " + ", ".join(" + ".join(sorted(p)) for p in sorted(pairs, key=sorted))


def measure(corpus: Corpus) -> list[Score]:
    gold = load_gold(FACET)
    truth = _pairs(gold["stories"])
    found = _pairs(corpus.grouped_stories())
    rows = []
    for label, keys in (("dev", gold["development"]), ("held-out", gold["held_out"])):
        wanted = set(keys)
        t = {p for p in truth if p <= wanted}
        f = {p for p in found if p & wanted}
        rows.append(
            Score(
                FACET,
                f"article pairs in one story ({label})",
                len(t & f),
                len(f - t),
                len(t - f),
                "wrong = different events merged"
                + _named("wrong", f - t)
                + _named("missing", t - f),
            )
        )
    try:
        from reader.analysis.stories import story_outlets
    except ImportError:  # before outlets were counted once: every article is one

        def story_outlets(articles):  # type: ignore[no-untyped-def]
            return [a.outlet for a in articles]

    miscounted = right = 0

    by_key = corpus.article_of
    for story in corpus.grouped_stories():
        articles = [by_key[k] for k in story]
        outlets = story_outlets(articles)
        if len(outlets) == len({a.outlet.strip().casefold() for a in articles}):
            right += 1
        else:
            miscounted += 1
    rows.append(Score(FACET, "stories with outlets counted right", right, miscounted, None))
    return rows


def dump(corpus: Corpus, cluster_id: str) -> str:
    keys = set(corpus.clusters[cluster_id].keys)
    return "\n".join(" + ".join(s) for s in corpus.grouped_stories() if keys & set(s))
