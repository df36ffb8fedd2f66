"""The library: stories and their articles, full-text search, picking articles to compare.

Owns: the list of stories (each followed by its articles), FTS5 search (``/``), the
hand-picked set for a custom comparison (``space``), and opening the reader,
compare, timeline and diff screens. Loads from the store in a worker.

A page, not the whole library: the ``PAGE`` stories with the newest articles and the
``PAGE`` newest articles in no story, read by index walks, so the screen opens as fast
on 100,000 articles as on five; a last "more" row (``enter``) shows another page.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from reader.models import ArticleSummary, Story
from reader.tui.widgets.key_footer import KeyFooter

PAGE = 20
"""Stories (and ungrouped articles) per page of the library table."""


def outlet_count(story: Story, summaries: dict[str, ArticleSummary]) -> int:
    return len({summaries[a].outlet for a in story.article_ids if a in summaries})


class LibraryScreen(Screen):
    PALETTE_GROUP = "library"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("c", "compare", "Compare", id="library.compare"),
        Binding("space", "pick", "Pick", id="library.pick"),
        Binding("slash", "search", "Search", key_display="/", id="library.search"),
        Binding("t", "timeline", "Timeline", id="library.timeline"),
        Binding(
            "T", "library_timeline", "Library timeline", show=False, id="library.library_timeline"
        ),
        Binding("d", "diff", "Diff", id="library.diff"),
        Binding("f", "feeds", "Feeds", show=False, id="library.feeds"),
        Binding("r", "refresh", "Refresh feeds", show=False, id="library.refresh"),
        Binding("escape", "clear", "Clear search/picks", show=False, id="library.clear"),
        Binding("j", "cursor_down", "Down", show=False, id="library.down"),
        Binding("k", "cursor_up", "Up", show=False, id="library.up"),
    ]

    @dataclass
    class Loaded(Message):
        stories: list[Story]
        summaries: list[ArticleSummary]
        query: str | None = None
        total_articles: int = 0
        total_stories: int = 0
        more: bool = False

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[Story] = []
        self.summaries: dict[str, ArticleSummary] = {}
        self.picked: list[str] = []
        self.query_text: str | None = None
        self._started_analysis = False
        self.pages = 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="search the library (words, prefixes); enter to search, esc to clear",
            id="search",
        )
        yield DataTable(id="library", cursor_type="row", zebra_stripes=False)
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#library", DataTable)
        table.add_column("", key="pick", width=1)
        table.add_column("Outlet", key="outlet", width=16)
        table.add_column("Date", key="date", width=10)
        table.add_column("Title", key="title")
        self.query_one("#search", Input).display = False
        table.focus()
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_title_column()

    def _fit_title_column(self) -> None:
        """The title column takes the width left, so nothing scrolls sideways at 80 columns."""
        table = self.query_one("#library", DataTable)
        fixed = sum(
            c.get_render_width(table) for k, c in table.columns.items() if k.value != "title"
        )
        width = max(20, self.size.width - fixed - 4)
        column = table.columns.get("title")  # type: ignore[call-overload]
        if column is not None:
            column.auto_width = False
            column.width = width
            table.refresh()

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load(self, query: str | None = None) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        if query:
            self.post_message(self.Loaded([], store.search(query), query))
            return
        limit = PAGE * self.pages
        stories, summaries = store.recent_stories(limit)
        ungrouped = store.list_articles(limit=limit, ungrouped=True)
        total_articles = store.count_articles()
        if not stories and ungrouped:
            from reader.analysis.stories import regroup

            regroup(store)
            stories, summaries = store.recent_stories(limit)
            ungrouped = store.list_articles(limit=limit, ungrouped=True)
        total_stories = store.count_stories()
        more = len(stories) < total_stories or len(summaries) + len(ungrouped) < total_articles
        self.post_message(
            self.Loaded(stories, summaries + ungrouped, None, total_articles, total_stories, more)
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.query_text = message.query
        if message.query is None:
            self.stories = message.stories
            self.summaries = {s.id: s for s in message.summaries}
        else:
            self.summaries.update({s.id: s for s in message.summaries})
        self._fill(message)
        if not self._started_analysis:
            self._started_analysis = True
            self.app.start_background_analysis()  # type: ignore[attr-defined]

    def _fill(self, message: Loaded) -> None:
        table = self.query_one("#library", DataTable)
        cursor_key = self._cursor_key()
        table.clear()
        status = self.query_one("#status", Static)
        if message.query is not None:
            for s in message.summaries:
                self._add_article_row(table, s, indent=False)
            status.update(
                Content(f"{len(message.summaries)} articles match “{message.query}” · esc: back")
            )
        else:
            grouped: set[str] = set()
            for story in message.stories:
                outlets = outlet_count(story, self.summaries)
                label = Text.assemble(
                    (story.title, "bold"),
                    (f"  ({len(story.article_ids)} articles, {outlets} outlets)", "dim"),
                )
                table.add_row("", Text("▸ story", "bold"), "", label, key=f"story:{story.id}")
                for aid in story.article_ids:
                    if aid in self.summaries:
                        grouped.add(aid)
                        self._add_article_row(table, self.summaries[aid], indent=True)
            rest = [s for s in message.summaries if s.id not in grouped]
            if rest:
                table.add_row("", Text("▸ ungrouped", "bold"), "", "", key="story:")
                for s in rest:
                    self._add_article_row(table, s, indent=True)
            shown = ""
            if message.more:
                table.add_row(
                    "", Text("▸ more", "bold"), "", Text("enter: show older stories"), key="more:"
                )
                shown = f" · showing the newest {len(message.stories)} stories"
            status.update(
                Content(
                    f"{message.total_articles} articles in {message.total_stories} stories"
                    + shown
                    + (f" · {len(self.picked)} picked (c: compare them)" if self.picked else "")
                )
            )
        if cursor_key:
            try:
                table.move_cursor(row=table.get_row_index(cursor_key))
            except Exception:
                pass

    def _add_article_row(self, table: DataTable, s: ArticleSummary, indent: bool) -> None:
        # DataTable cells are Rich Text (plain strings would be parsed as markup).
        pick = Text("●" if s.id in self.picked else " ", "bold")
        title = Text(("  " if indent else "") + s.title, no_wrap=True, overflow="ellipsis")
        table.add_row(
            pick,
            Text(s.outlet, no_wrap=True, overflow="ellipsis"),
            Text(s.published_iso or "—"),
            title,
            key=f"article:{s.id}",
        )

    def _cursor_key(self) -> str | None:
        table = self.query_one("#library", DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None

    def library_changed(self) -> None:
        self.load(self.query_text)

    def show_analysis_progress(self, done: int, total: int) -> None:
        status = self.query_one("#status", Static)
        if done < total:
            status.update(Content(f"analysing new articles: {done}/{total} (reading goes on)"))
        else:
            status.update(Content(f"analysed {total} new articles; regrouping stories…"))

    # -- selection helpers ---------------------------------------------------------
    def _selected(self) -> tuple[str, str] | None:
        key = self._cursor_key()
        if not key:
            return None
        kind, _, ident = key.partition(":")
        return kind, ident

    def _story_for_selection(self) -> Story | None:
        sel = self._selected()
        if sel is None:
            return None
        kind, ident = sel
        if kind == "story":
            return next((s for s in self.stories if s.id == ident), None)
        return next((s for s in self.stories if ident in s.article_ids), None)

    # -- actions -------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.query_one("#library", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#library", DataTable).action_cursor_up()

    @on(DataTable.RowSelected, "#library")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        sel = self._selected()
        if sel is None:
            return
        kind, ident = sel
        if kind == "article":
            from reader.tui.screens.reader import ReaderScreen

            self.app.push_screen(ReaderScreen(ident))
        elif kind == "story" and ident:
            self.action_compare()
        elif kind == "more":
            self.pages += 1
            self.load(None)

    def action_pick(self) -> None:
        sel = self._selected()
        if sel is None or sel[0] != "article":
            self.notify("pick articles (not stories) with space", markup=False)
            return
        ident = sel[1]
        if ident in self.picked:
            self.picked.remove(ident)
        else:
            self.picked.append(ident)
        table = self.query_one("#library", DataTable)
        mark = Text("●" if ident in self.picked else " ", "bold")
        table.update_cell(f"article:{ident}", "pick", mark)
        self.action_cursor_down()

    def _compare_ids(self) -> list[str] | None:
        if self.picked:
            return list(self.picked)
        story = self._story_for_selection()
        if story is None:
            sel = self._selected()
            return [sel[1]] if sel and sel[0] == "article" else None
        return list(story.article_ids)

    def action_compare(self) -> None:
        ids = self._compare_ids()
        if not ids:
            self.notify("select a story, or pick articles with space", markup=False)
            return
        from reader.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(ids))

    def action_timeline(self) -> None:
        ids = self._compare_ids()
        if not ids:
            return
        from reader.tui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(ids, title="Story timeline"))

    def action_library_timeline(self) -> None:
        from reader.tui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(list(self.summaries), title="Library timeline"))

    def action_diff(self) -> None:
        ids = self._compare_ids()
        if not ids or len(ids) < 2:
            self.notify("the diff needs a story with at least two articles", markup=False)
            return
        from reader.tui.screens.diff import DiffScreen

        self.app.push_screen(DiffScreen(ids))

    def action_feeds(self) -> None:
        from reader.tui.screens.feeds import FeedsScreen

        self.app.push_screen(FeedsScreen())

    def action_refresh(self) -> None:
        from reader.tui.screens.feeds import FeedsScreen

        self.app.push_screen(FeedsScreen(refresh=True))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        self.query_one("#library", DataTable).focus()
        if query:
            self.load(query)
        else:
            self.action_clear()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#library", DataTable).focus()
        if self.query_text is not None:
            search.value = ""
            search.display = False
            self.load(None)
        elif self.picked:
            self.picked.clear()
            self.load(None)
        else:
            search.display = False
