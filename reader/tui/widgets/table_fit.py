"""Fitting a DataTable to the screen's width (library titles, feed errors).

Owns: ``fill_column``. Rule: one column takes whatever width the others leave, so
nothing scrolls sideways at 80 columns.
"""

from __future__ import annotations

from textual.widgets import DataTable


def fill_column(table: DataTable, key: str, room: int, minimum: int) -> None:
    """Give column ``key`` the ``room`` the other columns leave (at least ``minimum``)."""
    fixed = sum(c.get_render_width(table) for k, c in table.columns.items() if k.value != key)
    column = table.columns.get(key)  # type: ignore[call-overload]
    if column is not None:
        column.auto_width = False
        column.width = max(minimum, room - fixed)
        table.refresh()
