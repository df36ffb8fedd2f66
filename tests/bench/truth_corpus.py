"""The judged corpus for ``bench_truth.py`` and the truth tests: real articles,
imported as a user would.

Owns: finding the development corpus (``PARALLAX_DEVCORPUS``, else ``../shared/devcorpus``
beside the repository), importing its pages through the same path as ``parallax import``
(``reader.ingest.files.read_article_file``: trafilatura, the page's own title, date and
site name; the outlet is the corpus's short name so judgements can name it), adding the
five seeds, and computing what Parallax shows a reader for one cluster: the export of that
cluster taken as one story (``parallax.export/1``) and the Markdown report. Must not: ship
or copy any corpus page into the repository (the pages are third-party; tests read them
from where they are and skip when they are missing).

Keys: every article is named by its *key*, the corpus file's stem (``stadia-digg``,
``assange-bbc``) or, for a seed, ``seed-`` and its file's first three characters
(``seed-000`` … ``seed-004``). Gold files in ``tests/gold/`` use these keys, never article
ids (ids depend on the import path).

Facets are judged on the corpus's own clusters taken as stories (so that a grouping
mistake does not hide an alignment, quote or date result); the grouping itself is judged
separately from ``grouped_stories`` (the real ``group_stories`` over the whole corpus).

The analyses are cached in a store under the user's cache folder (keyed, like the app's,
by content hash and analyzer version), so a second run does no spaCy work unless the
analyzer changed.
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEEDS_CLUSTER = "seeds"


def corpus_dir() -> Path | None:
    """The development corpus folder, or None when this machine has none."""
    env = os.environ.get("PARALLAX_DEVCORPUS")
    candidates = [Path(env)] if env else []
    candidates += [
        ROOT.parent / "shared" / "devcorpus",
        ROOT.parent.parent / "shared" / "devcorpus",
    ]
    for path in candidates:
        if (path / "clusters.json").is_file():
            return path
    return None


@dataclass(frozen=True)
class Cluster:
    id: str
    kind: str  # "event", "negative-control", "single", or "seeds"
    what: str
    keys: tuple[str, ...]


@dataclass
class Corpus:
    """The imported corpus: a store, its clusters, and the key of every article."""

    store: Any  # reader.store.Store
    clusters: dict[str, Cluster]
    article_of: dict[str, Any]  # key -> reader.models.Article
    key_of: dict[str, str] = field(default_factory=dict)  # article id -> key

    def __post_init__(self) -> None:
        self.key_of = {a.id: k for k, a in self.article_of.items()}

    def cluster_export(self, cluster_id: str) -> dict[str, Any]:
        """``parallax export --story`` of one cluster taken as one story."""
        from reader.export import build_export

        self._as_stories()
        return build_export(self.store, cluster_id)

    def cluster_markdown(self, cluster_id: str) -> str:
        from reader.export import export_markdown

        self._as_stories()
        return export_markdown(self.store, cluster_id)

    def cluster_analysis(self, cluster_id: str) -> ClusterAnalysis:
        """The objects behind the export (analyses, entities, alignment, framing, timeline)."""
        from reader.analysis.alignment import align_story
        from reader.analysis.cache import analyse_and_link
        from reader.analysis.framing import build_framing
        from reader.analysis.timeline import build_timeline

        articles = [self.article_of[k] for k in self.clusters[cluster_id].keys]
        analyses, index = analyse_and_link(self.store, articles)
        alignment = align_story(articles, analyses, index)
        return ClusterAnalysis(
            articles=articles,
            analyses=analyses,
            index=index,
            alignment=alignment,
            framing=build_framing(articles, analyses, index, alignment),
            timeline=build_timeline(articles, analyses, index),
        )

    def grouped_stories(self) -> list[tuple[str, ...]]:
        """How Parallax itself groups the whole corpus: each story as a tuple of keys."""
        from reader.analysis.stories import _entity_sets, group_stories

        articles = sorted(self.article_of.values(), key=lambda a: a.id)
        stories = group_stories(articles, _entity_sets(self.store, articles))
        return [tuple(sorted(self.key_of[i] for i in s.article_ids)) for s in stories]

    def _as_stories(self) -> None:
        from reader.models import Story

        if getattr(self, "_stories_written", False):
            return
        self.store.replace_stories(
            [Story(id=c.id, title=c.what, article_ids=tuple(self.article_of[k].id for k in c.keys))
             for c in self.clusters.values()]
        )
        self._stories_written = True

    def text_of(self, key: str) -> str:
        return self.article_of[key].text


@dataclass
class ClusterAnalysis:
    articles: list[Any]
    analyses: dict[str, Any]
    index: Any
    alignment: Any
    framing: Any
    timeline: Any

    @cached_property
    def by_id(self) -> dict[str, Any]:
        return {a.id: a for a in self.articles}


@dataclass
class Score:
    """One row of bench_truth's table: what was judged and how it came out."""

    facet: str
    measure: str
    right: int
    wrong: int
    missing: int | None = None  # None where "missing" has no meaning (precision-only rows)
    note: str = ""

    @property
    def precision(self) -> float | None:
        n = self.right + self.wrong
        return self.right / n if n else None


