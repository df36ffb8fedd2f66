"""The timeline as a table: one row per entry, with a badge for each outlet reporting it.

Owns: showing ``TimelineEntry``s (date at its granularity, outlet badges, short title)
as Rich ``Text`` cells (a DataTable parses plain strings as markup, and titles are
article text), the outlet and entity filters and their summary in the border title
(``Content``, never markup), and telling the screen which entry the reader chose
(``TimelinePane.Selected``). Must not: compute the timeline or reach into the screen;
the screen hands it entries, articles and, for the entity filter, the sentences that
mention the entity.

Badges: in a compare view (``numbered``) each article is a pane, and the badge is the
pane number in the pane's outlet colour ("1 2   4", one slot per pane so columns line
up). In a library view, or with one article, badges are short outlet names, and the
outlet filter steps through outlets rather than articles.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable

from reader.analysis.timeline import TimelineEntry
from reader.models import Article
from reader.wording import count

OUTLET_COLOURS = 5


def short_outlet(outlet: str) -> str:
    """A badge-sized outlet name: "DW", "RFE/RL", "The Washington Post" -> "WP",
    "AFP via French-language outlet" -> "AFP"."""
    outlet = outlet.strip()
    if len(outlet) <= 6:
        return outlet
    first = outlet.split()[0]
    if first.isupper() and len(first) <= 6:
        return first
    words = [w for w in re.findall(r"[\w/]+", outlet) if w[0].isupper() and w.lower() != "the"]
    initials = "".join(w[0] for w in words)
    return initials[:5] if len(initials) >= 2 else outlet[:6]


@dataclass(frozen=True, slots=True)
class Source:
    """What one badge and one outlet-filter step stand for: a pane, or an outlet."""

    label: str  # "1 DW" or "DW"
    badge: str  # "1" or "DW"
    article_ids: frozenset[str]
    colour: int  # 1..OUTLET_COLOURS, the $outlet-N theme variable


class TimelinePane(DataTable):
    # j/k move the cursor here (the compare screen's own j/k scroll the article panes)
    BINDINGS = [
        Binding("j", "cursor_down", "Cursor down", show=False, id="timeline_pane.down"),
        Binding("k", "cursor_up", "Cursor up", show=False, id="timeline_pane.up"),
        Binding("enter", "select_cursor", "Show in the panes", show=False, id="timeline_pane.show"),
    ]
    DEFAULT_CSS = """
    TimelinePane {
        height: 8; border: round $panel;
        scrollbar-size-vertical: 1;
    }
    TimelinePane:focus { border: round $primary; }
    """

    @dataclass
    class Selected(Message):
        """The reader pressed enter on an entry."""

        pane: TimelinePane
        entry: TimelineEntry

        @property
        def control(self) -> TimelinePane:
            return self.pane

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an entry (for a detail area)."""

        pane: TimelinePane
        entry: TimelineEntry | None

        @property
        def control(self) -> TimelinePane:
            return self.pane

    def __init__(self, *, numbered: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.numbered = numbered
        self.entries: list[TimelineEntry] = []
        self.sources: list[Source] = []
        self.outlet_filter: int | None = None  # index into sources
        self.entity_filter: tuple[str, frozenset[tuple[str, int]]] | None = None
        self.visible_entries: list[TimelineEntry] = []
        self.loaded = False
        self._built_width = 0
        self._update_title()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _: self._rebuild())

    # -- data ------------------------------------------------------------------------
    def show(self, entries: Sequence[TimelineEntry], articles: Sequence[Article]) -> None:
        """Show the entries; ``articles`` in pane order (badges and the outlet filter)."""
        self.entries = list(entries)
        if self.numbered and len(articles) > 1:
            self.sources = [
                Source(f"{n} {a.outlet}", str(n), frozenset({a.id}), (n - 1) % OUTLET_COLOURS + 1)
                for n, a in enumerate(articles, 1)
            ]
        else:
            by_outlet: dict[str, set[str]] = {}
            for a in articles:
                by_outlet.setdefault(a.outlet, set()).add(a.id)
            self.sources = [
                Source(outlet, short_outlet(outlet), frozenset(ids), n % OUTLET_COLOURS + 1)
                for n, (outlet, ids) in enumerate(by_outlet.items())
            ]
        if self.outlet_filter is not None and self.outlet_filter >= len(self.sources):
            self.outlet_filter = None
        self.loaded = True
        self._rebuild()

    def cycle_outlet(self) -> str:
        """All -> only the first outlet -> ... -> all; returns the new filter's label."""
        if not self.sources:
            self.outlet_filter = None
        elif self.outlet_filter is None:
            self.outlet_filter = 0
        elif self.outlet_filter + 1 < len(self.sources):
            self.outlet_filter += 1
        else:
            self.outlet_filter = None
        self._rebuild()
        return self.sources[self.outlet_filter].label if self.outlet_filter is not None else "all"

    def set_entity_filter(
        self, name: str | None, sentences: Collection[tuple[str, int]] = ()
    ) -> None:
        """Only entries with a mention in one of ``sentences`` ((article id, sentence index));
        ``name`` None clears the filter."""
        self.entity_filter = None if name is None else (name, frozenset(sentences))
        self._rebuild()

    def _passes(self, entry: TimelineEntry) -> bool:
        if self.outlet_filter is not None:
            wanted = self.sources[self.outlet_filter].article_ids
            if not wanted.intersection(entry.article_ids):
                return False
        if self.entity_filter is not None:
            keys = self.entity_filter[1]
            if not any((m.article_id, m.sentence_index) in keys for m in entry.mentions):
                return False
        return True

    # -- rendering ---------------------------------------------------------------------
    def _colour(self, n: int) -> Style:
        colour = self.app.theme_variables.get(f"outlet-{n}") if self.is_attached else None
        try:
            return Style.parse(f"bold {colour}") if colour else Style(bold=True)
        except Exception:  # a user theme with a value Rich cannot read
            return Style(bold=True)

    def _badges(self, entry: TimelineEntry) -> Text:
        reporting = set(entry.article_ids)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        parts = 0
        for source in self.sources:
            present = bool(reporting & source.article_ids)
            if self.numbered and len(self.sources) > 1 and source.badge.isdigit():
                if parts:
                    text.append(" ")
                text.append(source.badge if present else " ", self._colour(source.colour))
                parts += 1
            elif present:
                if parts:
                    text.append(" ")
                text.append(source.badge, self._colour(source.colour))
                parts += 1
        return text

    def _badge_width(self) -> int:
        if self.numbered and len(self.sources) > 1:
            return 2 * len(self.sources) - 1
        widths = sorted((len(s.badge) for s in self.sources), reverse=True)
        return max(2, min(sum(widths[:3]) + 2, 24))

    def _rebuild(self) -> None:
        if not self.is_attached:
            return
        cursor_entry = self.current_entry()
        self.visible_entries = [e for e in self.entries if self._passes(e)]
        self.clear(columns=True)
        date_width = max((len(e.date.label()) for e in self.visible_entries), default=10)
        badge_width = self._badge_width()
        width = self.scrollable_content_region.width or self.size.width or 80
        self._built_width = width
        title_width = max(16, width - date_width - badge_width - 6)
        self.add_column("Date", key="date", width=date_width)
        # numbered badges are pane numbers, not counts: say so in the header
        numbered = self.numbered and len(self.sources) > 1
        self.add_column("Panes" if numbered else "Outlets", key="outlets", width=badge_width)
        self.add_column("Entry", key="title", width=title_width)
        for n, entry in enumerate(self.visible_entries):
            date = Text(
                entry.date.label(),
                "" if entry.date.granularity == "day" else "italic",
                no_wrap=True,
                end="",
            )
            title = Text(entry.title, no_wrap=True, overflow="ellipsis", end="")
            self.add_row(date, self._badges(entry), title, key=str(n))
        if cursor_entry in self.visible_entries:
            self.move_cursor(row=self.visible_entries.index(cursor_entry), animate=False)
        self._update_title()

    def _update_title(self) -> None:
        shown = len(self.visible_entries)
        parts = [Content("Timeline").stylize("bold")]
        if not self.loaded:
            parts.append(Content("building…"))
        elif shown == len(self.entries):
            parts.append(Content(count(shown, "entry")))
        else:
            parts.append(Content(f"{shown} of {len(self.entries)}"))
        if self.outlet_filter is not None:
            parts.append(Content(f"outlet: {self.sources[self.outlet_filter].label}"))
        if self.entity_filter is not None:
            parts.append(Content(f"entity: {self.entity_filter[0]}"))
        self.border_title = Content(" · ").join(parts)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if self.loaded and width and width != self._built_width:
            self._rebuild()

    # -- selection ---------------------------------------------------------------------
    def select_entry(self, entry: TimelineEntry) -> bool:
        """Put the cursor on ``entry`` (when it is shown); whether it is."""
        if entry in self.visible_entries:
            self.move_cursor(row=self.visible_entries.index(entry), animate=False)
            return True
        return False

    def current_entry(self) -> TimelineEntry | None:
        if not self.visible_entries or self.row_count == 0:
            return None
        row = self.cursor_row
        return self.visible_entries[row] if 0 <= row < len(self.visible_entries) else None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self.current_entry()
        if entry is not None:
            self.post_message(self.Selected(self, entry))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self, self.current_entry()))
