"""The full-screen timeline of a story or of the whole library.

Owns: loading the articles' timeline off the UI thread (cached analyses, entity
linking, ``build_timeline``), the ``TimelinePane`` filling the screen with its outlet
and entity filters, a detail area showing each outlet's sentence for the entry under
the cursor (``Content``, never markup), and opening the entry's articles side by side
(a ``CompareScreen`` that marks the entry's sentences once analysed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static

from reader.analysis.entities import EntityIndex
from reader.analysis.timeline import TimelineEntry
from reader.models import Article, ArticleAnalysis
from reader.tui.faults import articles_gone, load_story
from reader.tui.messages import OpenComparison
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.timeline_pane import TimelinePane, short_outlet
from reader.wording import count

TOP_ENTITIES = 8  # how many entities the entity filter steps through


class TimelineScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "timeline"
    BINDINGS = [
        Binding("escape", "back", "Back", id="timeline.back"),
        Binding("o", "filter_outlet", "Filter by outlet", id="timeline.filter_outlet"),
        Binding("i", "filter_entity", "Filter by entity", id="timeline.filter_entity"),
        Binding("j", "cursor(1)", "Down", show=False, id="timeline.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="timeline.up"),
    ]

    @dataclass
    class Gone(Message):
        """Some of the articles were pruned or removed since the screen was opened."""

        missing: int

    @dataclass
    class Loaded(Message):
        articles: list[Article]
        analyses: dict[str, ArticleAnalysis]
        index: EntityIndex
        entries: list[TimelineEntry]

    def __init__(
        self, article_ids: list[str], title: str = "Timeline", entry: TimelineEntry | None = None
    ) -> None:
        super().__init__()
        self.start_entry = entry  # where the cursor starts (the compare pane's selection)
        self.article_ids = list(article_ids)
        self.title_text = title
        self.articles: list[Article] = []
        self.analyses: dict[str, ArticleAnalysis] = {}
        self.index: EntityIndex | None = None
        self.top_entities: list[tuple[str, str, frozenset[tuple[str, int]]]] = []
        self.entity_step: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield TimelinePane(numbered=False, id="timeline-screen-pane")
        yield Static("", id="timeline-detail", markup=False)
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.title_text
        self._status("building the timeline…")
        self.query_one(TimelinePane).focus()
        self.load()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def load(self) -> None:
        comparison = load_story(self, self.article_ids)
        if comparison is None:
            return
        self.post_message(
            self.Loaded(
                comparison.members, comparison.analyses, comparison.index, comparison.timeline()
            )
        )

    @on(Gone)
    def _gone(self, message: Gone) -> None:
        articles_gone(self, message.missing, len(set(self.article_ids)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.articles, self.analyses, self.index = message.articles, message.analyses, message.index
        self.top_entities = self._top_entities(message.entries)
        pane = self.query_one(TimelinePane)
        pane.show(message.entries, self.articles)
        if self.start_entry is not None:
            pane.select_entry(self.start_entry)
        self._detail(pane.current_entry())
        self._status()

    def _top_entities(
        self, entries: list[TimelineEntry]
    ) -> list[tuple[str, str, frozenset[tuple[str, int]]]]:
        """The entities named in the most entries: (id, name, their sentences)."""
        if self.index is None:
            return []
        sentences: dict[str, set[tuple[str, int]]] = {}
        for aid, analysis in self.analyses.items():
            for m, entity in self.index.linked_mentions(aid, analysis):
                sentences.setdefault(entity.id, set()).add((aid, m.sentence))
        counts: Counter[str] = Counter()
        for entry in entries:
            keys = {(m.article_id, m.sentence_index) for m in entry.mentions}
            for eid, found in sentences.items():
                if keys & found:
                    counts[eid] += 1
        out = []
        for eid, _ in counts.most_common(TOP_ENTITIES):
            named = self.index.get(eid)
            if named is not None:
                out.append((eid, named.name, frozenset(sentences[eid])))
        return out

    def _status(self, extra: str = "") -> None:
        parts = [self.title_text, count(len(self.article_ids), "article")]
        if extra:
            parts.append(extra)
        else:
            parts.append("enter: compare · o: outlet · i: entity")
        self.query_one("#status", Static).update(Content(" · ".join(parts)))

    def _detail(self, entry: TimelineEntry | None) -> None:
        detail = self.query_one("#timeline-detail", Static)
        if entry is None:
            detail.update(Content(""))
            return
        outlets = {a.id: a.outlet for a in self.articles}
        lines = []
        for m in entry.mentions:
            outlet = Content(short_outlet(outlets.get(m.article_id, "?"))).stylize("bold")
            lines.append(Content.assemble(outlet, ": ", Content(" ".join(m.sentence.split()))))
        detail.update(Content("\n").join(lines))

    @on(TimelinePane.Highlighted)
    def _highlighted(self, message: TimelinePane.Highlighted) -> None:
        self._detail(message.entry)

    @on(TimelinePane.Selected)
    def _selected(self, message: TimelinePane.Selected) -> None:
        entry = message.entry
        self.post_message(OpenComparison(list(entry.article_ids), timeline_entry=entry))

    def action_filter_outlet(self) -> None:
        self._status(f"outlet: {self.query_one(TimelinePane).cycle_outlet()}")

    def action_filter_entity(self) -> None:
        if not self.top_entities:
            self.notify("no entities yet", markup=False)
            return
        pane = self.query_one(TimelinePane)
        step = 0 if self.entity_step is None else self.entity_step + 1
        if step >= len(self.top_entities):
            self.entity_step = None
            pane.set_entity_filter(None)
            self._status("entity: all")
            return
        self.entity_step = step
        _, name, sentences = self.top_entities[step]
        pane.set_entity_filter(name, sentences)
        self._status(f"entity: {name}")

    def action_cursor(self, step: int) -> None:
        pane = self.query_one(TimelinePane)
        if pane.row_count:
            pane.move_cursor(row=pane.cursor_row + step)

    def action_back(self) -> None:
        self.app.pop_screen()
