"""A generated library for the benchmarks: N articles recombined from the seed paragraphs.

Owns: nothing the app uses. ``generate(path, n)`` fills a database through the Store
API: each article is 6..22 seed paragraphs, shuffled, under one of 12 outlets, dated
over ~7 years (newest first in rowid order is not assumed), grouped into stories of
1..6 neighbouring articles (``replace_stories``). Each article also gets an analysis in
the cache, composed from the seed paragraphs' real spaCy analyses (offsets shifted),
so the library counts as analysed and the cache's share of the file is real.
``add_reading_state(path)`` (used by ``bench_library`` on its own copy) turns the
outlets into tagged feeds and marks articles read and saved, for the filters.

``seed_paragraph_analyses()`` runs spaCy on the seeds once (or reads the cache of
``analysed_seeds_db``) and returns each non-empty seed paragraph with its sentences and
mentions relative to the paragraph.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.analysis import nlp
from reader.ingest.seeds import import_seeds
from reader.models import ArticleAnalysis, Mention, NewArticle, Sentence, Story
from reader.store import Store

OUTLETS = [
    "DW", "JEN", "RFE/RL", "The Washington Post", "AFP", "BBC World", "Al Jazeera",
    "NPR World", "The Guardian", "Reuters", "Kyiv Independent", "Le Monde",
]  # fmt: skip
_PARA = re.compile(r"[^\n]+")

# (text, [(start, end)], [(start, end, label, sentence no. within paragraph, text)])
Paragraph = tuple[str, list[tuple[int, int]], list[tuple[int, int, str, int, str]]]


def analysed_seeds_db(path: Path) -> Path:
    """A database with the seeds imported and analysed (spaCy runs here)."""
    from reader.analysis.cache import ensure_analyses
    from reader.analysis.stories import regroup

    store = Store(path)
    import_seeds(store)
    ensure_analyses(store, store.all_articles())
    regroup(store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def seed_paragraph_analyses(analysed_db: Path) -> list[Paragraph]:
    from reader.analysis.cache import cached_analyses

    store = Store(analysed_db)
    articles = store.all_articles()
    analyses = cached_analyses(store, articles)
    store.close()
    out: list[Paragraph] = []
    for article in articles:
        analysis = analyses[article.id]
        for no, m in enumerate(_PARA.finditer(article.text)):
            if not m.group().strip():
                continue
            sents = [s for s in analysis.sentences if s.paragraph == no]
            if not sents:
                continue
            first = sents[0].index
            spans = [(s.start - m.start(), s.end - m.start()) for s in sents]
            mentions = [
                (x.start - m.start(), x.end - m.start(), x.label, x.sentence - first, x.text)
                for x in analysis.mentions
                if m.start() <= x.start < m.end()
            ]
            out.append((m.group(), spans, mentions))
    return out


def compose(aid: str, paragraphs: list[Paragraph]) -> tuple[str, bytes]:
    """An article text from paragraphs (blank line between) and its analysis payload."""
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    offset = 0
    parts = []
    for no, (text, spans, ments) in enumerate(paragraphs):
        first = len(sentences)
        for start, end in spans:
            sentences.append(Sentence(len(sentences), offset + start, offset + end, no))
        for start, end, label, sent, surface in ments:
            mentions.append(
                Mention(aid, offset + start, offset + end, surface, label, first + sent)
            )
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), nlp.dumps(ArticleAnalysis(tuple(sentences), tuple(mentions)))


def generate(path: Path, n: int, paragraphs: list[Paragraph], seed: int = 10) -> dict[str, float]:
    """Fill ``path`` with ``n`` generated articles, their analyses and stories."""
    rng = random.Random(seed)
    store = Store(path)
    version = nlp.analyser_version()
    newest = date(2026, 6, 30)
    t0 = time.perf_counter()
    raw = 0
    batch: list[tuple[NewArticle, str]] = []
    payloads: dict[int, bytes] = {}
    stories: list[Story] = []

    def flush() -> None:
        nonlocal batch, payloads
        stored = store.add_articles(batch)
        rows = []
        for i, (article, created) in enumerate(stored):
            if created:
                rows.append((article.content_hash, payloads[i]))
        store.put_analyses(nlp.ANALYSER, version, rows)
        batch, payloads = [], {}

    for i in range(n):
        # Indexes run oldest to newest in insertion order, like a library that grows.
        day = newest - timedelta(days=(n - i) * 2600 // n)
        chosen = rng.sample(paragraphs, rng.randint(6, 22))
        text, payload = compose("x", chosen)
        title_words = chosen[0][0].split()[: rng.randint(6, 12)]
        title = " ".join(title_words) + f" ({i})"
        raw += len(text.encode()) + len(title.encode())
        payloads[len(batch)] = payload
        batch.append(
            (
                NewArticle(
                    outlet=OUTLETS[rng.randrange(len(OUTLETS))],
                    title=title,
                    text=text,
                    published=day,
                    origin=f"bench:{i}",
                ),
                f"bench:{i}",
            )
        )
        if len(batch) == 2000:
            flush()
    if batch:
        flush()
    t1 = time.perf_counter()
    # Stories: runs of 1..6 neighbouring articles (rowid order = date order here).
    ids = [s.id for s in store.list_articles()]
    ids.reverse()
    i = 0
    while i < len(ids):
        size = rng.randint(1, 6)
        members = tuple(ids[i : i + size])
        if len(members) > 1:
            stories.append(Story(f"s-{min(members)}", f"Story {len(stories)}", members))
        i += size
    store.replace_stories(stories)
    t2 = time.perf_counter()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"articles_s": t1 - t0, "stories_s": t2 - t1, "raw_bytes": raw, "stories": len(stories)}


def add_analysed_seeds(target: Path, seeds_db: Path) -> None:
    """The seeds in ``target`` with their cached analyses, as on any real library."""
    seeds = Store(seeds_db)
    articles = seeds.all_articles()
    version = nlp.analyser_version()
    payloads = seeds.get_analyses([a.content_hash for a in articles], nlp.ANALYSER, version)
    seeds.close()
    store = Store(target)
    import_seeds(store)
    store.put_analyses(nlp.ANALYSER, version, list(payloads.items()))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def add_reading_state(path: Path, seed: int = 11) -> dict[str, int]:
    """Make the filters' numbers honest: each outlet becomes a feed (its articles carry
    the feed id) with one of three tags (one feed also "rare"); 60% of the articles
    older than the newest tenth are read, one in 200 saved. Idempotent."""
    store = Store(path)
    if store.feeds():
        store.close()
        return {}
    rng = random.Random(seed)
    with store.transaction() as conn:
        for i, outlet in enumerate(OUTLETS):
            conn.execute(
                "INSERT INTO feeds(url, name, added_at) VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (f"https://feeds.example/{i}.xml", outlet),
            )
            fid = conn.execute("SELECT id FROM feeds WHERE name = ?", (outlet,)).fetchone()[0]
            conn.execute(
                "UPDATE articles SET feed_id = ? WHERE outlet = ? AND origin LIKE 'bench:%'",
                (fid, outlet),
            )
            conn.execute(
                "INSERT INTO feed_tags(feed_id, tag) VALUES (?, ?)",
                (fid, ("world", "europe", "politics")[i % 3]),
            )
            if i == 5:
                conn.execute("INSERT INTO feed_tags(feed_id, tag) VALUES (?, 'rare')", (fid,))
        top = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        rows = conn.execute("SELECT rowid FROM articles WHERE rowid < ?", (top * 9 // 10,))
        ids = [r[0] for r in rows]
        read = [(r,) for r in ids if rng.random() < 0.6]
        saved = [(r,) for r in range(1, top + 1) if rng.random() < 0.005]
        conn.executemany(
            "UPDATE articles SET read_at = '2026-05-01T00:00:00Z' WHERE rowid = ?", read
        )
        conn.executemany(
            "UPDATE articles SET saved_at = '2026-05-02T00:00:00Z' WHERE rowid = ?", saved
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"read": len(read), "saved": len(saved)}


CACHE_DIR = Path("/tmp/parallax-bench-cache")


def cached_library_path(n: int, cache_dir: Path | None = None) -> Path:
    """Where the generated library of ``n`` articles is kept between runs.

    The analyzer version is in the name: a library whose cached analyses are of
    another version would be re-analysed by the app (and measure the wrong size).
    """
    tag = f"{n}-v{nlp.analyser_version().replace(':', '-')}"
    return (cache_dir or CACHE_DIR) / f"library-{tag}.db"


def cached_library(n: int, workdir: Path, cache_dir: Path | None = None) -> tuple[Path, int]:
    """A generated library of ``n`` articles (reused from ``cache_dir`` when present)."""
    target = cached_library_path(n, cache_dir)
    cache_dir = target.parent
    cache_dir.mkdir(parents=True, exist_ok=True)
    tag = target.name.removeprefix("library-").removesuffix(".db")
    raw_file = cache_dir / f"library-{tag}.raw"
    if not (target.exists() and raw_file.exists()):
        seeds = analysed_seeds_db(workdir / "seeds.db")
        paragraphs = seed_paragraph_analyses(seeds)
        tmp = cache_dir / f"library-{tag}.tmp.db"
        for p in cache_dir.glob(f"library-{tag}.tmp.db*"):
            p.unlink()
        info = generate(tmp, n, paragraphs)
        print(
            f"generated {n} articles in {info['articles_s']:.1f} s "
            f"(+{info['stories_s']:.1f} s for {info['stories']} stories)",
            file=sys.stderr,
        )
        tmp.rename(target)
        raw_file.write_text(str(info["raw_bytes"]))
    marker = cache_dir / f"library-{tag}.seeds"
    if not marker.exists():
        add_analysed_seeds(target, analysed_seeds_db(workdir / "seeds-for-library.db"))
        marker.write_text("seeds imported and analysed\n")
    local = workdir / target.name
    shutil.copy(target, local)
    return local, int(raw_file.read_text())
