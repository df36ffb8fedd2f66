"""The analysis cache: cached ``ArticleAnalysis`` per article, computing only misses.

Owns: the rule that an article's analysis is keyed by its content hash and the
analyzer version, so a second start does no NLP (and never imports spaCy) when
everything is cached. Must not: run spaCy on the UI thread; callers in the TUI use a
worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.models import Article, ArticleAnalysis
from reader.store import Store

if TYPE_CHECKING:
    from reader.analysis.entities import EntityIndex


def cached_analyses(store: Store, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    """The analyses already in the store (no spaCy), by article id."""
    version = nlp.analyzer_version()
    payloads = store.get_analyses([a.content_hash for a in articles], nlp.ANALYZER, version)
    return {
        a.id: nlp.loads(a.id, payloads[a.content_hash])
        for a in articles
        if a.content_hash in payloads
    }


def analyse_and_link(
    store: Store, articles: Sequence[Article]
) -> tuple[dict[str, ArticleAnalysis], EntityIndex]:
    """The analyses of ``articles`` (computing only misses) and their entities linked.

    What every comparison view and the export start from.
    """
    from reader.analysis.entities import link_entities

    analyses = ensure_analyses(store, articles)
    return analyses, link_entities(articles, analyses)


def ensure_analyses(
    store: Store,
    articles: Sequence[Article],
    progress: Callable[[int, int], None] | None = None,
    batch: int = 8,
    cancelled: Callable[[], bool] = lambda: False,
    n_process: int = 1,
) -> dict[str, ArticleAnalysis]:
    """Analyses for all ``articles``: cached ones loaded, the rest computed and stored.

    ``progress(done, total)`` is called after each batch of computed articles; when
    ``cancelled()`` turns true the rest is left for later (what was done is stored).
    """
    result = cached_analyses(store, articles)
    todo = [a for a in articles if a.id not in result]
    version = nlp.analyzer_version()
    for start in range(0, len(todo), batch):
        if cancelled():
            break
        chunk = todo[start : start + batch]
        computed = nlp.analyze_texts([(a.id, a.text) for a in chunk], n_process=n_process)
        store.put_analyses(
            nlp.ANALYZER,
            version,
            [(a.content_hash, nlp.dumps(computed[a.id])) for a in chunk],
        )
        for article in chunk:
            result[article.id] = computed[article.id]
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    return result
