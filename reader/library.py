"""The library: the one application service the command line and the app both call.

Owns the sequences that span layers: ``refresh`` (every feed refreshed, read
articles past their retention pruned, what is new analysed, the stories regrouped
around it), ``import_files``, ``subscribe_opml`` (an OPML file's feeds subscribed and
tagged by their folders), ``analyse_pending`` (the backlog of articles without a
cached analysis), ``prune`` and ``remove``. Progress goes out through callbacks, so
each front end shows it its own way (Rich on a terminal, plain lines in a pipe,
messages posted from a Textual worker).

Must not: print, know about argparse or Textual, or block on anything the caller
did not ask for. Its methods are slow (network, disk, spaCy): the app calls them in
thread workers, never on the UI thread. Heavy imports (spaCy, numpy, feedparser)
happen inside the methods that need them: ``parallax list`` imports this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.config import Settings
    from reader.ingest.feeds.report import FeedProgress, RefreshReport
    from reader.ingest.feeds.subscribe import SubscribeReport
    from reader.ingest.opml import OpmlFeed
    from reader.models import Article
    from reader.store import Store


class RefreshInterrupted(Exception):
    """Ctrl-C stopped the feeds' refresh: the feeds finished so far are stored; nothing
    was pruned, analysed or regrouped."""


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What ``Library.refresh`` did: the feeds' report, then the later stages."""

    report: RefreshReport
    keep_read_days: int = 0  # the retention the prune used (0: off, nothing pruned)
    pruned: int = 0  # read feed articles deleted after the refresh
    analysed: int = 0  # new articles analysed (and their stories regrouped)


@dataclass(frozen=True, slots=True)
class FileImport:
    """One path given to ``import_files``: the article (``created`` False when it was
    already in the library), or the one-line reason it could not be imported."""

    path: Path
    article: Article | None = None
    created: bool = False
    error: str | None = None


