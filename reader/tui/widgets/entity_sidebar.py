"""The entity sidebar: the story's canonical entities with per-outlet mention counts.

Owns: a table of entities (name, type, one count column per pane number), filtered
by the hidden types, and telling the screen which entity the reader chose
(``EntitySidebar.Chosen``). Names are Rich ``Text`` (DataTable would parse a plain
string as markup).
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable

from reader.analysis.entities import EntityIndex
from reader.models import Article, Entity

TYPE_SHORT = {"PERSON": "per", "ORG": "org", "PLACE": "plc", "NORP": "grp"}
NAME_MIN, NAME_MAX = 10, 18
"""The entity name column's width: the longest name within these bounds."""
DEFAULT_WIDTH = 34


class EntitySidebar(DataTable):
    DEFAULT_CSS = """
    EntitySidebar {
        width: 34; height: 1fr; border: round $panel;
        scrollbar-size-vertical: 1;
    }
    EntitySidebar:focus { border: round $primary; }
    """

    @dataclass
    class Chosen(Message):
        sidebar: EntitySidebar
        entity_id: str

        @property
        def control(self) -> EntitySidebar:
            return self.sidebar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.border_title = "Entities"
        self.wanted_width = DEFAULT_WIDTH
        self.limit = 0  # 0: no limit
        self._rows: list[tuple[Entity, list[int]]] | None = None
        self._panes = 0
        self._natural_name = NAME_MIN
        self._count_width = 2
        self._built_name = 0
        self._geometry: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual's ScrollView compares what the layout gives it with its own virtual
        # size (the table's rows, never equal) and its container size counted without
        # the scrollbar, so every scroll fast-path that "exposes" the table (after any
        # full layout, e.g. a pane scrolled while off the page) repaints its scrollbars
        # and sends it a Resize: a second frame for a key that changed nothing here.
        # The same geometry as last time changes nothing.
        geometry = (size, virtual_size, container_size)
        if geometry == self._geometry:
            return False
        self._geometry = geometry
        return super()._size_updated(size, virtual_size, container_size, layout)

    def show(self, index: EntityIndex, articles: Sequence[Article], hidden: Container[str]) -> None:
        """Fill the table and size the sidebar to it: every pane's count column shows
        (at a fixed 34 columns, panes 3-5 hid behind a scrollbar)."""
        rows = []
        for entity in index.entities:
            if entity.label in hidden:
                continue
            counts = [entity.mentions.get(a.id, 0) for a in articles]
            if sum(counts) == 0:
                continue
            rows.append((entity, counts))
        self._rows = rows
        self._panes = len(articles)
        self._natural_name = max(
            NAME_MIN, min(NAME_MAX, max((len(e.name) for e, _ in rows), default=NAME_MIN))
        )
        self._count_width = max(2, max((len(str(c)) for _, cs in rows for c in cs), default=2))
        self._build(self._name_width())

    def fit(self, limit: int) -> None:
        """At most ``limit`` columns wide (the names narrow first, never the counts)."""
        self.limit = limit
        if self._rows is not None and self._name_width() != self._built_name:
            self._build(self._name_width())

    def _fixed(self) -> int:
        # each column has one cell of padding either side; the border and scrollbar 3
        return (3 + 2) + self._panes * (self._count_width + 2) + 3 + 2

    def _name_width(self) -> int:
        room = self.limit - self._fixed() if self.limit else self._natural_name
        return max(NAME_MIN, min(self._natural_name, room))

    def _build(self, name_width: int) -> None:
        self.clear(columns=True)
        self._built_name = name_width
        self.add_column("Entity", key="name", width=name_width)
        self.add_column("", key="type", width=3)
        for number in range(1, self._panes + 1):
            self.add_column(str(number), key=f"a{number}", width=self._count_width)
        self.wanted_width = name_width + self._fixed()
        self.styles.width = self.wanted_width
        for entity, counts in self._rows or []:
            cells = [
                Text(entity.name, no_wrap=True, overflow="ellipsis"),
                Text(TYPE_SHORT.get(entity.label, "?"), "dim"),
            ]
            cells += [Text(str(c) if c else "·", "bold" if c else "dim") for c in counts]
            self.add_row(*cells, key=entity.id)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.Chosen(self, event.row_key.value))
