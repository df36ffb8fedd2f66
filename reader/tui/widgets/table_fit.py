"""Fitting a DataTable to the screen's width (library titles, feed errors).

Owns: ``fill_column`` and ``LabelWithCounts``. Rule: one column takes whatever width
the others leave, so nothing scrolls sideways at 80 columns; a row label whose end
carries numbers ("(4 articles, 4 outlets, 4 unread)") is cut in its title, with an
ellipsis, never in its numbers.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.widgets import DataTable

TITLE_ROOM = 20
"""Below this many columns for the title, a label uses its short counts."""


class LabelWithCounts:
    """A table cell: a title then its counts; too narrow, the title gives way ("…")."""

    def __init__(self, title: Text, counts: Text, short_counts: Text | None = None) -> None:
        self.title = title
        self.counts = counts
        self.short_counts = short_counts  # used when the full counts leave the title < 20

    def __str__(self) -> str:
        return self.title.plain + self.counts.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.title.cell_len + self.counts.cell_len
        return Measurement(min(width, self.counts.cell_len + 2), width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title = self.title.copy()
        counts = self.counts
        if self.short_counts is not None and width - counts.cell_len < TITLE_ROOM:
            counts = self.short_counts
        room = width - counts.cell_len
        if title.cell_len > room:
            title.truncate(max(1, room), overflow="ellipsis")
        line = Text.assemble(title, counts, no_wrap=True, overflow="ellipsis", end="")
        line.truncate(width, overflow="ellipsis")
        yield line


def fill_column(table: DataTable, key: str, room: int, minimum: int) -> None:
    """Give column ``key`` the ``room`` the other columns leave (at least ``minimum``)."""
    fixed = sum(c.get_render_width(table) for k, c in table.columns.items() if k.value != key)
    column = table.columns.get(key)  # type: ignore[call-overload]
    if column is not None:
        column.auto_width = False
        column.width = max(minimum, room - fixed)
        table.refresh()
