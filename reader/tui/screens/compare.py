"""Compare: two to five articles side by side, entities linked across outlets.

Owns: the panes (paged: two at 80 columns, more when wider), the entity sidebar
and type toggles, following an entity (or a search hit) through the panes, and the
way to the timeline and diff views. Articles show at once as plain text; entity
highlights arrive when the analysis worker is done (cached after the first time).

Why one module of ~770 lines: the panes, the sidebar, following an entity and the
timeline pane share the screen's state (the page of panes, the focus, the marks); the
widgets themselves live in ``reader.tui.widgets``.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from reader.analysis.entities import EntityIndex
from reader.analysis.timeline import TimelineEntry
from reader.models import Article, ArticleAnalysis
from reader.store import StoreError
from reader.tui.faults import articles_gone
from reader.tui.highlight import (
    TYPE_NAMES,
    EntitySpan,
    entity_colours,
    entity_highlights,
    entity_mentions,
)
from reader.tui.messages import OpenDiff, OpenFacts, OpenTimeline
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entity_sidebar import EntitySidebar
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.timeline_pane import TimelinePane
from reader.wording import count

PANE_MIN_WIDTH = 38
SIDEBAR_AUTO_WIDTH = 150  # show the sidebar by default from this many columns
SIDEBAR_MIN_LIMIT = 30
"""The sidebar may take up to half the screen less 4 columns (never less than this)."""
TYPE_KEYS = {"1": "PERSON", "2": "ORG", "3": "PLACE", "4": "NORP"}
TIMELINE_HEIGHT = (6, 8, 20)  # timeline pane rows: min, default, max


class ComparePane(ArticleView):
    """An article pane of the compare screen. Every pane is laid out side by side in
    ``#panes`` and the screen shows a page of them by scrolling that row, so paging
    changes no ``display`` (which relaid the screen out and sent Show/Hide/Resize to the
    panes: three frames). A pane off the page cannot take the focus (tab skips it)."""

    on_page = True

    def allow_focus(self) -> bool:
        return self.on_page


@dataclass
class Target:
    """What n/N and f/F walk through: an entity's mentions or search hits, per article."""

    label: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    cursor: dict[str, int] = field(default_factory=dict)


class CompareScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "compare"
    # Textual's Screen repaints every widget on it when the focus moves (its ``focused``
    # reactive repaints by default); the widgets whose look depends on focus restyle and
    # refresh themselves (``:focus`` rules), so only they need painting.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS = [
        Binding("escape", "back", "Back", id="compare.back"),
        Binding(
            "l,right",
            "focus_pane(1)",
            "Next pane",
            key_display="l/→",
            show=False,
            id="compare.next_pane",
        ),
        Binding(
            "h,left",
            "focus_pane(-1)",
            "Previous pane",
            key_display="h/←",
            show=False,
            id="compare.prev_pane",
        ),
        Binding(
            "greater_than_sign",
            "page(1)",
            "Next page of panes",
            key_display=">",
            show=False,
            id="compare.page_next",
        ),
        Binding(
            "less_than_sign",
            "page(-1)",
            "Previous page of panes",
            key_display="<",
            show=False,
            id="compare.page_prev",
        ),
        Binding("j", "scroll(1)", "Scroll down", show=False, id="compare.down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, id="compare.up"),
        Binding("e", "entities", "Entities", id="compare.entities"),
        Binding("n", "next_mention(1)", "Next mention", id="compare.next_mention"),
        Binding("N", "next_mention(-1)", "Previous mention", show=False, id="compare.prev_mention"),
        Binding("f", "follow(1)", "Follow", id="compare.follow"),
        Binding("b", "follow(-1)", "Follow back", show=False, id="compare.follow_back"),
        Binding("slash", "search", "Find", key_display="/", id="compare.search"),
        Binding("1", "toggle_type('1')", "Toggle people", show=False, id="compare.toggle_person"),
        Binding(
            "2", "toggle_type('2')", "Toggle organisations", show=False, id="compare.toggle_org"
        ),
        Binding("3", "toggle_type('3')", "Toggle places", show=False, id="compare.toggle_place"),
        Binding("4", "toggle_type('4')", "Toggle groups", show=False, id="compare.toggle_norp"),
        # -- timeline pane (timeline_pane.py) --
        Binding("t", "toggle_timeline", "Timeline", id="compare.toggle_timeline"),
        Binding("T", "timeline", "Full-screen timeline", show=False, id="compare.timeline"),
        Binding(
            "plus",
            "resize_timeline(2)",
            "Taller timeline",
            key_display="+",
            show=False,
            id="compare.timeline_taller",
        ),
        Binding(
            "minus",
            "resize_timeline(-2)",
            "Shorter timeline",
            key_display="-",
            show=False,
            id="compare.timeline_shorter",
        ),
        Binding(
            "o",
            "timeline_outlet",
            "Timeline: filter by outlet",
            show=False,
            id="compare.timeline_filter_outlet",
        ),
        Binding(
            "i",
            "timeline_entity",
            "Timeline: filter by selected entity",
            show=False,
            id="compare.timeline_filter_entity",
        ),
        # -- end timeline pane --
        Binding("d", "diff", "Diff", id="compare.diff"),
        Binding("F", "facts", "Fact table", show=False, id="compare.facts"),
    ]

    @dataclass
    class Gone(Message):
        """Some of the articles were pruned or removed since the screen was opened."""

        missing: int

    @dataclass
    class ArticlesLoaded(Message):
        articles: list[Article]

    @dataclass
    class Analysed(Message):
        analyses: dict[str, ArticleAnalysis]
        index: EntityIndex
        mentions: dict[str, list[EntitySpan]]

    @dataclass
    class TimelineBuilt(Message):
        entries: list[TimelineEntry]

    def __init__(
        self,
        article_ids: list[str],
        marks: list[tuple[str, int, int]] | None = None,
        timeline_entry: TimelineEntry | None = None,
    ) -> None:
        super().__init__()
        self.article_ids = article_ids
        self.initial_marks = marks or []  # (article id, start, end) to show once loaded
        self.articles: list[Article] = []
        self.analyses: dict[str, ArticleAnalysis] = {}
        self.index: EntityIndex | None = None
        self.colours: dict[str, str] = {}
        self.mentions: dict[str, list[EntitySpan]] = {}
        self.hidden_types: set[str] = set()
        self.selected_entity: str | None = None
        self.target: Target | None = None
        self.page_start = 0
        self.sidebar_wanted: bool | None = None
        self.timeline_height = TIMELINE_HEIGHT[1]
        # the timeline pane opens at this entry once built (opened from the timeline screen)
        self.pending_timeline_entry: TimelineEntry | None = timeline_entry
        self.timeline_scrolls: dict[str, tuple[int, int]] = {}  # marks in panes off the page
        self._status_text = ""
        self._panes: list[ComparePane] = []
        self._pane_width = 0
        self._gc_frozen = False

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="find in every pane; enter to search, esc to cancel", id="find")
        with Horizontal(id="compare-body"):
            with Vertical(id="compare-main"):
                yield Horizontal(id="panes")
                yield TimelinePane(id="timeline")
            yield EntitySidebar(id="entities")
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        self.query_one(EntitySidebar).display = False
        self.query_one(TimelinePane).display = False
        # The panes' text at once (issue 20, item 16): a handful of rows by primary key
        # (~1 ms) read here, so the text never waits for the worker, which under load
        # could start seconds later; highlights fill in when the analysis arrives.
        try:
            articles = self.store.get_articles(self.article_ids)
        except StoreError:
            articles = None  # the worker tries again and reports it in one line
        if articles is not None:
            if self._gone_from(articles):
                return
            self.post_message(self.ArticlesLoaded(articles))
        self.load(articles)

    def _gone_from(self, articles: list[Article]) -> bool:
        """Whether some of the articles were pruned or removed meanwhile (then says so)."""
        wanted = len(set(self.article_ids))
        if len(articles) < wanted:
            self.post_message(self.Gone(wanted - len(articles)))
            return True
        return False

    @property
    def panes(self) -> list[ComparePane]:
        return self._panes  # a DOM query on every key cost ~0.4 ms each time

    def _panes_width(self) -> int:
        """Columns for the panes: the screen less the sidebar when it shows."""
        sidebar = self.query_one(EntitySidebar)
        return self.size.width - (sidebar.wanted_width if sidebar.display else 0)

    def per_page(self) -> int:
        fit = max(2, self._panes_width() // PANE_MIN_WIDTH)
        return max(1, min(len(self.articles) or 1, fit, 5))

    def on_unmount(self) -> None:
        if self._gc_frozen:
            gc.unfreeze()  # what this screen built can be collected once it is gone

    def _freeze_gc(self) -> None:
        """Move every object alive now out of the garbage collector's sight.

        A story leaves ~160,000 long-lived objects (articles, analyses, the index, the
        timeline, the panes' widgets); a full collection walks all of them (100-150 ms)
        and lands on whichever keystroke crosses the threshold. Frozen, they are not
        walked; ``on_unmount`` unfreezes them (and whatever else was frozen meanwhile).
        """
        gc.freeze()
        self._gc_frozen = True

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def _layout(self, status: bool = True) -> None:
        sidebar = self.query_one(EntitySidebar)
        sidebar.fit(max(SIDEBAR_MIN_LIMIT, self.size.width // 2 - 4))
        if self.sidebar_wanted is None:
            sidebar.display = self.size.width >= SIDEBAR_AUTO_WIDTH and self.index is not None
        else:
            sidebar.display = self.sidebar_wanted
        per = self.per_page()
        self.page_start = max(0, min(self.page_start, len(self.panes) - per))
        self._show_page(per)
        if status:
            self._status()

    def _show_page(self, per: int) -> None:
        """Give every pane the width of one page slot and scroll the row of panes to the
        page: a scroll (one frame, nothing relaid out) unless the widths change."""
        if not self.panes:
            return
        width = max(1, self._panes_width() // per)
        row = self.query_one("#panes", Horizontal)
        for i, pane in enumerate(self.panes):
            pane.on_page = self.page_start <= i < self.page_start + per
        if width != self._pane_width:
            self._pane_width = width
            for pane in self.panes:
                pane.styles.width = width
            row.styles.width = width * per  # a spare column stays blank, not a sliver
            self.call_after_refresh(self._scroll_to_page)  # once the new widths are laid out
        else:
            row.styles.width = width * per
        self._scroll_to_page()

    def _scroll_to_page(self) -> None:
        row = self.query_one("#panes", Horizontal)
        x = self.page_start * self._pane_width
        if row.scroll_x != x:
            # force: the row has no scrollbar (overflow hidden), only the screen scrolls it
            row.scroll_to(x=x, animate=False, force=True, immediate=True)

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def load(self, articles: list[Article] | None = None) -> None:
        store = self.store
        if articles is None:
            articles = store.get_articles(self.article_ids)
            if self._gone_from(articles):
                return
            self.post_message(self.ArticlesLoaded(articles))
        from reader.analysis.cache import analyse_and_link

        analyses, index = analyse_and_link(store, articles, processes=1)
        self.post_message(
            self.Analysed(analyses, index, entity_mentions(index, analyses, articles))
        )
        from reader.analysis.story_cache import StoryComparison

        timeline = StoryComparison(store, articles, analyses, index).timeline()
        self.post_message(self.TimelineBuilt(timeline))

    @on(Gone)
    def _gone(self, message: Gone) -> None:
        articles_gone(self, message.missing, len(set(self.article_ids)))

    @on(ArticlesLoaded)
    async def _articles_loaded(self, message: ArticlesLoaded) -> None:
        self.articles = message.articles
        views = [ComparePane(a, number=i, id=f"pane-{i}") for i, a in enumerate(self.articles, 1)]
        await self.query_one("#panes", Horizontal).mount_all(views)
        self._panes = views
        self._layout()
        if self.panes:
            self.panes[0].focus()
        for mark in self.initial_marks:
            self.scroll_to_sentence(*mark)

    @on(Analysed)
    def _analysed(self, message: Analysed) -> None:
        self.analyses = message.analyses
        self.index = message.index
        self.mentions = message.mentions
        self.colours = entity_colours(message.index, message.mentions)
        self._apply_highlights()
        self.query_one(EntitySidebar).show(message.index, self.articles, self.hidden_types)
        self._layout()
        self._freeze_gc()

    def _apply_highlights(self) -> None:
        if self.index is None:
            return
        spans = entity_highlights(
            self.index,
            self.analyses,
            self.hidden_types,
            self.selected_entity,
            self.colours,
            self.mentions,
        )
        for pane in self.panes:
            pane.set_highlights(spans.get(pane.article.id, []))

    def _status(self, extra: str = "") -> None:
        if not self.articles:
            return
        per = self.per_page()
        last = min(self.page_start + per, len(self.articles))
        shown = f"panes {self.page_start + 1}-{last} of {len(self.articles)}"
        hidden = ", ".join(TYPE_NAMES[t] for t in sorted(self.hidden_types))
        parts = [shown]
        if len(self.articles) > per:
            parts.append("< > page")
        if self.index is None:
            parts.append("analysing…")
        if hidden:
            parts.append(f"hidden: {hidden}")
        if self.target:
            parts.append(self.target.label)
        if extra:
            parts.append(extra)
        text = " · ".join(parts)
        if text == self._status_text:
            return
        self._status_text = text
        # one fixed-height line (app.tcss): a repaint, not a relayout of the screen
        self.query_one("#status", Static).update(Content(text), layout=False)

    # -- focus and paging ----------------------------------------------------------
    def _focused_index(self) -> int:
        focused = self.focused
        panes = self.panes
        if isinstance(focused, ArticleView) and focused in panes:
            return panes.index(focused)
        return self.page_start

    def _focus_pane(
        self, index: int, status: bool = True, focus: bool = True
    ) -> ComparePane | None:
        """Focus pane ``index``, paging to it; ``status=False``: the caller sets the status;
        ``focus=False``: the caller calls ``_give_focus`` when done."""
        panes = self.panes
        if not panes:
            return None
        index = max(0, min(index, len(panes) - 1))
        per = self.per_page()
        if index < self.page_start:
            self.page_start = index
        elif index >= self.page_start + per:
            self.page_start = index - per + 1
        self._layout(status)
        if focus:
            self._give_focus(panes[index])
        return panes[index]

    def _give_focus(self, pane: ComparePane) -> None:
        """Move the focus to ``pane``, its border first.

        Every change a key makes is asked for here, on the screen's turn, so the widgets
        report it to the screen together and it lands in ONE frame: the borders would
        otherwise change when the panes handle their Blur and Focus events, which can
        come after the screen has drawn the mark and the status (a second frame, up to a
        frame period later). Called last for the same reason."""
        old = self.focused
        if old is pane:
            return
        if isinstance(old, ArticleView):
            old.paint_border(active=False)
        pane.paint_border(active=True)
        # Screen.set_focus, not Widget.focus (that repaints the whole pane first);
        # not scroll_visible: Textual would centre the pane in the row of panes
        self.set_focus(pane, scroll_visible=False)

    def action_focus_pane(self, step: int) -> None:
        self._focus_pane(self._focused_index() + step)

    def action_page(self, step: int) -> None:
        per = self.per_page()
        self.page_start = max(0, min(self.page_start + step * per, len(self.panes) - per))
        self._layout()
        self._focus_pane(self.page_start)

    def action_scroll(self, step: int) -> None:
        pane = self.panes[self._focused_index()] if self.panes else None
        if pane:
            pane.scroll_relative(y=step * 3, animate=False)

    def action_back(self) -> None:
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
            self._focus_pane(self._focused_index())
            return
        self.app.pop_screen()

    # -- entities ------------------------------------------------------------------
    def action_entities(self) -> None:
        sidebar = self.query_one(EntitySidebar)
        if self.index is None:
            self.notify("entities appear when the analysis is done", markup=False)
            return
        tops = self._reading_positions()
        if sidebar.display and sidebar.has_focus:
            self.sidebar_wanted = False
            self._layout()
            self._focus_pane(self.page_start)
        else:
            self.sidebar_wanted = True
            self._layout()
            sidebar.focus()
        self._keep_reading_positions(tops)

    def _reading_positions(self) -> dict[str, int]:
        """The article offset at the top of each pane on the page (a reflow keeps it there)."""
        tops = {}
        for pane in self.panes:
            if pane.on_page:
                offset = pane.top_offset()
                if offset is not None:
                    tops[pane.article.id] = offset
        return tops

    def _keep_reading_positions(self, tops: dict[str, int]) -> None:
        """Once the new widths are laid out, scroll each pane back to its top sentence."""
        if not tops:
            return

        def restore() -> None:
            for pane in self.panes:
                offset = tops.get(pane.article.id)
                if offset is not None and pane.on_page:
                    pane.scroll_to_offset(offset)

        self.call_after_refresh(restore)

    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, message: EntitySidebar.Chosen) -> None:
        self.select_entity(message.entity_id)

    def select_entity(self, entity_id: str) -> None:
        """Highlight one entity in every pane and walk its mentions with n/N and f/F."""
        if self.index is None:
            return
        entity = self.index.get(entity_id)
        if entity is None:
            return
        self.selected_entity = entity_id
        spans: dict[str, list[tuple[int, int]]] = {}
        for aid, found in self.mentions.items():
            for start, end, linked in found:
                if linked.id == entity_id:
                    spans.setdefault(aid, []).append((start, end))
        total = sum(len(v) for v in spans.values())
        self.target = Target(
            f"{entity.name}: {count(total, 'mention')} in {count(len(spans), 'article')}", spans
        )
        self._apply_highlights()
        self._status()
        self.action_follow(0)

    def action_toggle_type(self, key: str) -> None:
        label = TYPE_KEYS[key]
        self.hidden_types ^= {label}
        self._apply_highlights()
        if self.index is not None:
            self.query_one(EntitySidebar).show(self.index, self.articles, self.hidden_types)
        self._status()

    # -- walking mentions / hits -----------------------------------------------------
    def _goto(self, pane_index: int, hit: int) -> None:
        assert self.target is not None
        pane = self._focus_pane(pane_index, status=False, focus=False)
        if pane is None:
            return
        spans = self.target.spans.get(pane.article.id, [])
        if not spans:
            self._status()
            self._give_focus(pane)
            return
        hit %= len(spans)
        self.target.cursor[pane.article.id] = hit
        for other in self.panes:
            if other is not pane:
                other.clear_mark()
        pane.mark(*spans[hit])
        self._status(f"{pane.article.outlet}: {hit + 1}/{len(spans)}")
        self._give_focus(pane)

    def action_next_mention(self, step: int) -> None:
        if self.target is None:
            self.notify("choose an entity (e) or find text (/) first", markup=False)
            return
        index = self._focused_index()
        aid = self.panes[index].article.id
        if not self.target.spans.get(aid):
            self.notify(
                f"no match in {self.panes[index].article.outlet}; f follows to the next pane",
                markup=False,
            )
            return
        current = self.target.cursor.get(aid)
        self._goto(index, 0 if current is None and step > 0 else (current or 0) + step)

    def action_follow(self, step: int) -> None:
        """Jump to the next (or previous) pane that has a mention or hit; 0 = this one first."""
        if self.target is None:
            self.notify("choose an entity (e) or find text (/) first", markup=False)
            return
        panes = self.panes
        start = self._focused_index()
        order = (
            [(start + step * k) % len(panes) for k in range(len(panes))]
            if step
            else [(start + k) % len(panes) for k in range(len(panes))]
        )
        if step:
            order = order[1:] + order[:1]
        for index in order:
            aid = panes[index].article.id
            if self.target.spans.get(aid):
                self._goto(index, self.target.cursor.get(aid, 0))
                return
        self._status("no pane has a match")

    # -- search ------------------------------------------------------------------------
    def action_search(self) -> None:
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    @on(Input.Submitted, "#find")
    def _find(self, event: Input.Submitted) -> None:
        self.query_one("#find", Input).display = False
        self.find(event.value)

    def find(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.target = None
            self._status()
            return
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        spans = {
            a.id: [(m.start(), m.end()) for m in pattern.finditer(a.text)] for a in self.articles
        }
        spans = {k: v for k, v in spans.items() if v}
        total = sum(len(v) for v in spans.values())
        self.target = Target(
            f"“{text}”: {count(total, 'match')} in {count(len(spans), 'article')}", spans
        )
        self.selected_entity = None
        self._apply_highlights()
        if total:
            self.action_follow(0)
        else:
            self._focus_pane(self._focused_index())
            self._status()

    # -- other views ---------------------------------------------------------------------
    def action_timeline(self) -> None:
        pane = self.query_one(TimelinePane)
        entry = pane.current_entry() if pane.display else None
        self.post_message(OpenTimeline(list(self.article_ids), entry=entry))

    def action_diff(self) -> None:
        if len(self.article_ids) < 2:
            self.notify("the diff needs at least two articles", markup=False)
            return
        self.post_message(OpenDiff(list(self.article_ids)))

    def action_facts(self) -> None:
        self.post_message(OpenFacts(list(self.article_ids)))

    # -- timeline pane (keys t T + - o i; see TimelinePane) ------------------------------
    @on(TimelineBuilt)
    def _timeline_built(self, message: TimelineBuilt) -> None:
        self.query_one(TimelinePane).show(message.entries, self.articles)
        self._freeze_gc()
        if self.pending_timeline_entry is not None:
            entry, self.pending_timeline_entry = self.pending_timeline_entry, None
            self.show_timeline_entry(entry)

    def _show_timeline(self, focus: bool = True) -> TimelinePane:
        pane = self.query_one(TimelinePane)
        pane.styles.height = self.timeline_height
        pane.display = True
        if focus:
            pane.focus()
        return pane

    def action_toggle_timeline(self) -> None:
        pane = self.query_one(TimelinePane)
        if pane.display:
            pane.display = False
            self._focus_pane(self._focused_index())
        else:
            self._show_timeline()

    def action_resize_timeline(self, step: int) -> None:
        low, _, high = TIMELINE_HEIGHT
        high = max(low, min(high, self.size.height - 10))
        self.timeline_height = max(low, min(high, self.timeline_height + step))
        self._show_timeline(focus=not self.query_one(TimelinePane).display)
        self._status(f"timeline: {count(self.timeline_height, 'row')}")

    def action_timeline_outlet(self) -> None:
        pane = self._show_timeline(focus=False)
        self._status(f"timeline outlet: {pane.cycle_outlet()}")

    def action_timeline_entity(self) -> None:
        pane = self._show_timeline(focus=False)
        if pane.entity_filter is not None:
            pane.set_entity_filter(None)
            self._status("timeline: all entities")
            return
        entity = (
            self.index.get(self.selected_entity) if self.index and self.selected_entity else None
        )
        if entity is None:
            self.notify("choose an entity in the sidebar (e) first", markup=False)
            return
        sentences = {
            (aid, m.sentence)
            for aid, analysis in self.analyses.items()
            for m, linked in self.index.linked_mentions(aid, analysis)  # type: ignore[union-attr]
            if linked.id == entity.id
        }
        pane.set_entity_filter(entity.name, sentences)
        self._status(f"timeline entity: {entity.name}")

    @on(TimelinePane.Selected)
    def _timeline_selected(self, message: TimelinePane.Selected) -> None:
        self.show_timeline_entry(message.entry)

    def show_timeline_entry(self, entry: TimelineEntry) -> None:
        """Mark the entry's sentence in every pane that reports it; focus the first."""
        marked: dict[str, tuple[int, int]] = {}
        for m in entry.mentions:
            analysis = self.analyses.get(m.article_id)
            if (
                m.article_id in marked
                or analysis is None
                or m.sentence_index >= len(analysis.sentences)
            ):
                continue
            s = analysis.sentences[m.sentence_index]
            marked[m.article_id] = (s.start, s.end)
        panes = self.panes
        for pane in panes:
            if pane.article.id not in marked:
                pane.clear_mark()
        for aid, (start, end) in marked.items():
            self.scroll_to_sentence(aid, start, end)
        first = next((aid for aid in entry.article_ids if aid in marked), None)
        if first is None:
            return
        self._focus_pane(next(i for i, p in enumerate(panes) if p.article.id == first))
        # a pane off the page cannot scroll: it does when paged in (see _timeline_catch_up)
        self.timeline_scrolls = dict(marked)
        self._timeline_catch_up()
        # f/F walk the entry's panes (pane 4 is off the page at 80 columns with pane 2)
        label = f"{entry.date.label()}: {len(marked)} of {count(len(panes), 'article')}"
        self.target = Target(label, {aid: [span] for aid, span in marked.items()})
        self.target.cursor.update({aid: 0 for aid in marked})
        self.selected_entity = None
        off_page = [i + 1 for i, p in enumerate(panes) if p.article.id in marked and not p.on_page]
        hint = ""
        if off_page:
            where = ", ".join(str(n) for n in off_page)
            hint = f"also in pane{'s' if len(off_page) > 1 else ''} {where}: f goes there"
        self._status(hint)

    @on(events.DescendantFocus)
    def _timeline_catch_up(self) -> None:
        for pane in self.panes:
            span = self.timeline_scrolls.get(pane.article.id)
            if span is not None and pane.on_page:
                del self.timeline_scrolls[pane.article.id]
                self.call_after_refresh(self._scroll_if_marked, pane, span)

    def _scroll_if_marked(self, pane: ComparePane, span: tuple[int, int]) -> None:
        if pane.marked == span:  # not if n/f marked something else meanwhile
            pane.scroll_to_offset(span[0])

    # -- end timeline pane ------------------------------------------------------------------

    def scroll_to_sentence(self, article_id: str, start: int, end: int) -> None:
        """Used by the timeline and diff views: show and mark one sentence in its pane."""
        for i, pane in enumerate(self.panes):
            if pane.article.id == article_id:
                pane.mark(start, end)
                if not pane.on_page:
                    self._focus_pane(i)
