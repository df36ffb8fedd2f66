"""The Textual app: screens for places, workers for anything slow, themes as data.

Owns: building the app (``make_app``), the store it reads, navigation (screens ask
for another screen with the messages of ``reader.tui.messages``; only the app
constructs screens), theme registration and the remembered theme choice, background
analysis of new articles, and the command palette. Must not: run SQL bulk work, HTTP
or spaCy on the UI thread — those run in ``@work(thread=True)`` workers that post
messages back.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.config import Settings
from reader.sanitize import drawable
from reader.store import Store, StoreError
from reader.tui.commands import binding_commands
from reader.tui.messages import (
    AnalysisProgress,
    LibraryChanged,
    OpenArticle,
    OpenComparison,
    OpenDiff,
    OpenFacts,
    OpenTimeline,
    RefreshFinished,
    RefreshProgress,
    ShowFeeds,
)

if TYPE_CHECKING:
    from reader.ingest.feeds.report import FeedProgress, RefreshReport
    from reader.library import Library
from reader.tui.themes import DEFAULT_THEME, MONOCHROME_THEME, load_themes

CHANGE_POLL_SECONDS = 2.0
"""How often the app looks whether another process changed the database."""
REFRESH_GROUP = "fetch"
REFRESH_NAME = "feed refresh"


class ParallaxApp(App[int]):
    """Parallax: compare how outlets cover one event."""

    TITLE = "Parallax"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+t", "next_theme", "Next theme", show=False, id="app.next_theme"),
    ]

    def __init__(
        self,
        store: Store,
        theme: str | None = None,
        settings: Settings | None = None,
        settings_path: Path | None = None,
        analyse_on_start: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings.load(settings_path)
        self.settings_path = settings_path
        self.analyse_on_start = analyse_on_start
        self._requested_theme = theme
        self._theme_problems: list[str] = []
        self._theme_chosen = False
        self.own_themes: list[str] = []  # Parallax's bundled themes and the user's
        self._refresh_cancel = threading.Event()
        self._library: Library | None = None
        self._start_theme()

    @property
    def library(self) -> Library:
        """The application service over this app's store and settings (refresh,
        analysis, import, removal), used from workers."""
        if self._library is None:
            from reader.library import Library

            self._library = Library(self.store, self.settings)
        return self._library

    def _start_theme(self) -> None:
        """Register the themes and pick the first one before anything is styled.

        Setting ``App.theme`` re-parses every stylesheet and restyles every widget
        (Textual's ``refresh_css``); set at mount, that doubled the CSS work of a
        warm start. Here, before the stylesheet is first parsed, the theme's variables
        are simply the stylesheet's variables: what Textual's theme watcher does,
        without the re-parse (a later change of theme goes through the watcher).
        """
        loaded = load_themes()
        for theme in loaded.themes.values():
            self.register_theme(theme)
        self._theme_problems = loaded.problems
        self.own_themes = sorted(loaded.themes)
        name = self._initial_theme(loaded.themes)
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())
        self._theme_chosen = True  # from now on a new theme is the user's choice

    # -- start-up --------------------------------------------------------------
    def on_mount(self) -> None:
        from reader.tui.faults import UI_BUSY_TIMEOUT_MS

        # This thread's writes (a mark, a save) wait briefly for another process's
        # lock, then say the library is busy; workers keep the long timeout.
        self.store.set_busy_timeout(UI_BUSY_TIMEOUT_MS)
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        from reader.tui.screens.library import LibraryScreen

        self.push_screen(LibraryScreen())
        self._data_version = self.store.data_version()
        self._signature: tuple[int, int, str] | None = None
        # The workers start once the first frame is drawn: their imports (the
        # analysis cache, importlib.metadata for the model's version: ~50 ms of CPU)
        # and queries would share the GIL with the first frame (issue 20, item 17).
        self.call_after_refresh(self._start_workers)
        self.set_interval(CHANGE_POLL_SECONDS, self._poll_for_changes)
        for problem in [*self.settings.problems, *self._theme_problems]:
            self.notify(problem, severity="warning", markup=False)
        if self.store.read_only_note:
            self.notify(self.store.read_only_note, severity="warning", markup=False)

    def _start_workers(self) -> None:
        self._check_library(initial=True)
        if self.analyse_on_start:
            # On a fresh database the model is already loading in the analysis child
            # (``parallax`` started it before importing Textual) while the library
            # screen groups and paints the seeds.
            self.analyse_library()

    def _initial_theme(self, themes: Mapping[str, object]) -> str:
        if os.environ.get("NO_COLOR"):
            return MONOCHROME_THEME
        from reader.state import State

        wanted = self._requested_theme or State.load().theme_for(self.settings.theme)
        if wanted in themes:
            return wanted
        if self._requested_theme:
            self._theme_problems.append(f"unknown theme {wanted!r}; using {DEFAULT_THEME}")
        return DEFAULT_THEME

    def watch_theme(self, theme: str) -> None:
        """Remember the user's choice (not the NO_COLOR fallback or a --theme one-off)
        in the state file: the user's config.toml is never rewritten."""
        if not self._theme_chosen or os.environ.get("NO_COLOR") or self._requested_theme:
            return
        from reader.state import State

        state = State.load()
        if theme != state.theme_for(self.settings.theme):
            try:
                State(theme, self.settings.theme).save()
            except OSError as exc:
                self.notify(
                    f"could not remember the theme: {exc.strerror}",
                    severity="warning",
                    markup=False,
                )

    # -- background analysis -----------------------------------------------------
    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse_library(self) -> None:
        """Analyse every article without a cached analysis, then regroup stories."""
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            self.post_message(AnalysisProgress(done, total))

        analysed = self.library.analyse_pending(
            progress=progress,
            cancelled=lambda: worker.is_cancelled,
            in_app=True,
        )
        if analysed:
            self.post_message(LibraryChanged())

    # -- noticing another process's writes (parallax fetch/import in another shell) --
    def _poll_for_changes(self) -> None:
        """O(1) on the UI thread: has any other connection committed since the last look?"""
        try:
            version = self.store.data_version()
        except StoreError:
            return
        if version != self._data_version:
            self._data_version = version
            self._check_library()

    @work(thread=True, exclusive=True, group="library-poll", exit_on_error=False)
    def _check_library(self, initial: bool = False) -> None:
        """Something was committed: refresh the library if articles or stories changed
        (``initial``: only remember how the library looks at start)."""
        signature = self.store.library_signature()
        changed = self._signature is not None and signature != self._signature
        self._signature = signature
        if changed and not initial:
            self.post_message(LibraryChanged())

    # -- the feed refresh: an app worker, so the reader can leave the feeds screen --
    @property
    def refresh_running(self) -> bool:
        return any(w.group == REFRESH_GROUP and not w.is_finished for w in self.workers)

    def start_refresh(self) -> bool:
        """Refresh every feed in the background; False when one is already running.
        Its progress goes to the screens (``RefreshProgress``, ``RefreshFinished``), its
        end is one notification, then ``LibraryChanged`` and the background analysis
        when new articles arrived."""
        if self.refresh_running:
            return False
        self._refresh_cancel = threading.Event()
        self.run_worker(
            partial(self._refresh, self._refresh_cancel),
            name=REFRESH_NAME,
            group=REFRESH_GROUP,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )
        return True

    def cancel_refresh(self) -> bool:
        """Stop the running refresh (requests in flight end within a fraction of a
        second; what was stored stays); False when none is running."""
        if not self.refresh_running:
            return False
        self._refresh_cancel.set()
        return True

    def _refresh(self, cancel: threading.Event) -> RefreshReport:
        worker = get_current_worker()

        def progress(p: FeedProgress) -> None:
            self._to_screens(lambda: RefreshProgress(p))

        # Analysis is left to the analysis worker (``_refresh_done``), which the
        # start-up backlog shares: the reader hears of the new articles at once.
        outcome = self.library.refresh(
            analyse=False,
            progress=progress,
            cancel=cancel,
            cancelled=lambda: worker.is_cancelled,  # the app is closing (q): stop at once
        )
        report = outcome.report
        if worker.is_cancelled:
            return report
        self._to_screens(lambda: RefreshFinished(report))
        try:
            self.call_from_thread(self._refresh_done, report)
        except RuntimeError:  # the app stopped meanwhile
            pass
        return report

    def _refresh_done(self, report: RefreshReport) -> None:
        severity: SeverityLevel = (
            "error" if report.all_failed else "warning" if report.errors else "information"
        )
        self.notify(report.summary(), title="Feeds", severity=severity, markup=False)
        if report.new:
            self.post_message(LibraryChanged())
            self.analyse_library()

    # -- telling the screens ---------------------------------------------------------
    def _to_screens(self, make: Callable[[], Message]) -> None:
        """A fresh message to every screen on the stack (thread-safe: posting is)."""
        for screen in list(self.screen_stack):
            screen.post_message(make())

    @on(AnalysisProgress)
    def _analysis_progress(self, message: AnalysisProgress) -> None:
        self._to_screens(lambda: AnalysisProgress(message.done, message.total))

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        self._to_screens(LibraryChanged)

    # -- navigation: the screens ask, the app opens ------------------------------------
    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        from reader.tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(message.article_id))

    @on(OpenComparison)
    def _open_comparison(self, message: OpenComparison) -> None:
        from reader.tui.screens.compare import CompareScreen

        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if (
            message.back_to_open
            and isinstance(below, CompareScreen)
            and below.article_ids == message.article_ids
        ):
            self.pop_screen()
            for mark in message.marks:
                below.scroll_to_sentence(*mark)
            return
        self.push_screen(
            CompareScreen(
                list(message.article_ids),
                marks=list(message.marks),
                timeline_entry=message.timeline_entry,
            )
        )

    @on(OpenTimeline)
    def _open_timeline(self, message: OpenTimeline) -> None:
        from reader.tui.screens.timeline import TimelineScreen

        self.push_screen(
            TimelineScreen(list(message.article_ids), title=message.title, entry=message.entry)
        )

    @on(OpenDiff)
    def _open_diff(self, message: OpenDiff) -> None:
        from reader.tui.screens.diff import DiffScreen

        self.push_screen(DiffScreen(list(message.article_ids)))

    @on(OpenFacts)
    def _open_facts(self, message: OpenFacts) -> None:
        from reader.tui.screens.facts import FactsScreen

        self.push_screen(FactsScreen(list(message.article_ids)))

    @on(ShowFeeds)
    def _show_feeds(self, message: ShowFeeds) -> None:
        from reader.tui.screens.feeds import FeedsScreen

        self.push_screen(FeedsScreen(refresh=message.refresh))

    def on_worker_state_changed(self, event) -> None:  # type: ignore[no-untyped-def]
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            error = event.worker.error
            text = str(error).splitlines()[0] if str(error) else type(error).__name__
            if isinstance(error, StoreError):
                text = str(error)
            self.notify(
                f"{event.worker.name or 'background task'} failed: {text}",
                severity="error",
                markup=False,
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification passes the draw-time guard: messages name files (themes,
        imports) and carry text from the store (issue 17)."""
        super().notify(
            drawable(message),
            title=drawable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # -- actions -------------------------------------------------------------------
    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_next_theme(self) -> None:
        """The next of Parallax's and the user's themes (not Textual's built-in ones)."""
        names = self.own_themes
        if not names:
            return
        if self.theme not in names:
            self.theme = names[0]
        else:
            self.theme = names[(names.index(self.theme) + 1) % len(names)]
        self.notify(f"theme: {self.theme}", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from binding_commands(self, screen)
        for name in self.own_themes:
            yield SystemCommand(
                f"theme: {name}", "switch to this theme", lambda n=name: setattr(self, "theme", n)
            )


def make_app(
    db: str | os.PathLike[str] | None = None,
    theme: str | None = None,
    settings_path: Path | None = None,
    analyse_on_start: bool = True,
    store: Store | None = None,
) -> ParallaxApp:
    """The one factory for ``parallax``, the tests and the snapshots.

    Opens the store at ``db`` (raising ``StoreError`` with a one-line reason for an
    unusable file) and imports the seeds on a first start -- unless given a ``store``
    already opened that way (``parallax`` does it before importing Textual).
    """
    if store is None:
        from reader.ingest.seeds import import_seeds

        if db is None:
            raise TypeError("make_app needs db or store")
        store = Store(db)
        import_seeds(store)
    return ParallaxApp(
        store, theme=theme, settings_path=settings_path, analyse_on_start=analyse_on_start
    )
