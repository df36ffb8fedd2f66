"""The footer: the screen's keys on one line, drawn by one widget.

Textual's ``Footer`` is a container with a ``FooterKey`` widget per key, mounted one
frame after the screen (when its bindings signal arrives) and mounted again whenever
the keys may have changed: each key is styled, laid out and painted on its own. On
the library screen that was ~25 ms of the ~80 ms of CPU of opening it (issue 20,
items 17 and 18). This widget draws the same line — each key's `` key `` and
``description `` in the footer's component styles, the command-palette key at the
right behind a ``▏`` — from ``screen.active_bindings`` at render time, and repaints
only when the keys it shows change. A click runs the key under the pointer (as
``FooterKey`` does, through ``App.simulate_key``); the key under the pointer is
highlighted and its binding's tooltip shown; a disabled key is dim and rings the bell.
Binding groups (``Binding.Group``) and the compact style are not drawn: Parallax uses
neither.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

DIM = Style(dim=True)


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str = ""


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--border",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .footer-key--border {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[_Key, ...], _Key | None] | None = None
        self._spans: list[tuple[int, int, _Key]] = []  # x ranges of the keys drawn
        self._hover: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self._keys() != self._shown:
            self.refresh()

    def _keys(self) -> tuple[tuple[_Key, ...], _Key | None]:
        """The keys shown (one per action, as Textual's Footer) and the palette key."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, _Key] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = _Key(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip or "",
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = _Key(binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(keys.values()), palette

    def _parts(self, key: _Key, palette: bool = False) -> list[tuple[str, Style]]:
        """A key's text pieces and styles, as ``FooterKey`` draws them."""
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        if key.key == self._hover and key.enabled:
            over = self.get_component_rich_style("footer-key--hover")
            key_style, description_style = key_style + over, description_style + over
        if not key.enabled:
            key_style, description_style = key_style + DIM, description_style + DIM
        if palette:  # Textual's docked palette key draws as "▏^p palette "
            return [(key.display, key_style), (f" {key.description}", description_style)]
        if not key.description:
            return [(key.display, key_style)]
        return [(f" {key.display} ", key_style), (f"{key.description} ", description_style)]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        background = Style(bgcolor=self.background_colors[1].rich_color)
        if y:
            return Strip.blank(width, background)
        keys, palette = self._shown = self._keys()
        right: list[Segment] = []
        if palette is not None:
            _, color = self.background_colors
            border = color + self.get_component_styles("footer-key--border").color
            right.append(Segment("▏", Style(color=border.rich_color) + background))
            right += [Segment(t, st) for t, st in self._parts(palette, palette=True)]
            right.append(Segment(" ", background))
        room = max(0, width - sum(cell_len(s.text) for s in right))
        segments: list[Segment] = []
        self._spans = []
        x = 0
        for key in keys:
            if x >= room:
                break
            start = x
            for text, style in self._parts(key):
                text = set_cell_size(text, min(cell_len(text), room - x))
                if text:
                    segments.append(Segment(text, style))
                    x += cell_len(text)
            self._spans.append((start, x, key))
        if x < room:
            segments.append(Segment(" " * (room - x), background))
        if palette is not None:
            self._spans.append((room + 1, width, palette))
        return Strip(segments + right, width).crop(0, width)

    def _key_at(self, x: int) -> _Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        hover = key.key if key is not None else None
        if hover != self._hover:
            self._hover = hover
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
