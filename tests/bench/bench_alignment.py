"""Time ``align_story`` against story size (not part of the default test run).

    python tests/bench/bench_alignment.py

Builds synthetic stories of 2..20 articles, 80 sentences each, from the seed
sentences: each article takes a random sample of them, shuffled, with a share of
sentences perturbed (a word dropped, two neighbouring words swapped, a synonym) so
that articles overlap the way outlets do. Mentions are carried over from the seed
analysis where their text is still found. Prints size, sentences, groups and the
median of three cold runs in milliseconds, wall clock and this thread's CPU time
(the CPU column is steadier when the machine is busy) (entity linking is timed apart: it is not
part of alignment).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.analysis.alignment import align_story, amounts, normalize_quotes
from reader.analysis.cache import ensure_analyses
from reader.analysis.entities import link_entities
from reader.ingest.seeds import import_seeds
from reader.models import Article, ArticleAnalysis, Mention, Sentence
from reader.store import Store

SIZES = (2, 4, 6, 8, 10, 15, 20)
PER_ARTICLE = 80
SYNONYMS = {"said": "stated", "Monday": "on Monday", "embassy": "mission", "troops": "soldiers"}


def seed_sentences() -> list[tuple[str, list[tuple[str, str]]]]:
    """(sentence, [(mention text, label)]) for every seed sentence of five words or more."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        import_seeds(store)
        articles = store.all_articles()
        analyses = ensure_analyses(store, articles)
    out = []
    for a in articles:
        an = analyses[a.id]
        for s in an.sentences:
            text = a.text[s.start : s.end]
            if len(text.split()) >= 5:
                ments = [(m.text, m.label) for m in an.mentions if m.sentence == s.index]
                out.append((text, ments))
    return out


def perturb(text: str, rng: random.Random) -> str:
    words = text.split()
    roll = rng.random()
    if roll < 0.2 and len(words) > 6:
        del words[rng.randrange(1, len(words) - 1)]
    elif roll < 0.4 and len(words) > 6:
        k = rng.randrange(1, len(words) - 2)
        words[k], words[k + 1] = words[k + 1], words[k]
    elif roll < 0.6:
        words = [SYNONYMS.get(w, w) for w in words]
    return " ".join(words)


def make_story(pool, n_articles: int, rng: random.Random):  # type: ignore[no-untyped-def]
    articles, analyses = [], {}
    for k in range(n_articles):
        picked = rng.sample(pool, PER_ARTICLE)
        texts, sentences, mentions = [], [], []
        offset = 0
        aid = f"bench{k:02d}"
        for i, (text, ments) in enumerate(picked):
            text = perturb(text, rng)
            sentences.append(Sentence(i, offset, offset + len(text), i))
            for surface, label in ments:
                at = text.find(surface)
                if at >= 0:
                    mentions.append(
                        Mention(aid, offset + at, offset + at + len(surface), surface, label, i)
                    )
            texts.append(text)
            offset += len(text) + 1
        body = "\n".join(texts)
        articles.append(
            Article(aid, f"Outlet {k}", f"Story {k}", body, date(2022, 2, 14), None, "bench", aid)
        )
        analyses[aid] = ArticleAnalysis(tuple(sentences), tuple(mentions))
    return articles, analyses


def main() -> None:
    rng = random.Random(14)
    pool = seed_sentences()
    print(
        f"{'articles':>8} {'sentences':>9} {'groups':>6} {'link ms':>8} {'align ms':>9}"
        f" {'cpu ms':>7}  (budget: well under 1000 ms at 20 articles)"
    )
    warm = make_story(pool, 2, rng)
    align_story(*warm, link_entities(*warm))  # imports and caches out of the timing
    for size in SIZES:
        articles, analyses = make_story(pool, size, rng)
        t0 = time.perf_counter()
        index = link_entities(articles, analyses)
        link_ms = (time.perf_counter() - t0) * 1000
        runs, cpu = [], []
        for _ in range(3):
            normalize_quotes.cache_clear()  # every run starts cold
            amounts.cache_clear()
            t0, c0 = time.perf_counter(), time.thread_time()
            alignment = align_story(articles, analyses, index)
            runs.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        n = sum(len(a.sentences) for a in analyses.values())
        print(
            f"{size:>8} {n:>9} {len(alignment.groups):>6} {link_ms:>8.0f}"
            f" {statistics.median(runs):>9.0f} {statistics.median(cpu):>7.0f}"
        )


if __name__ == "__main__":
    main()
