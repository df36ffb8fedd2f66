"""The analysis cache: cached ``ArticleAnalysis`` per article, computing only misses.

Owns: the rule that an article's analysis is keyed by its content hash and the
analyzer version, so a second start does no NLP (and never imports spaCy) when
everything is cached. Must not: run spaCy on the UI thread; callers in the TUI use a
worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.models import Article, ArticleAnalysis
from reader.store import Store

if TYPE_CHECKING:
    from reader.analysis.entities import EntityIndex


NO_ANALYSIS = ArticleAnalysis((), ())
"""What an article whose analysis failed contributes: no sentences, no mentions."""


def cached_analyses(store: Store, articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    """The analyses already in the store (no spaCy), by article id.

    A payload that cannot be read (corrupt, or written by another format) is left
    out, so ``ensure_analyses`` computes it again and overwrites it. An article whose
    analysis failed (a cached failure) is in as ``NO_ANALYSIS``: its failure is
    recorded for it alone (``failed_analyses`` gives the reasons), and the views, the
    export and the story grouping go on with the other articles.
    """
    version = nlp.analyser_version()
    payloads = store.get_analyses([a.content_hash for a in articles], nlp.ANALYSER, version)
    out = {}
    for a in articles:
        if a.content_hash in payloads:
            try:
                out[a.id] = nlp.loads(a.id, payloads[a.content_hash], a.text)
            except nlp.AnalysisFailed:
                out[a.id] = NO_ANALYSIS
            except nlp.BadPayload:
                continue
    return out


def failed_analyses(store: Store, articles: Sequence[Article]) -> dict[str, str]:
    """Why each of ``articles`` whose analysis failed has none, by article id."""
    version = nlp.analyser_version()
    payloads = store.get_analyses([a.content_hash for a in articles], nlp.ANALYSER, version)
    out = {}
    for a in articles:
        reason = nlp.failure_reason(payloads.get(a.content_hash, b""))
        if reason is not None:
            out[a.id] = reason
    return out


def analysis_notes(store: Store, articles: Sequence[Article]) -> dict[str, str]:
    """One line per article whose analysis is missing or partial, by article id (for
    the export and the views)."""
    notes = {
        aid: f"not analysed ({reason}); left out of entities, timeline and alignment"
        for aid, reason in failed_analyses(store, articles).items()
    }
    for a in articles:
        part = nlp.analysed_part(a.text)
        if part is not None and a.id not in notes:
            notes[a.id] = f"only the first {part:,} of {len(a.text):,} characters analysed"
    return notes


def _loads(aid: str, payload: bytes, text: str) -> ArticleAnalysis:
    try:
        return nlp.loads(aid, payload, text)
    except nlp.AnalysisFailed:
        return NO_ANALYSIS


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
# when its analysis is stored (or given up). An article is claimed when its chunk is
# taken for a child, not when a call starts: the compare screen opening during a long
# background backlog analyses its own articles at once (between the background's
# chunks) instead of waiting for the backlog to reach them, and waits only for those
# already on their way.
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
    processes (``nlp.analyse_in_processes``; see ``processes_for``). Each batch is
    stored in one transaction as it arrives; ``progress(done, total)`` is called
    after each; when ``cancelled()`` turns true the rest is left for later (what
    was done is stored). Articles another call is analysing are waited for, and
    articles another call stored meanwhile are read, not analysed again.
    """
    result = cached_analyses(store, articles)
    todo = [a for a in articles if a.id not in result]
    if not todo:
        return result
    waiting: list[tuple[Article, threading.Event]] = []
    claimed: dict[str, Article] = {}  # by article id: claimed, not yet stored
    pending = iter(todo)
    finished = False  # set when this call ends: a feeder thread may still ask for work
    if processes > 1:  # small enough batches that every child gets work
        batch = max(1, min(batch, -(-len(todo) // processes)))

    def next_chunk() -> list[tuple[str, str]] | None:
        while True:
            candidates = [a for _, a in zip(range(batch), pending, strict=False)]
            if not candidates:
                return None
            # Stored meanwhile by another call: read, do not analyse again.
            result.update(cached_analyses(store, candidates))
            chunk = []
            with _inflight_lock:
                if finished or cancelled():
                    return None
                for a in candidates:
                    if a.id in result:
                        continue
                    if a.content_hash in _inflight:
                        waiting.append((a, _inflight[a.content_hash]))
                    else:
                        _inflight[a.content_hash] = threading.Event()
                        claimed[a.id] = a
                        chunk.append((a.id, a.text))
            if chunk:
                return chunk

    version = nlp.analyser_version()
    done = 0
    try:
        if processes > 0:
            chunks = nlp.analyse_in_processes(next_chunk, processes, cancelled)
        else:
            chunks = _in_process(next_chunk, cancelled)
        for payloads in chunks:
            store.put_analyses(
                nlp.ANALYSER, version, [(claimed[aid].content_hash, p) for aid, p in payloads]
            )
            with _inflight_lock:
                for aid, payload in payloads:
                    article = claimed.pop(aid)
                    result[aid] = _loads(aid, payload, article.text)
                    _inflight.pop(article.content_hash).set()
            done += len(payloads)
            if progress:
                progress(done, len(todo))
    finally:
        with _inflight_lock:  # cancelled or failed: give the rest up
            finished = True
            for article in claimed.values():
                _inflight.pop(article.content_hash).set()
    for _, event in waiting:
        while not event.wait(0.2):
            if cancelled():
                return result
    others = [a for a, _ in waiting]
    if others and not cancelled():
        result.update(cached_analyses(store, others))
        left = [a for a in others if a.id not in result]  # the other call gave up
        if left:
            result.update(ensure_analyses(store, left, None, batch, cancelled, processes))
    return result


def _in_process(
    next_chunk: Callable[[], list[tuple[str, str]] | None], cancelled: Callable[[], bool]
) -> Iterator[list[tuple[str, bytes]]]:
    while not cancelled():
        chunk = next_chunk()
        if chunk is None:
            return
        yield nlp.analyse_payloads(chunk)


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
    analysed = sum(min(len(a.text), nlp.MAX_ANALYSED_CHARS) for a in articles)
    large = analysed > LARGE_BACKLOG_CHARS
    if large and len(articles) > 1 and (cores or 1) > 1:
        return 2
    return 1 if in_app else 0


LARGE_BACKLOG_CHARS = 300_000
"""About 50,000 words: where a second child's model load pays for itself."""
