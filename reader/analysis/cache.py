"""The analysis cache: cached ``ArticleAnalysis`` per article, computing only misses.

Owns: the rule that an article's analysis is keyed by its content hash and the
analyzer version, so a second start does no NLP (and never imports spaCy) when
everything is cached. Must not: run spaCy on the UI thread; callers in the TUI use a
worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.models import Article, ArticleAnalysis
from reader.store import Store

if TYPE_CHECKING:
    from reader.analysis.entities import EntityIndex


def cached_analyses(store: Store, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    """The analyses already in the store (no spaCy), by article id.

    A payload that cannot be read (corrupt, or written by another format) is left
    out, so ``ensure_analyses`` computes it again and overwrites it.
    """
    version = nlp.analyzer_version()
    payloads = store.get_analyses([a.content_hash for a in articles], nlp.ANALYZER, version)
    out = {}
    for a in articles:
        if a.content_hash in payloads:
            try:
                out[a.id] = nlp.loads(a.id, payloads[a.content_hash], a.text)
            except nlp.BadPayload:
                continue
    return out


def analyse_and_link(
    store: Store, articles: Sequence[Article], processes: int = 0
) -> tuple[dict[str, ArticleAnalysis], EntityIndex]:
    """The analyses of ``articles`` (computing only misses) and their entities linked.

    What every comparison view and the export start from. The app's screens pass
    ``processes=1``: a miss is computed in a child, never with spaCy in the app.
    """
    from reader.analysis.entities import link_entities

    analyses = ensure_analyses(store, articles, processes=processes)
    return analyses, link_entities(articles, analyses)


# Content hashes being analysed right now in this process, each with an event set
# when its analysis is stored (or given up). A second caller (the compare screen
# opening while the background analysis works through the same articles) waits for
# those instead of analysing them twice.
_inflight: dict[str, threading.Event] = {}
_inflight_lock = threading.Lock()


def ensure_analyses(
    store: Store,
    articles: Sequence[Article],
    progress: Callable[[int, int], None] | None = None,
    batch: int = 8,
    cancelled: Callable[[], bool] = lambda: False,
    processes: int = 0,
) -> dict[str, ArticleAnalysis]:
    """Analyses for all ``articles``: cached ones loaded, the rest computed and stored.

    ``processes=0`` runs spaCy in this process (thread); ``n > 0`` in ``n`` child
    processes (``nlp.analyze_in_processes``; see ``processes_for``). Each batch is
    stored in one transaction as it arrives; ``progress(done, total)`` is called
    after each; when ``cancelled()`` turns true the rest is left for later (what
    was done is stored).
    """
    result = cached_analyses(store, articles)
    missing = [a for a in articles if a.id not in result]
    with _inflight_lock:
        todo = {a.id: a for a in missing if a.content_hash not in _inflight}
        waiting = [(a, _inflight[a.content_hash]) for a in missing if a.id not in todo]
        for a in todo.values():
            _inflight[a.content_hash] = threading.Event()
    try:
        _compute(store, todo, result, progress, batch, cancelled, processes)
    finally:
        with _inflight_lock:
            for a in todo.values():
                _inflight.pop(a.content_hash).set()
    if waiting:
        for _, event in waiting:
            while not event.wait(0.2):
                if cancelled():
                    return result
        others = [a for a, _ in waiting]
        done = cached_analyses(store, others)
        result.update(done)
        left = [a for a in others if a.id not in done]  # the other caller gave up
        if left:
            result.update(ensure_analyses(store, left, None, batch, cancelled, processes))
    return result


def _compute(
    store: Store,
    todo: dict[str, Article],
    result: dict[str, ArticleAnalysis],
    progress: Callable[[int, int], None] | None,
    batch: int,
    cancelled: Callable[[], bool],
    processes: int,
) -> None:
    """Analyse ``todo`` (by article id), storing each batch and adding it to ``result``."""
    if not todo:
        return
    version = nlp.analyzer_version()
    items = [(a.id, a.text) for a in todo.values()]
    if processes > 1:  # small enough batches that every child gets work
        batch = max(1, min(batch, -(-len(items) // processes)))
    chunks = [items[i : i + batch] for i in range(0, len(items), batch)]
    if processes > 0:
        done_chunks = nlp.analyze_in_processes(chunks, processes, cancelled)
    else:
        done_chunks = (nlp.analyze_payloads(c) for c in chunks if not cancelled())
    done = 0
    for payloads in done_chunks:
        store.put_analyses(
            nlp.ANALYZER, version, [(todo[aid].content_hash, p) for aid, p in payloads]
        )
        for aid, payload in payloads:
            result[aid] = nlp.loads(aid, payload, todo[aid].text)
        done += len(payloads)
        if progress:
            progress(done, len(todo))


def processes_for(articles: Sequence[Article], in_app: bool) -> int:
    """How many child processes to analyse ``articles`` with (0: in this process).

    The app always analyses in a child: spaCy in a thread would hold the GIL the UI
    needs, the model has to be loaded anyway, and on two cores the child's model
    load runs beside the app's own start-up. Two children only for a large backlog
    (on two or more cores): each loads its own model (~2 s of CPU), and while the
    app is starting a second child takes the core the UI needs (measured: the seeds
    were listed ~1.5 s later with two children on a busy 2-core machine). The
    command line analyses in-process (no spawn, one model load) unless the backlog
    is large.
    """
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    large = sum(len(a.text) for a in articles) > LARGE_BACKLOG_CHARS
    if large and len(articles) > 1 and (cores or 1) > 1:
        return 2
    return 1 if in_app else 0


LARGE_BACKLOG_CHARS = 300_000
"""About 50,000 words: where a second child's model load pays for itself."""