class Library:
    """The articles, feeds and stories in ``store``, with the user's ``settings``.

    ``settings`` may be left out: they are then read with ``load_settings`` the first
    time a method needs them (the command line passes its loader, which reports the
    file's problems on stderr, so commands that never need them never read them).
    """

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        load_settings: Callable[[], Settings] | None = None,
    ) -> None:
        self.store = store
        self._settings = settings
        self._load_settings = load_settings

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            if self._load_settings is not None:
                self._settings = self._load_settings()
            else:
                from reader.config import Settings

                self._settings = Settings.load()
        return self._settings

    # -- feeds -------------------------------------------------------------------
    def refresh(
        self,
        *,
        pages: bool = True,
        analyse: bool = True,
        progress: Callable[[FeedProgress], None] | None = None,
        analysis_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        in_app: bool = False,
    ) -> RefreshOutcome:
        """Refresh every feed, prune what retention says (``keep_read_days``), then,
        with ``analyse``, analyse the articles this refresh stored and regroup the
        stories around them.

        Two ways to stop: ``cancel`` (the reader pressed cancel) stops the downloads,
        keeps what was stored and still prunes and analyses; ``cancelled()`` true (the
        caller is going away: the app is closing) returns right after the downloads,
        with nothing pruned or analysed. Ctrl-C during the downloads raises
        ``RefreshInterrupted`` (their requests are stopped at once).

        ``analyse=False`` leaves analysis and regrouping to the caller: the app runs
        them in its own background worker, shared with the start-up backlog
        (``analyse_pending``), and ``parallax fetch --no-analyse`` leaves them to the app.
        """
        from reader.ingest.feeds.refresh import refresh_feeds

        cancel = cancel if cancel is not None else threading.Event()
        try:
            report = refresh_feeds(
                self.store, pages=pages, progress=progress, cancel=cancel, cancelled=cancelled
            )
        except KeyboardInterrupt:
            cancel.set()
            raise RefreshInterrupted from None
        if cancelled():
            return RefreshOutcome(report)
        keep = self.settings.keep_read_days
        pruned = self.store.prune(keep) if keep > 0 else 0  # retention: off unless set
        analysed = 0
        new_ids = report.article_ids
        if analyse and new_ids:
            articles = self.store.get_articles(list(new_ids))
            if articles:
                self._analyse(articles, analysis_progress, cancelled, in_app)
                if cancelled():
                    return RefreshOutcome(report, keep, pruned)
                self._regroup(new_ids)
                analysed = len(articles)
        return RefreshOutcome(report, keep, pruned, analysed)

    # -- analysis ------------------------------------------------------------------
    def analyse_pending(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        in_app: bool = True,
    ) -> list[str]:
        """Analyse every article without a cached analysis, then regroup the stories
        around them; returns their ids (none: nothing to do, a read-only library, or
        ``cancelled()`` turned true: then nothing is regrouped). ``progress(done,
        total)`` starts at ``(0, total)``."""
        from reader.analysis import nlp

        if self.store.read_only:  # nothing could be cached: the views analyse on demand
            return []
        todo = self.store.unanalysed_articles(nlp.ANALYSER, nlp.analyser_version())
        if not todo:
            return []
        if progress is not None:
            progress(0, len(todo))
        self._analyse(todo, progress, cancelled, in_app)
        if cancelled():
            return []
        ids = [a.id for a in todo]
        self._regroup(ids)
        return ids

    def _analyse(
        self,
        articles: Sequence[Article],
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool],
        in_app: bool,
    ) -> None:
        # Only now: stories and the cache import numpy, which a warm start does not need.
        from reader.analysis.cache import ensure_analyses, processes_for

        ensure_analyses(
            self.store,
            articles,
            progress=progress,
            cancelled=cancelled,
            processes=processes_for(articles, in_app=in_app),
        )

    def _regroup(self, changed: Sequence[str]) -> None:
        """Re-form the stories around ``changed`` (no NLP: cached analyses only)."""
        from reader.analysis.stories import regroup

        regroup(self.store, changed)

    # -- files -----------------------------------------------------------------------
    def import_files(
        self,
        paths: Sequence[str | Path],
        *,
        outlet: str | None = None,
        published: date | None = None,
        each: Callable[[FileImport], None] | None = None,
    ) -> list[FileImport]:
        """Import ``.txt`` and ``.html`` files, calling ``each`` as every path is done.
        The stories are regrouped around the new articles only when every file was
        imported (a failure leaves the grouping to the next import or refresh)."""
        from reader.ingest.files import ImportFailed, read_article_file

        done: list[FileImport] = []
        for raw in paths:
            path = Path(raw)
            try:
                new = read_article_file(path, outlet=outlet, published=published)
            except ImportFailed as exc:
                result = FileImport(path, error=str(exc))
            else:
                article, created = self.store.add_article(new)
                result = FileImport(path, article, created)
            done.append(result)
            if each is not None:
                each(result)
        if all(r.error is None for r in done):
            self._regroup([r.article.id for r in done if r.created and r.article is not None])
        return done

    # -- subscriptions -------------------------------------------------------------------
    def subscribe_opml(self, entries: Sequence[OpmlFeed]) -> SubscribeReport:
        """Subscribe to an OPML file's feeds (URLs that are not http(s) are skipped with a
        reason in the report) and tag them with their OPML folders and categories."""
        from reader.ingest.feeds.subscribe import subscribe_all
        from reader.ingest.opml import tags_by_url

        report = subscribe_all(self.store, [(e.url, e.title) for e in entries])
        self.store.tag_feeds_by_url(dict(tags_by_url(entries)))
        return report

    # -- keeping the library small -----------------------------------------------------
    def prune(self, days: int | None = None, *, dry_run: bool = False) -> int:
        """Delete feed articles read more than ``days`` days ago (default: the
        settings' ``keep_read_days``; 0 or less deletes nothing); returns how many
        (would) go. Saved articles, saved comparisons, seeds and imported files stay."""
        days = self.settings.keep_read_days if days is None else days
        if days < 1:
            return 0
        return self.store.prune(days, dry_run=dry_run)

    def remove(self, ids: Sequence[str]) -> list[Article]:
        """Delete these articles (unknown ids are skipped); returns the ones deleted."""
        return self.store.remove(ids)
