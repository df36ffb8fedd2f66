"""The fact table screen: who reports what, one column per outlet, one row per fact.

Owns: showing ``reader.analysis.facts.FactTable`` as a table (the label column, then a
page of outlet columns that ``<``/``>`` turn), moving with ``j/k/h/l``, filtering rows
(``/``), showing only the rows where outlets differ (``a``), the coverage line ("Not
covered by: …"), and ``enter`` on a cell opening the compare view with that sentence
marked. The table is built in a worker (alignment and framing); every cell is
``Text`` built from sanitized text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from reader.analysis.facts import FactRow, FactTable
from reader.models import Article, ArticleAnalysis
from reader.tui.faults import articles_gone, load_story
from reader.tui.messages import OpenComparison
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.key_footer import KeyFooter
from reader.wording import count

LABEL_WIDTH = (20, 30)  # narrow (80 columns), wide (from WIDE columns)
WIDE = 120
MIN_CELL = 22
KIND_MARK = {
    "claim": "claim",
    "quantity": "count",
    "date": "date",
    "fact": "fact",
    "quote": "quote",
    "naming": "name",
}


class FactsScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "facts"
    BINDINGS = [
        Binding("escape", "back", "Back", id="facts.back"),
        Binding("j", "move(1, 0)", "Down", show=False, id="facts.down"),
        Binding("k", "move(-1, 0)", "Up", show=False, id="facts.up"),
        Binding("h", "move(0, -1)", "Left", show=False, id="facts.left"),
        Binding("l", "move(0, 1)", "Right", show=False, id="facts.right"),
        Binding("enter", "show", "Show in compare", id="facts.show"),
        Binding("slash", "filter", "Filter rows", key_display="/", id="facts.filter"),
        Binding("a", "differing", "Only differences", id="facts.differing"),
        Binding(
            "less_than_sign", "page(-1)", "Previous outlets", key_display="<", id="facts.page_prev"
        ),
        Binding(
            "greater_than_sign", "page(1)", "Next outlets", key_display=">", id="facts.page_next"
        ),
    ]
    DEFAULT_CSS = """
    FactsScreen #facts-status { height: auto; max-height: 3; padding: 0 1; }
    FactsScreen #facts-filter { display: none; }
    FactsScreen #facts-filter.-shown { display: block; }
    FactsScreen #facts-legend { height: 1; padding: 0 1; color: $text-muted; }
    FactsScreen DataTable { height: 1fr; }
    """

    @dataclass
    class Loaded(Message):
        articles: list[Article]
        analyses: dict[str, ArticleAnalysis]
        table: FactTable
        gaps: list[str]

    @dataclass
    class Gone(Message):
        """Some of the articles were pruned or removed since the screen was opened."""

        missing: int

    def __init__(self, article_ids: list[str]) -> None:
        super().__init__()
        self.article_ids = article_ids
        self.articles: list[Article] = []
        self.analyses: dict[str, ArticleAnalysis] = {}
        self.table: FactTable | None = None
        self.gaps: list[str] = []
        self.page_start = 0
        self.only_differing = False
        self.filter_text = ""
        self.shown_rows: list[FactRow] = []
        self.shown_outlets: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("comparing the outlets…"), id="facts-status", markup=False)
        yield Input(placeholder="filter rows (esc clears)", id="facts-filter")
        yield DataTable(id="facts", cursor_type="cell", zebra_stripes=True)
        yield Static(
            Content("— not found in that outlet's text · ≈ matched loosely · ! outlets differ"),
            id="facts-legend",
            markup=False,
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#facts", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="facts", exit_on_error=False)
    def load(self) -> None:
        from reader.analysis.facts import build_fact_table, coverage_gaps, story_days

        comparison = load_story(self, self.article_ids)
        if comparison is None:
            return
        store, articles, analyses = comparison.store, comparison.members, comparison.analyses
        alignment = comparison.alignment()
        framing = comparison.framing(alignment)
        table = build_fact_table(articles, alignment, framing)
        days = story_days(articles)
        near = store.outlets_between(*days) if days else []
        gaps = coverage_gaps(articles, near, [f.name for f in store.feeds()])
        self.post_message(self.Loaded(articles, analyses, table, gaps))

    @on(Gone)
    def _gone(self, message: Gone) -> None:
        articles_gone(self, message.missing, len(set(self.article_ids)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.articles = message.articles
        self.analyses = message.analyses
        self.table = message.table
        self.gaps = message.gaps
        self._fill()

    def on_resize(self) -> None:
        if self.table is not None:
            self._fill()

    # -- drawing ---------------------------------------------------------------------------
    def _per_page(self) -> tuple[int, int, int]:
        """(label width, outlets per page, cell width) for the screen's width."""
        assert self.table is not None
        width = max(self.size.width - 2, 40)
        label = LABEL_WIDTH[1] if width >= WIDE else LABEL_WIDTH[0]
        n = len(self.table.outlets)
        per = max(1, min(n, (width - label - 2) // (MIN_CELL + 2)))
        cell = (width - label - 2) // per - 2
        return label, per, cell

    def _rows(self) -> list[FactRow]:
        assert self.table is not None
        rows = list(self.table.differing() if self.only_differing else self.table.rows)
        if self.filter_text:
            q = self.filter_text.casefold()
            rows = [
                r
                for r in rows
                if q in r.label.casefold() or any(q in c.text.casefold() for c in r.cells.values())
            ]
        return rows

    def _fill(self) -> None:
        table = self.table
        if table is None:
            return
        grid = self.query_one("#facts", DataTable)
        keep = grid.cursor_coordinate
        label_w, per, cell_w = self._per_page()
        self.page_start = max(0, min(self.page_start, len(table.outlets) - per))
        self.shown_outlets = table.outlets[self.page_start : self.page_start + per]
        self.shown_rows = self._rows()
        differ = self._differ_style()
        grid.clear(columns=True)
        grid.add_column("what", key="label", width=label_w)
        for outlet in self.shown_outlets:
            versions = len(table.articles_of.get(outlet, ()))
            head = outlet if versions < 2 else f"{outlet} · {versions} articles"
            grid.add_column(Text(head, no_wrap=True, overflow="ellipsis"), width=cell_w)
        narrow = label_w < LABEL_WIDTH[1]
        for row in self.shown_rows:
            mark = "!" if row.differs else " "
            # Most rows are claims: at 80 columns their kind word would take a quarter
            # of the label, so a claim's label stands alone there; other kinds say theirs.
            kind = "" if narrow and row.kind == "claim" else KIND_MARK.get(row.kind, row.kind)
            label = Text.assemble((mark, "bold"), (kind + " " if kind else "", "dim"), row.label)
            label.no_wrap, label.overflow = True, "ellipsis"
            cells: list[Text] = [label]
            for outlet in self.shown_outlets:
                cell = row.cells.get(outlet)
                if cell is None:
                    cells.append(Text("—", "dim"))
                    continue
                text = Text(("≈ " if cell.uncertain else "") + " ".join(cell.text.split()))
                if row.differs and row.kind not in ("claim", "quote"):
                    text.stylize(differ)
                text.no_wrap, text.overflow = True, "ellipsis"
                cells.append(text)
            grid.add_row(*cells)
        if self.shown_rows:
            grid.cursor_coordinate = grid.validate_cursor_coordinate(keep)
        self._status()

    def _differ_style(self) -> Style:
        value = self.app.get_css_variables().get("diff-change", "")
        try:
            return Style.parse(value) if value else Style(bold=True)
        except Exception:  # a theme's odd value: still readable
            return Style(bold=True)

    def _status(self) -> None:
        table = self.table
        assert table is not None
        n = len(table.outlets)
        first, last = self.page_start + 1, self.page_start + len(self.shown_outlets)
        parts = [
            f"{count(len(self.shown_rows), 'fact')} · outlets {first}–{last} of {n}"
            + (" (< > for more)" if len(self.shown_outlets) < n else "")
        ]
        if self.only_differing:
            parts.append("only differences (a: all)")
        if self.filter_text:
            parts.append(f"filter: {self.filter_text}")
        line = Content(" · ".join(parts))
        if self.gaps:
            line = Content.assemble(line, Content("\nNot covered by: " + ", ".join(self.gaps)))
        elif not table.rows:
            line = Content.assemble(line, Content("\nNo facts to compare: the outlets share none."))
        self.query_one("#facts-status", Static).update(line)

    # -- actions ---------------------------------------------------------------------------
    def action_move(self, rows: int, columns: int) -> None:
        grid = self.query_one("#facts", DataTable)
        if rows > 0:
            grid.action_cursor_down()
        elif rows < 0:
            grid.action_cursor_up()
        if columns > 0:
            if grid.cursor_column >= len(self.shown_outlets) and self._can_page(1):
                self.action_page(1)
            else:
                grid.action_cursor_right()
        elif columns < 0:
            if grid.cursor_column <= 1 and self._can_page(-1):
                self.action_page(-1)
            else:
                grid.action_cursor_left()

    def _can_page(self, step: int) -> bool:
        if self.table is None:
            return False
        _, per, _ = self._per_page()
        start = self.page_start + step * per
        return 0 <= start < len(self.table.outlets) if step > 0 else self.page_start > 0

    def action_page(self, step: int) -> None:
        if self.table is None:
            return
        _, per, _ = self._per_page()
        self.page_start = max(0, min(self.page_start + step * per, len(self.table.outlets) - 1))
        self._fill()

    def action_differing(self) -> None:
        self.only_differing = not self.only_differing
        self._fill()

    def action_filter(self) -> None:
        box = self.query_one("#facts-filter", Input)
        box.add_class("-shown")
        box.focus()

    @on(Input.Changed, "#facts-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#facts-filter")
    def _filter_done(self) -> None:
        self.query_one("#facts", DataTable).focus()

    def action_back(self) -> None:
        box = self.query_one("#facts-filter", Input)
        if box.has_class("-shown"):
            box.value = ""
            box.remove_class("-shown")
            self.filter_text = ""
            self._fill()
            self.query_one("#facts", DataTable).focus()
            return
        self.app.pop_screen()

    def selected_cell(self) -> tuple[FactRow, str] | None:
        """The row and outlet under the cursor (None on the label column or no row)."""
        grid = self.query_one("#facts", DataTable)
        r, c = grid.cursor_row, grid.cursor_column
        if not (0 <= r < len(self.shown_rows)) or c < 1 or c > len(self.shown_outlets):
            return None
        return self.shown_rows[r], self.shown_outlets[c - 1]

    @on(DataTable.CellSelected)
    def _cell_selected(self) -> None:
        self.action_show()

    def action_show(self) -> None:
        """Open the compare view on the story with the cell's sentence marked."""
        chosen = self.selected_cell()
        marks: list[tuple[str, int, int]] = []
        if chosen is not None:
            row, outlet = chosen
            cell = row.cells.get(outlet)
            analysis = self.analyses.get(cell.article_id) if cell else None
            if cell and analysis and cell.sentence_index is not None:
                if 0 <= cell.sentence_index < len(analysis.sentences):
                    sentence = analysis.sentences[cell.sentence_index]
                    marks.append((cell.article_id, sentence.start, sentence.end))
        self.post_message(OpenComparison(list(self.article_ids), marks))
