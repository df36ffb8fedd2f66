"""The help screen: every key of the screen it was opened from, and the app's keys.

Owns: listing the keys ACTIVE where help was asked for (``commands.key_rows``: the
focused widget's, the screen's, its other focusable widgets', the app's, with the
user's ``[keys]`` remapping applied), scrollable with a visible hint when it does not
fit (80x24).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.tui.commands import key_rows


class HelpScroll(VerticalScroll):
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if isinstance(self.screen, HelpScreen):
            self.screen._hint()


class HelpScreen(ModalScreen[None]):
    PALETTE_GROUP = "help"
    BINDINGS = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close help", key_display="esc", id="help.close"
        ),
        Binding("j", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, id="help.up"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > HelpScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        rows = key_rows(self.app, self.for_screen)
        lines = [
            Content("Keys (ctrl+p: every action in the command palette)").stylize("bold"),
            Content(""),
        ]
        group = None
        for g, keys, description in rows:
            if g != group:
                group = g
                lines.append(Content(f"{g}").stylize("bold $accent"))
            lines.append(
                Content.assemble(Content(f"  {keys:<18}").stylize("bold"), Content(description))
            )
        with HelpScroll():
            yield Static(Content("\n").join(lines), markup=False, id="help-keys")

    def on_mount(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.border_title = "Help"
        scroll.focus()
        self.call_after_refresh(self._hint)

    def _hint(self) -> None:
        """Say that the list scrolls, and where the reader is in it, when it does not fit."""
        scroll = self.query_one(VerticalScroll)
        if scroll.max_scroll_y <= 0:
            scroll.border_subtitle = "esc: close"
            return
        where = (
            "end"
            if scroll.scroll_y >= scroll.max_scroll_y
            else f"{int(100 * scroll.scroll_y / scroll.max_scroll_y)}%"
        )
        scroll.border_subtitle = f"j/k ↑/↓ pgup/pgdn: scroll ({where}) · esc: close"

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step * 3, animate=False)
