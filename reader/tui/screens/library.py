"""The library: stories and their articles, filters, reading state, picking articles to compare.

Owns: the list of stories (each followed by its articles), the filter line (``/``:
the language of ``reader.store.filters``), the hand-picked set for a custom comparison
(``space``), reading state and saved items, grouping by feed tag (``g``), the saved
view (``S``), opening the reader, compare, timeline and diff screens, and an article's
URL (``o`` browser, ``y`` clipboard). Loads from the store in a worker.

Reading state (issue 11): ``m`` toggles read/unread of the article on the cursor (on a
story row it does nothing: ``M`` is the story key); ``M`` marks every article of the
story on the cursor read and says "Marked N read — u to undo"; ``u`` undoes the last
mark-all, putting back exactly the articles it changed (ones read before stay read).
Opening an article in the reader marks it read; opening a story side by side does
not (that would be a silent mass change). ``s`` saves the article on the cursor, or on
a story row the comparison itself (its current article ids and title: story ids
change when stories are regrouped); ``S`` lists saved comparisons and articles.
The first column shows ``•`` for unread and ``★`` for saved (``●`` while picked).

A page, not the whole library: the ``PAGE`` stories with the newest articles and the
``PAGE`` newest articles in no story, read by index walks, so the screen opens as fast
on 100,000 articles as on five; a last "more" row (``enter``) shows another page.

Why one module of ~770 lines: the rows, the filter line, reading state and picking
all act on the one table and its cursor; the queries are in ``reader.store``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from reader.models import ArticleSummary, SavedComparison, Story
from reader.store import StoreError
from reader.tui.faults import store_action
from reader.tui.messages import (
    AnalysisProgress,
    LibraryChanged,
    OpenArticle,
    OpenComparison,
    OpenDiff,
    OpenFacts,
    OpenTimeline,
    ShowFeeds,
)
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.table_fit import LabelWithCounts, fill_column
from reader.wording import count, plural

PAGE = 20
OUTLET_MIN, OUTLET_MAX = 16, 26
"""The outlet column's width: a sixth of the screen within these bounds."""
"""Stories (and ungrouped articles) per page of the library table."""


def outlet_count(story: Story, summaries: dict[str, ArticleSummary]) -> int:
    return len({summaries[a].outlet for a in story.article_ids if a in summaries})


def unread_count(story: Story, summaries: dict[str, ArticleSummary]) -> int:
    return sum(1 for a in story.article_ids if a in summaries and not summaries[a].read)


def state_mark(s: ArticleSummary, picked: bool = False) -> Text:
    """The first column: ``●`` picked, else ``★`` saved, else ``•`` unread, else blank
    (one character: the title keeps its width at 80 columns)."""
    return Text("●" if picked else "★" if s.saved else "•" if not s.read else " ", "bold")


@dataclass
class TagGroup:
    tag: str  # "" for articles under no tag
    total: int
    unread: int
    articles: list[ArticleSummary]


class LibraryScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "library"
    AUTO_FOCUS = "#library"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("c", "compare", "Compare", id="library.compare"),
        Binding("space", "pick", "Pick", id="library.pick"),
        Binding("slash", "search", "Filter", key_display="/", id="library.search"),
        Binding("t", "timeline", "Timeline", id="library.timeline"),
        Binding(
            "T", "library_timeline", "Library timeline", show=False, id="library.library_timeline"
        ),
        Binding("d", "diff", "Diff", id="library.diff"),
        Binding("F", "facts", "Fact table", show=False, id="library.facts"),
        Binding("f", "feeds", "Feeds", show=False, id="library.feeds"),
        Binding("r", "refresh", "Refresh feeds", show=False, id="library.refresh"),
        Binding("escape", "clear", "Clear search/picks", show=False, id="library.clear"),
        Binding("j", "cursor_down", "Down", show=False, id="library.down"),
        Binding("k", "cursor_up", "Up", show=False, id="library.up"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="library.toggle_read"),
        Binding("M", "mark_story_read", "Mark story/tag read", show=False, id="library.mark_all"),
        Binding("u", "undo_mark", "Undo mark read", show=False, id="library.undo"),
        Binding("s", "save", "Save", id="library.save"),
        Binding("S", "saved_view", "Saved items", show=False, id="library.saved"),
        Binding("g", "group", "Group by tag/story", show=False, id="library.group"),
        Binding("o", "open_url", "Open in browser", show=False, id="library.open_url"),
        Binding("y", "copy_url", "Copy URL", show=False, id="library.copy_url"),
        Binding(
            "x,delete",
            "remove",
            "Remove article",
            key_display="x/del",
            show=False,
            id="library.remove",
        ),
    ]

    @dataclass
    class Loaded(Message):
        stories: list[Story]
        summaries: list[ArticleSummary]
        query: str | None = None
        total_articles: int = 0
        total_stories: int = 0
        more: bool = False
        view: str = "stories"
        groups: list[TagGroup] = field(default_factory=list)
        comparisons: list[SavedComparison] = field(default_factory=list)

    @dataclass
    class FilterFailed(Message):
        reason: str

    @dataclass
    class StatesLoaded(Message):
        states: dict[str, tuple[bool, bool]]

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[Story] = []
        self.summaries: dict[str, ArticleSummary] = {}
        self.picked: list[str] = []
        self.query_text: str | None = None  # the filter shown, in the filter view
        self.view = "stories"
        self.grouping = "stories"  # what esc goes back to: "stories" or "tags"
        self.comparisons: dict[int, SavedComparison] = {}
        self.undo: list[str] = []  # the ids the last mark-all changed
        self._row_keys: dict[str, list[str]] = {}  # article id -> its rows' keys
        self.pages = 1

    def compose(self) -> ComposeResult:
        # The filter line and its error start hidden, and the table gets the focus
        # first: hiding them at mount, or focusing the Input and then moving the focus
        # away, restyles the screen (~75 ms of a ~0.9 s warm start).
        search = Input(
            placeholder="filter: words outlet:X tag:X unread saved since:YYYY-MM-DD · esc clears",
            id="search",
        )
        error = Static("", id="filter-error", markup=False)
        search.display = error.display = False
        yield Header()
        yield search
        yield error
        yield DataTable(id="library", cursor_type="row", zebra_stripes=False)
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#library", DataTable)
        table.add_column("", key="pick", width=1)
        table.add_column("Outlet", key="outlet", width=16)
        table.add_column("Date", key="date", width=10)
        table.add_column("Title", key="title")
        # The first page of stories is a few indexed, LIMIT-bounded reads (~3 ms at
        # 100,000 articles): read here, so the first frame has the rows (a worker would
        # paint an empty table first). Without stories yet, the worker groups them.
        try:
            first = self._stories_page(self.store, regroup=False)
        except StoreError:  # the worker tries again and reports it in one line
            first = None
        self._fit_title_column()  # before any row, so no row is laid out wider first
        if first is None:
            self.load()
        else:
            self._loaded(first)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_title_column()

    def _fit_title_column(self) -> None:
        """The outlet column widens on a wide screen (16 at 80 columns, 26 at 160); the
        title column takes the width left, so nothing scrolls sideways at 80 columns."""
        table = self.query_one("#library", DataTable)
        outlet = table.columns.get("outlet")  # type: ignore[call-overload]
        if outlet is not None:
            outlet.width = max(OUTLET_MIN, min(OUTLET_MAX, self.size.width // 6))
        fill_column(table, "title", self.size.width - 4, 20)

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def load(self, query: str | None = None, view: str | None = None) -> None:
        """Read one view from the store (a worker: filters and tag counts scan)."""
        store = self.store
        view = view or ("filter" if query else self.grouping)
        if view == "filter" and query:
            from reader.store.filters import FilterError

            try:
                found, more = store.filter_articles(query)
            except FilterError as exc:
                self.post_message(self.FilterFailed(str(exc)))
                return
            self.post_message(self.Loaded([], found, query, more=more, view="filter"))
            return
        if view == "saved":
            comparisons = store.saved_comparisons()
            saved, more = store.filter_articles("saved")
            self.post_message(
                self.Loaded([], saved, None, more=more, view="saved", comparisons=comparisons)
            )
            return
        if view == "tags":
            groups = []
            for tag, total, unread in store.tag_groups():
                articles = store.tag_articles(tag, PAGE) if tag else store.untagged_articles(PAGE)
                groups.append(TagGroup(tag, total, unread, articles))
            self.post_message(
                self.Loaded([], [], None, store.count_articles(), view="tags", groups=groups)
            )
            return
        page = self._stories_page(store, regroup=True)
        if page is not None:
            self.post_message(page)

    def _stories_page(self, store, regroup: bool) -> Loaded | None:  # type: ignore[no-untyped-def]
        """The stories view's rows (the newest ``pages`` pages); None when the library
        has articles but no stories yet and ``regroup`` is false (grouping is slow)."""
        limit = PAGE * self.pages
        stories, summaries = store.recent_stories(limit)
        ungrouped = store.list_articles(limit=limit, ungrouped=True)
        total_articles = store.count_articles()
        if not stories and ungrouped:
            if not regroup:
                return None
            from reader.analysis.stories import regroup as regroup_library

            regroup_library(store)
            stories, summaries = store.recent_stories(limit)
            ungrouped = store.list_articles(limit=limit, ungrouped=True)
        total_stories = store.count_stories()
        more = len(stories) < total_stories or len(summaries) + len(ungrouped) < total_articles
        return self.Loaded(
            stories, summaries + ungrouped, None, total_articles, total_stories, more
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.view = message.view
        self.query_text = message.query
        self.query_one("#filter-error", Static).display = False
        if message.view == "stories":
            self.stories = message.stories
            self.summaries = {s.id: s for s in message.summaries}
        else:
            self.summaries.update({s.id: s for s in message.summaries})
            for group in message.groups:
                self.summaries.update({s.id: s for s in group.articles})
        self.comparisons = {c.id: c for c in message.comparisons}
        self._fill(message)

    @on(FilterFailed)
    def _filter_failed(self, message: FilterFailed) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(Content(message.reason))
        error.display = True
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def _fill(self, message: Loaded) -> None:
        table = self.query_one("#library", DataTable)
        cursor_key = self._cursor_key()
        table.clear()
        self._row_keys = {}
        status = self.query_one("#status", Static)
        if message.view == "filter":
            for s in message.summaries:
                self._add_article_row(table, s, indent=False)
            more = " (the newest; more match: narrow the filter)" if message.more else ""
            status.update(
                Content(
                    f"{count(len(message.summaries), 'article')} "
                    f"match{'es' if len(message.summaries) == 1 else ''} “{message.query}”{more}"
                    " · esc: back"
                )
            )
        elif message.view == "saved":
            for c in message.comparisons:
                label = Text.assemble(
                    (c.title, "bold"), (f"  ({count(len(c.article_ids), 'article')})", "dim")
                )
                table.add_row("", Text("★ compare", "bold"), "", label, key=f"saved:{c.id}")
            for s in message.summaries:
                self._add_article_row(table, s, indent=False)
            status.update(
                Content(
                    f"saved: {count(len(message.comparisons), 'comparison')}, "
                    f"{len(message.summaries)}{'+' if message.more else ''} "
                    f"{plural('article', len(message.summaries) + message.more)}"
                    " · enter: open · s: unsave · esc: back"
                )
            )
        elif message.view == "tags":
            for group in message.groups:
                name = group.tag or "untagged"
                label = Text.assemble(
                    (name, "bold"),
                    (f"  ({count(group.total, 'article')}, {group.unread} unread)", "dim"),
                )
                table.add_row("", Text("▸ tag", "bold"), "", label, key=f"tag:{group.tag}")
                for s in group.articles:
                    self._add_article_row(table, s, indent=True, key_prefix=f"{group.tag}:")
            status.update(
                Content(
                    f"{count(message.total_articles, 'article')} under "
                    f"{count(len(message.groups), 'tag')}"
                    f" · newest {PAGE} each · g: group by story"
                )
            )
        else:
            grouped: set[str] = set()
            for story in message.stories:
                table.add_row(
                    "", Text("▸ story", "bold"), "", self._story_label(story),
                    key=f"story:{story.id}",
                )  # fmt: skip
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
                    "", Text("▸ more", "bold"), "", Text("enter: show older stories"),
                    key="more:",
                )  # fmt: skip
                shown = f" · showing the newest {count(len(message.stories), 'story')}"
            status.update(
                Content(
                    f"{count(message.total_articles, 'article')} in "
                    f"{count(message.total_stories, 'story')}"
                    + shown
                    + (f" · {len(self.picked)} picked (c: compare them)" if self.picked else "")
                )
            )
        if cursor_key:
            try:
                table.move_cursor(row=table.get_row_index(cursor_key))
            except Exception:
                pass

    def _story_label(self, story: Story) -> LabelWithCounts:
        outlets = outlet_count(story, self.summaries)
        unread = unread_count(story, self.summaries)
        return LabelWithCounts(
            Text(story.title, "bold"),
            Text(
                f"  ({count(len(story.article_ids), 'article')}, {count(outlets, 'outlet')}, "
                + (f"{unread} unread)" if unread else "all read)"),
                "dim",
            ),
            Text(
                f"  ({count(len(story.article_ids), 'article')}, "
                + (f"{unread} unread)" if unread else "all read)"),
                "dim",
            ),
        )

    def _add_article_row(
        self, table: DataTable, s: ArticleSummary, indent: bool, key_prefix: str = ""
    ) -> None:
        # DataTable cells are Rich Text (plain strings would be parsed as markup).
        title = Text(("  " if indent else "") + s.title, no_wrap=True, overflow="ellipsis")
        key = f"article:{key_prefix}{s.id}"
        if key in table.rows:  # the same article twice in one view
            return
        self._row_keys.setdefault(s.id, []).append(key)
        table.add_row(
            state_mark(s, s.id in self.picked),
            Text(s.outlet, no_wrap=True, overflow="ellipsis"),
            Text(s.published_iso or "—"),
            title,
            key=key,
        )

    def _cursor_key(self) -> str | None:
        table = self.query_one("#library", DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None

    @on(AnalysisProgress)
    def _analysis_progress(self, message: AnalysisProgress) -> None:
        done, total = message.done, message.total
        status = self.query_one("#status", Static)
        if done < total:
            status.update(Content(f"analysing new articles: {done}/{total} (reading goes on)"))
        else:
            status.update(
                Content(f"analysed {total} new {plural('article', total)}; regrouping stories…")
            )

    # -- selection helpers ---------------------------------------------------------
    def _selected(self) -> tuple[str, str] | None:
        key = self._cursor_key()
        if not key:
            return None
        kind, _, ident = key.partition(":")
        if kind == "article":  # "article:<id>", or "article:<tag>:<id>" when grouped by tag
            ident = ident.rpartition(":")[2]
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
            self.post_message(OpenArticle(ident))
        elif kind == "story" and ident:
            self.action_compare()
        elif kind == "saved":
            saved = self.comparisons.get(int(ident))
            if saved is not None:
                self.post_message(OpenComparison(list(saved.article_ids)))
        elif kind == "tag" and ident and '"' not in ident:
            self._apply_filter(f'tag:"{ident}"')
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
        summary = self.summaries.get(ident)
        if summary is not None:
            mark = state_mark(summary, ident in self.picked)
            for key in self._row_keys.get(ident, []):
                table.update_cell(key, "pick", mark)
        self.action_cursor_down()

    def _compare_ids(self) -> list[str] | None:
        if self.picked:
            return list(self.picked)
        sel = self._selected()
        if sel and sel[0] == "saved" and int(sel[1]) in self.comparisons:
            return list(self.comparisons[int(sel[1])].article_ids)
        story = self._story_for_selection()
        if story is None:
            return [sel[1]] if sel and sel[0] == "article" else None
        return list(story.article_ids)

    def action_compare(self) -> None:
        ids = self._compare_ids()
        if not ids:
            self.notify("select a story, or pick articles with space", markup=False)
            return
        self.post_message(OpenComparison(ids))

    def action_timeline(self) -> None:
        ids = self._compare_ids()
        if not ids:
            return
        self.post_message(OpenTimeline(ids, title="Story timeline"))

    def action_library_timeline(self) -> None:
        self.post_message(OpenTimeline(list(self.summaries), title="Library timeline"))

    def action_diff(self) -> None:
        ids = self._compare_ids()
        if not ids or len(ids) < 2:
            self.notify("the diff needs a story with at least two articles", markup=False)
            return
        self.post_message(OpenDiff(ids))

    def action_facts(self) -> None:
        ids = self._compare_ids()
        if not ids or len(ids) < 2:
            self.notify("the fact table needs a story with at least two articles", markup=False)
            return
        self.post_message(OpenFacts(ids))

    def action_feeds(self) -> None:
        self.post_message(ShowFeeds())

    def action_refresh(self) -> None:
        self.post_message(ShowFeeds(refresh=True))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def _apply_filter(self, text: str) -> None:
        search = self.query_one("#search", Input)
        search.value = text
        search.display = True
        self.query_one("#library", DataTable).focus()
        self.load(text, "filter")

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if query:
            self.query_one("#library", DataTable).focus()
            self.load(query, "filter")
        else:
            self.action_clear()

    @on(Input.Changed, "#search")
    def _typing(self, event: Input.Changed) -> None:
        self.query_one("#filter-error", Static).display = False

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        table = self.query_one("#library", DataTable)
        self.query_one("#filter-error", Static).display = False
        if search.has_focus:
            table.focus()
        if self.view in ("filter", "saved") or (search.has_focus and search.value):
            search.value = ""
            search.display = False
            self.load(None, self.grouping)
        elif self.picked:
            self.picked.clear()
            self.load(None, self.grouping)
        else:
            search.display = False

    # -- reading state, saved, tags ---------------------------------------------
    @on(LibraryChanged)
    def _library_changed(self) -> None:
        self.load(self.query_text, self.view)

    def on_screen_resume(self) -> None:
        """Back from the reader (which marks read) or compare: refresh the marks shown."""
        if self._row_keys:
            self._load_states(list(self._row_keys))

    @work(thread=True, exclusive=True, group="library-states", exit_on_error=False)
    def _load_states(self, ids: list[str]) -> None:
        self.post_message(self.StatesLoaded(self.store.states(ids)))

    @on(StatesLoaded)
    def _states_loaded(self, message: StatesLoaded) -> None:
        self._show_states(message.states)

    def _show_states(self, states: dict[str, tuple[bool, bool]]) -> None:
        """New read/saved marks for these articles, and their stories' unread counts."""
        table = self.query_one("#library", DataTable)
        touched: set[str] = set()
        for aid, (read, saved) in states.items():
            old = self.summaries.get(aid)
            if old is None or (old.read, old.saved) == (read, saved):
                continue
            new = replace(old, read=read, saved=saved)
            self.summaries[aid] = new
            touched.add(aid)
            for key in self._row_keys.get(aid, []):
                table.update_cell(key, "pick", state_mark(new, aid in self.picked))
        if touched and self.view == "tags":  # the groups' unread counts
            self.load(None, "tags")
        if not touched or self.view != "stories":
            return
        for story in self.stories:
            if touched.intersection(story.article_ids) and f"story:{story.id}" in table.rows:
                table.update_cell(f"story:{story.id}", "title", self._story_label(story))

    def _article_on_cursor(self) -> ArticleSummary | None:
        sel = self._selected()
        if sel is None or sel[0] != "article":
            return None
        return self.summaries.get(sel[1])

    @store_action
    def action_toggle_read(self) -> None:
        article = self._article_on_cursor()
        if article is None:
            self.notify("m marks one article: on a story, M marks all of it read", markup=False)
            return
        store = self.store
        read = store.toggle_read(article.id)  # one row: fine on the UI thread
        self.undo = []
        self._show_states({article.id: (read, article.saved)})
        self.notify("Marked read" if read else "Marked unread", markup=False, timeout=2)

    @store_action
    def action_mark_story_read(self) -> None:
        store = self.store
        sel = self._selected()
        if sel is not None and sel[0] == "tag":  # grouped by tag: the whole tag
            changed = store.mark_tag_read(sel[1])
            name = sel[1] or "untagged"
            if not changed:
                self.notify(f"Nothing unread under {name}", markup=False)
                return
            self.undo = changed
            self.notify(f"Marked {len(changed)} read under {name} — u to undo", markup=False)
            self.load()
            return
        story = self._story_for_selection()
        if story is None:
            self.notify("M marks a story (or a tag) read: put the cursor on one", markup=False)
            return
        changed = store.set_read(list(story.article_ids), True)
        if not changed:
            self.notify(
                f"All {count(len(story.article_ids), 'article')} were read already", markup=False
            )
            return
        self.undo = changed
        self._show_states({aid: (True, self.summaries[aid].saved) for aid in story.article_ids
                           if aid in self.summaries})  # fmt: skip
        self.notify(f"Marked {len(changed)} read — u to undo", markup=False)

    @store_action
    def action_undo_mark(self) -> None:
        if not self.undo:
            self.notify("Nothing to undo", markup=False)
            return
        store = self.store
        restored = store.set_read(self.undo, False)
        self.undo = []
        self.notify(f"Marked {len(restored)} unread again", markup=False)
        if self.view == "tags":  # the tag rows' unread counts changed
            self.load()
            return
        self._show_states({aid: (False, self.summaries[aid].saved) for aid in restored
                           if aid in self.summaries})  # fmt: skip

    @store_action
    def action_save(self) -> None:
        sel = self._selected()
        if sel is None:
            return
        kind, ident = sel
        store = self.store
        if kind == "article":
            article = self.summaries.get(ident)
            saved = store.toggle_saved(ident)
            if article is not None:
                self._show_states({ident: (article.read, saved)})
            self.notify("Saved" if saved else "Unsaved", markup=False, timeout=2)
        elif kind == "saved":
            comparison = self.comparisons.get(int(ident))
            if comparison is not None:
                store.remove_saved_comparison(comparison.id)
                self.notify(f"Removed the saved comparison “{comparison.title}”", markup=False)
                self.load(None, "saved")
        elif kind == "story" and ident:
            story = self._story_for_selection()
            if story is None:
                return
            saved_c = store.save_comparison(story.title, story.article_ids)
            self.notify(
                f"Saved the comparison “{saved_c.title}” "
                f"({count(len(saved_c.article_ids), 'article')})"
                " — S lists saved items",
                markup=False,
            )
        else:
            self.notify("s saves an article or a story", markup=False)

    def action_remove(self) -> None:
        """Delete the article on the cursor from the library, after a y/n question."""
        from reader.tui.dialogs import ConfirmDialog

        article = self._article_on_cursor()
        if article is None:
            self.notify("x removes one article: put the cursor on one", markup=False)
            return
        question = (
            f"Remove “{article.title}” ({article.outlet}) from the library? "
            "Its text and analysis are deleted; this cannot be undone."
        )
        self.app.push_screen(ConfirmDialog(question), callback=partial(self._remove, article))

    @store_action
    def _remove(self, article: ArticleSummary, yes: bool | None) -> None:
        if not yes:
            return
        self.parallax.library.remove([article.id])
        self.summaries.pop(article.id, None)
        if article.id in self.picked:
            self.picked.remove(article.id)
        self.notify(f"Removed “{article.title}”", markup=False)
        self.load(self.query_text, self.view)

    def action_saved_view(self) -> None:
        if self.view == "saved":
            self.load(None, self.grouping)
        else:
            self.load(None, "saved")

    def action_group(self) -> None:
        self.grouping = "tags" if self.grouping == "stories" else "stories"
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.load(None, self.grouping)

    def action_open_url(self) -> None:
        from reader.tui.open_url import open_url

        article = self._article_on_cursor()
        if article is None:
            self.notify("o opens an article: put the cursor on one", markup=False)
            return
        open_url(self.app, article.url)

    def action_copy_url(self) -> None:
        from reader.tui.open_url import copy_url

        article = self._article_on_cursor()
        if article is None:
            self.notify("y copies an article's URL: put the cursor on one", markup=False)
            return
        copy_url(self.app, article.url)
