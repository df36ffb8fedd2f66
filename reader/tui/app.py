"""The Textual app: screens for places, workers for anything slow, themes as data.

Owns: building the app (``make_app``), the store it reads, theme registration and
the remembered theme choice, background analysis of new articles, and the command
palette. Must not: run SQL bulk work, HTTP or spaCy on the UI thread — those run in
``@work(thread=True)`` workers that post messages back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
from reader.tui.themes import DEFAULT_THEME, MONOCHROME_THEME, load_themes

CHANGE_POLL_SECONDS = 2.0
"""How often the app looks whether another process changed the database."""


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

    @dataclass
    class AnalysisProgress(Message):
        """Background analysis advanced (``done`` of ``total`` new articles)."""

        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ParallaxApp.AnalysisProgress)

    class LibraryChanged(Message):
        """Articles or stories changed in the store (new analysis, fetch, import)."""

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
        self.own_themes: list[str] = []  # Parallax's bundled themes and the user's
        self._start_theme()

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

    def _initial_theme(self, themes: dict[str, object]) -> str:
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
        if not self.is_mounted or os.environ.get("NO_COLOR") or self._requested_theme:
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
        from reader.analysis import nlp

        worker = get_current_worker()
        if self.store.read_only:  # nothing could be cached: the views analyse on demand
            return
        todo = self.store.unanalysed_articles(nlp.ANALYZER, nlp.analyzer_version())
        if not todo:
            return
        # Only now: stories imports numpy (~0.2 s), which a warm start does not need.
        from reader.analysis.cache import ensure_analyses, processes_for
        from reader.analysis.stories import regroup

        self.post_message(self.AnalysisProgress(0, len(todo)))
        ensure_analyses(
            self.store,
            todo,
            progress=lambda done, total: self.post_message(self.AnalysisProgress(done, total)),
            cancelled=lambda: worker.is_cancelled,
            processes=processes_for(todo, in_app=True),
        )
        if worker.is_cancelled:
            return
        regroup(self.store, [a.id for a in todo])
        self.post_message(self.LibraryChanged())

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
            self.post_message(self.LibraryChanged())

    @on(AnalysisProgress)
    def _analysis_progress(self, message: AnalysisProgress) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "show_analysis_progress"):
                screen.show_analysis_progress(message.done, message.total)

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "library_changed"):
                screen.library_changed()

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
