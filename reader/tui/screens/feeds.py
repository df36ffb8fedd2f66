"""Feeds: the subscriptions, adding and removing them, OPML in and out, refreshing.

Owns: the feeds table (name, URL, last status, one-line last error, article and
unread counts; the selected feed's tags in the status line), ``M`` marking a whole
feed read with ``u`` to undo it (exactly the articles it changed), the dialogs (add
a feed, confirm a removal, OPML import path, OPML export path) and the refresh,
which ``c`` ("Cancel refresh", also in the palette) stops within a second, keeping
what was stored. A feed whose server asked us to wait (HTTP 429/503 with
Retry-After) shows "rate-limited until HH:MM". The refresh runs as a thread worker on the
*app* (``ParallaxApp.start_refresh``), not on this screen, so the reader can leave the
screen and go on reading; this screen shows its ``RefreshProgress`` and
``RefreshFinished`` while it is on the stack.

Must not: fetch or parse feeds (``ingest.feeds``), validate URLs its own way
(``ingest.http.check_url``), write SQL (``store``), or put feed names, URLs or
error reasons through markup (Rich ``Text`` cells, ``Content``, ``markup=False``).
Styles live in ``DEFAULT_CSS`` here, like the help dialog's.

Why one module of ~620 lines: the feeds table and its four small dialogs share the
feed under the cursor and the one-line errors; the refresh itself is the app's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, ProgressBar, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from reader.ingest.feeds.report import rate_limited_until
from reader.models import Feed
from reader.sanitize import drawable
from reader.tui.dialogs import ConfirmDialog
from reader.tui.faults import store_action
from reader.tui.messages import LibraryChanged, RefreshFinished, RefreshProgress
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.table_fit import fill_column
from reader.wording import count, plural

if TYPE_CHECKING:
    from reader.ingest.opml import OpmlFeed

DEFAULT_EXPORT_PATH = "~/parallax-feeds.opml"
NO_FEEDS = "no feeds yet: press a to add one"

T = TypeVar("T")


# -- dialogs -----------------------------------------------------------------------------


class DialogError(Exception):
    """What a dialog shows under its inputs; ``str(exc)`` is one line."""


class FeedDialog(ModalScreen[T | None], Generic[T]):
    """A small form: a title, inputs, a one-line error and a hint. ``check`` turns the
    inputs into the result or raises ``DialogError``; escape cancels (``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    FeedDialog { align: center middle; }
    FeedDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FeedDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    FeedDialog .dialog-error { color: $error; height: auto; }
    FeedDialog .dialog-hint { color: $text-muted; }
    """
    TITLE_TEXT = ""
    HINT = "enter: ok · tab: next field · esc: cancel"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.TITLE_TEXT, classes="dialog-title", markup=False)
            yield from self.fields()
            yield Static("", classes="dialog-error", id="dialog-error", markup=False)
            yield Static(self.HINT, classes="dialog-hint", markup=False)

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#dialog-error", Static).display = False
        first = self.query(Input).first()
        first.focus()

    def check(self) -> T:
        raise NotImplementedError

    def show_error(self, reason: str) -> None:
        error = self.query_one("#dialog-error", Static)
        # may name a file: through the draw-time guard (issue 17)
        error.update(Content(drawable(reason.splitlines()[0]) if reason else "invalid"))
        error.display = True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            result = self.check()
        except DialogError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddFeedDialog(FeedDialog[tuple[str, str]]):
    """A feed's URL (checked: http or https) and an optional name."""

    TITLE_TEXT = "Add a feed"

    def fields(self) -> ComposeResult:
        yield Input(placeholder="feed URL: https://example.org/feed.xml", id="feed-url")
        yield Input(placeholder="name (optional: the feed's own title)", id="feed-name")

    def check(self) -> tuple[str, str]:
        from reader.ingest.http import FetchError, check_url

        try:
            url = check_url(self.query_one("#feed-url", Input).value)
        except FetchError as exc:
            raise DialogError(str(exc)) from None
        return url, self.query_one("#feed-name", Input).value.strip()


class TagsDialog(FeedDialog[list[str]]):
    """A feed's tags, comma-separated (an empty line removes them all)."""

    TITLE_TEXT = "Tags"

    def __init__(self, feed: Feed) -> None:
        super().__init__()
        self.feed = feed

    def fields(self) -> ComposeResult:
        yield Static(Content(f"{self.feed.name} · {self.feed.url}"), markup=False)
        yield Input(
            ", ".join(self.feed.tags),
            placeholder="tags, comma-separated: world, europe",
            id="feed-tags",
        )

    def check(self) -> list[str]:
        raw = self.query_one("#feed-tags", Input).value
        return [t.strip() for t in raw.split(",") if t.strip()]


class RenameDialog(FeedDialog[str]):
    """A feed's new name (also its articles' outlet)."""

    TITLE_TEXT = "Rename feed"

    def __init__(self, feed: Feed) -> None:
        super().__init__()
        self.feed = feed

    def fields(self) -> ComposeResult:
        yield Static(Content(self.feed.url), markup=False)
        yield Input(self.feed.name, placeholder="the outlet's name", id="feed-name")

    def check(self) -> str:
        name = self.query_one("#feed-name", Input).value.strip()
        if not name:
            raise DialogError("type a name")
        return name


class ImportOpmlDialog(FeedDialog["tuple[Path, list[OpmlFeed]]"]):
    """A path to an OPML file, read and parsed before the dialog closes."""

    TITLE_TEXT = "Import feeds from an OPML file"

    def fields(self) -> ComposeResult:
        yield Input(placeholder="path to an .opml file", id="opml-path")

    def check(self) -> tuple[Path, list[OpmlFeed]]:
        from reader.ingest.opml import OpmlError, read_opml_file

        value = self.query_one("#opml-path", Input).value.strip()
        if not value:
            raise DialogError("type the path of an OPML file")
        path = Path(value).expanduser()
        try:
            entries = read_opml_file(path)
        except OpmlError as exc:
            raise DialogError(str(exc)) from None
        if not entries:
            raise DialogError(f"{path.name}: no feeds in this OPML file")
        return path, entries


class ExportOpmlDialog(FeedDialog[Path]):
    """A path to write the subscriptions to, as OPML (written before the dialog closes)."""

    TITLE_TEXT = "Export the feeds as OPML"

    def __init__(self, feeds: list[Feed], default: str = DEFAULT_EXPORT_PATH) -> None:
        super().__init__()
        self.feeds = feeds
        self.default = default

    def fields(self) -> ComposeResult:
        yield Input(self.default, placeholder="path of the OPML file to write", id="opml-out")

    def check(self) -> Path:
        from reader.ingest.opml import export_opml

        value = self.query_one("#opml-out", Input).value.strip()
        if not value:
            raise DialogError("type the path of the file to write")
        path = Path(value).expanduser()
        try:
            path.write_text(export_opml(self.feeds), encoding="utf-8")
        except OSError as exc:
            raise DialogError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path


# -- the screen ------------------------------------------------------------------------


class FeedsScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "feeds"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="feeds.back"),
        Binding("a", "add", "Add feed", id="feeds.add"),
        Binding("x,delete", "remove", "Remove", key_display="x/del", id="feeds.remove"),
        Binding("r", "refresh", "Refresh", tooltip="every feed", id="feeds.refresh"),
        Binding(
            "c",
            "cancel_refresh",
            "Cancel refresh",
            show=False,
            tooltip="stop the running refresh; what was stored stays",
            id="feeds.cancel_refresh",
        ),
        Binding("i", "import_opml", "Import OPML", show=False, id="feeds.import"),
        Binding("o", "export_opml", "Export OPML", show=False, id="feeds.export"),
        Binding("j", "cursor_down", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds.up"),
        Binding("t", "edit_tags", "Tags", show=False, id="feeds.tags"),
        Binding("n", "rename", "Rename", show=False, id="feeds.rename"),
        Binding("M", "mark_feed_read", "Mark feed read", show=False, id="feeds.mark_all"),
        Binding("u", "undo_mark", "Undo mark read", show=False, id="feeds.undo"),
    ]
    DEFAULT_CSS = """
    FeedsScreen #feeds { height: 1fr; }
    FeedsScreen #feeds-progress { height: 1; padding: 0 1; background: $surface; }
    FeedsScreen #feeds-progress Bar { width: 1fr; }
    """

    @dataclass
    class Loaded(Message):
        feeds: list[Feed]
        select: int | None = None  # feed id to put the cursor on

    @dataclass
    class Edited(Message):
        """An add, removal or import finished: say so, then reload."""

        notice: str
        severity: str = "information"
        select: int | None = None

    def __init__(self, refresh: bool = False) -> None:
        super().__init__()
        self.refresh_on_mount = refresh
        self.feeds: list[Feed] | None = None  # None until loaded
        self._refresh_pending = False
        self._last_summary = ""
        self.undo: list[str] = []  # the ids the last "mark feed read" changed

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="feeds", cursor_type="row", zebra_stripes=False)
        yield ProgressBar(id="feeds-progress", show_eta=False)
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#feeds", DataTable)
        table.add_column("Name", key="name", width=16)
        table.add_column("URL", key="url", width=18)
        table.add_column("Status", key="status", width=9)
        table.add_column("Last error", key="error")
        table.add_column("Articles", key="count", width=8)
        table.add_column("Unread", key="unread", width=6)
        table.focus()
        bar = self.query_one("#feeds-progress", ProgressBar)
        bar.display = self.parallax.refresh_running
        if bar.display:
            self._status("a refresh is running…")
        self._refresh_pending = self.refresh_on_mount
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_error_column()

    def _fit_error_column(self) -> None:
        """The error column takes the width left, so nothing scrolls sideways at 80 columns."""
        table = self.query_one("#feeds", DataTable)
        # its own padding and the vertical scrollbar's room (2)
        fill_column(table, "error", table.size.width - 2 * table.cell_padding - 2, 12)

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Content(text))

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="feeds-table", exit_on_error=False)
    def load(self, select: int | None = None) -> None:
        self.post_message(self.Loaded(self.store.feeds(), select))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.feeds = message.feeds
        table = self.query_one("#feeds", DataTable)
        selected = message.select if message.select is not None else self._selected_id()
        table.clear()
        for feed in message.feeds:
            table.add_row(*self._cells(feed), key=str(feed.id))
        self._fit_error_column()
        if selected is not None:
            try:
                table.move_cursor(row=table.get_row_index(str(selected)))
            except RowDoesNotExist:
                pass
        if not self.parallax.refresh_running:
            self._status(self._idle_status())
        if self._refresh_pending:
            self._refresh_pending = False
            self.action_refresh()

    def _idle_status(self) -> str:
        if not self.feeds:
            return NO_FEEDS
        if self._last_summary:
            return f"refreshed: {self._last_summary} · {count(len(self.feeds), 'feed')}"
        feeds = count(len(self.feeds), "feed")
        return f"{feeds} · a: add · r: refresh all · i/o: OPML import/export"

    def _status_cell(self, status: str | None) -> Text:
        if status == "error":
            return Text("failed", style=f"bold {self._error_colour()}")
        if status == "rate-limited":
            return Text("waiting", style=f"bold {self._error_colour()}")
        return Text(status or "new", style="" if status else "dim")

    def _error_colour(self) -> str:
        return self.app.theme_variables.get("error", "red")

    def _cells(self, feed: Feed) -> tuple[Text, ...]:
        # Rich Text cells: a plain str would be parsed as markup.
        waiting = rate_limited_until(feed)
        return (
            Text(feed.name, no_wrap=True, overflow="ellipsis"),
            Text(feed.url, no_wrap=True, overflow="ellipsis"),
            self._status_cell("rate-limited" if waiting else feed.last_status),
            Text(waiting or feed.last_error or "", no_wrap=True, overflow="ellipsis"),
            Text(str(feed.article_count), justify="right"),
            Text(str(feed.unread_count), justify="right"),
        )

    @on(DataTable.RowHighlighted, "#feeds")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The selected feed's whole error, which the table cuts at 80 columns."""
        if self.parallax.refresh_running:
            return
        feed = self._selected_feed()
        waiting = rate_limited_until(feed) if feed is not None else None
        if feed is not None and (waiting or feed.last_error):
            said = "; ".join(x for x in (waiting, feed.last_error) if x)
            self._status(f"{feed.name}: {said}")
        elif feed is not None and feed.tags:
            self._status(f"{feed.name}: tags {', '.join(feed.tags)}")
        else:
            self._status(self._idle_status())

    def _selected_id(self) -> int | None:
        table = self.query_one("#feeds", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return int(key) if key else None

    def _selected_feed(self) -> Feed | None:
        ident = self._selected_id()
        return next((f for f in self.feeds or [] if f.id == ident), None)

    # -- refresh -----------------------------------------------------------------
    def action_refresh(self) -> None:
        if self.feeds is None:  # not loaded yet: refresh once it is
            self._refresh_pending = True
            return
        if not self.feeds:
            self.notify(NO_FEEDS, markup=False)
            self._status(NO_FEEDS)
            return
        bar = self.query_one("#feeds-progress", ProgressBar)
        bar.display = True
        if not self.parallax.start_refresh():
            self.notify("a refresh is already running", markup=False)
            return
        bar.update(total=len(self.feeds), progress=0)
        self._status(
            f"refreshing {count(len(self.feeds), 'feed')}… "
            "(c: cancel · esc: go on reading meanwhile)"
        )

    def action_cancel_refresh(self) -> None:
        if self.parallax.cancel_refresh():
            self._status("cancelling the refresh… (what was stored stays)")
        else:
            self.notify("no refresh is running", markup=False)

    @on(RefreshProgress)
    def _progress(self, message: RefreshProgress) -> None:
        p = message.progress
        bar = self.query_one("#feeds-progress", ProgressBar)
        bar.display = True
        total = max(1, p.feeds_total)
        shown = bar.progress if bar.total == total else 0
        bar.update(total=total, progress=max(shown, p.feeds_done))
        head = f"refreshing: {p.feeds_done}/{p.feeds_total} {plural('feed', p.feeds_total)} · "
        if p.stage == "done" and p.result is not None:
            self._status(head + p.result.line)
            self._show_result(p.result.feed_id, p.result.status, p.result.error)
        elif p.stage == "pages" and p.total:
            self._status(head + f"{p.name}: page {p.done}/{p.total}")
        else:
            self._status(head + f"fetching {p.name}")

    def _show_result(self, feed_id: int, status: str, error: str | None) -> None:
        if status == "cancelled":
            return
        table = self.query_one("#feeds", DataTable)
        try:
            table.update_cell(str(feed_id), "status", self._status_cell(status))
            table.update_cell(
                str(feed_id), "error", Text(error or "", no_wrap=True, overflow="ellipsis")
            )
        except CellDoesNotExist:  # removed meanwhile, or not loaded yet
            pass

    @on(RefreshFinished)
    def _finished(self, message: RefreshFinished) -> None:
        bar = self.query_one("#feeds-progress", ProgressBar)
        total = max(1, len(message.report.results))
        bar.update(total=total, progress=total)
        self._last_summary = message.report.summary()
        self._status(self._idle_status())
        self.load()

    # -- editing -----------------------------------------------------------------
    def action_add(self) -> None:
        self.app.push_screen(AddFeedDialog(), callback=self._add_chosen)

    def _add_chosen(self, result: tuple[str, str] | None) -> None:
        if result is not None:
            self._add(*result)

    @work(thread=True, group="feeds-edit", exit_on_error=False)
    def _add(self, url: str, name: str) -> None:
        feed, created = self.store.add_feed(url, name)
        if created:
            self.post_message(self.Edited(f"added {feed.name}: press r to refresh", select=feed.id))
        else:
            self.post_message(self.Edited(f"already subscribed: {feed.name}", select=feed.id))

    def action_edit_tags(self) -> None:
        feed = self._selected_feed()
        if feed is None:
            self.notify("no feed selected", markup=False)
            return
        self.app.push_screen(TagsDialog(feed), callback=partial(self._tags_chosen, feed))

    def _tags_chosen(self, feed: Feed, tags: list[str] | None) -> None:
        if tags is not None:
            self._set_tags(feed, tags)

    @work(thread=True, group="feeds-edit", exit_on_error=False)
    def _set_tags(self, feed: Feed, tags: list[str]) -> None:
        kept = self.store.set_feed_tags(feed.id, tags)
        said = f"tags of {feed.name}: {', '.join(kept)}" if kept else f"{feed.name}: no tags"
        self.post_message(self.Edited(said, select=feed.id))

    def action_rename(self) -> None:
        feed = self._selected_feed()
        if feed is None:
            self.notify("no feed selected", markup=False)
            return
        self.app.push_screen(RenameDialog(feed), callback=partial(self._rename_chosen, feed))

    def _rename_chosen(self, feed: Feed, name: str | None) -> None:
        if name is not None and name != feed.name:
            self._rename(feed, name)

    @work(thread=True, group="feeds-edit", exit_on_error=False)
    def _rename(self, feed: Feed, name: str) -> None:
        self.store.rename_feed(feed.id, name)
        self.post_message(self.Edited(f"renamed {feed.name} to {name}", select=feed.id))

    def action_remove(self) -> None:
        feed = self._selected_feed()
        if feed is None:
            self.notify("no feed selected", markup=False)
            return
        if self.parallax.refresh_running:  # its new articles would point at a missing feed
            self.notify("a refresh is running: remove the feed when it is done", markup=False)
            return
        named = f"“{feed.name}” ({feed.url})" if feed.name != feed.url else feed.url
        question = (
            f"Remove the feed {named}?\n"
            f"Its {count(feed.article_count, 'article')} stay in the library."
        )
        self.app.push_screen(ConfirmDialog(question), callback=partial(self._remove_chosen, feed))

    def _remove_chosen(self, feed: Feed, yes: bool | None) -> None:
        if yes:
            self._remove(feed)

    @work(thread=True, group="feeds-edit", exit_on_error=False)
    def _remove(self, feed: Feed) -> None:
        self.store.remove_feed(feed.id)
        self.post_message(
            self.Edited(
                f"removed {feed.name}; "
                f"its {count(feed.article_count, 'article')} stay in the library"
            )
        )

    def action_import_opml(self) -> None:
        self.app.push_screen(ImportOpmlDialog(), callback=self._import_chosen)

    def _import_chosen(self, result: tuple[Path, list[OpmlFeed]] | None) -> None:
        if result is not None:
            self._import(*result)

    @work(thread=True, group="feeds-edit", exit_on_error=False)
    def _import(self, path: Path, entries: list[OpmlFeed]) -> None:
        report = self.parallax.library.subscribe_opml(entries)
        self.post_message(
            self.Edited(
                report.line(path.name),
                severity="warning" if report.nothing_usable else "information",
            )
        )

    def action_export_opml(self) -> None:
        self.app.push_screen(ExportOpmlDialog(list(self.feeds or [])), callback=self._exported)

    def _exported(self, path: Path | None) -> None:
        if path is not None:
            self.notify(f"exported {count(len(self.feeds or []), 'feed')} to {path}", markup=False)

    @on(Edited)
    def _edited(self, message: Edited) -> None:
        self.notify(message.notice, severity=message.severity, markup=False)  # type: ignore[arg-type]
        self.load(message.select)

    # -- reading state -------------------------------------------------------------
    @store_action
    def action_mark_feed_read(self) -> None:
        feed = self._selected_feed()
        if feed is None:
            self.notify("no feed selected", markup=False)
            return
        changed = self.store.mark_feed_read(feed.id)
        if not changed:
            self.notify(f"Nothing unread in {feed.name}", markup=False)
            return
        self.undo = changed
        self.notify(f"Marked {len(changed)} read — u to undo", markup=False)
        self.load(feed.id)
        self.app.post_message(LibraryChanged())

    @store_action
    def action_undo_mark(self) -> None:
        if not self.undo:
            self.notify("Nothing to undo", markup=False)
            return
        restored = self.store.set_read(self.undo, False)
        self.undo = []
        self.notify(f"Marked {len(restored)} unread again", markup=False)
        self.load()
        self.app.post_message(LibraryChanged())

    # -- moving ------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.query_one("#feeds", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#feeds", DataTable).action_cursor_up()

    def action_back(self) -> None:
        self.app.pop_screen()