def _cache_db() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "parallax-truth" / "truth.sqlite"


def open_corpus(db: Path | None = None, *, with_devcorpus: bool = True) -> Corpus:
    """Import the seeds and (when present) the devcorpus into a store and analyse them.

    ``db`` defaults to a store under the user's cache folder, rebuilt from scratch each
    time (only its analysis cache is worth keeping between runs, and the store keeps that
    keyed by content hash, so the rebuilt store is filled from the old one's rows).
    """
    from reader.analysis.cache import ensure_analyses
    from reader.ingest.files import read_article_file
    from reader.ingest.seeds import seed_articles
    from reader.store import Store

    db = db or _cache_db()
    db.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix="truth-", dir=db.parent)) / "truth.sqlite"
    store = Store(fresh)
    _copy_analysis_cache(db, store)

    article_of: dict[str, Any] = {}
    clusters: dict[str, Cluster] = {}
    seed_keys = []
    for new in seed_articles():
        article, _ = store.add_article(new)
        key = "seed-" + Path(new.origin).name[:3]
        article_of[key] = article
        seed_keys.append(key)
    clusters[SEEDS_CLUSTER] = Cluster(
        SEEDS_CLUSTER, "seeds", "US embassy moves from Kyiv to Lviv (and one earlier article)",
        tuple(seed_keys),
    )

    folder = corpus_dir() if with_devcorpus else None
    if folder is not None:
        for entry in json.loads((folder / "clusters.json").read_text()):
            keys = []
            for item in entry["articles"]:
                path = folder / item["file"]
                new = read_article_file(path, outlet=item["outlet"])
                article, _ = store.add_article(new)
                article_of[path.stem] = article
                keys.append(path.stem)
            clusters[entry["id"]] = Cluster(entry["id"], entry["kind"], entry["what"], tuple(keys))

    ensure_analyses(store, list(article_of.values()))
    _keep_analysis_cache(store, db)
    return Corpus(store=store, clusters=clusters, article_of=article_of)


def _copy_analysis_cache(old: Path, store: Any) -> None:
    """Fill the new store's analysis cache from the last run's (rows keyed by content hash)."""
    import sqlite3

    if not old.exists():
        return
    try:
        store.conn.execute("ATTACH DATABASE ? AS old", (str(old),))
        store.conn.execute("INSERT OR IGNORE INTO main.analysis SELECT * FROM old.analysis")
        store.conn.execute("DETACH DATABASE old")
    except sqlite3.Error:
        pass


def _keep_analysis_cache(store: Any, db: Path) -> None:
    """Make this run's analyses the cache for the next run (the store stays open for use)."""
    import shutil
    import sqlite3

    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp = db.with_suffix(".tmp")
    with sqlite3.connect(store.path) as src, sqlite3.connect(tmp) as dst:
        src.backup(dst)
    os.replace(tmp, db)
    atexit.register(shutil.rmtree, store.path.parent, True)


def load_gold(facet: str) -> Any:
    """A facet's judgements (``tests/gold/<facet>.json``)."""
    return json.loads((ROOT / "tests" / "gold" / f"{facet}.json").read_text())


def find_sentence(text: str, snippet: str) -> bool:
    """Gold snippets are short substrings; compare with folded quotes and spaces."""
    return _fold(snippet) in _fold(text)


def _fold(s: str) -> str:
    table = str.maketrans(
        {"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "–": "-", "—": "-"}
    )
    return " ".join(s.translate(table).split()).lower()
