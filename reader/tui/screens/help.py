"""The help screen: every key of the screen it was opened from, and the app's keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.tui.commands import key_rows


class HelpScreen(ModalScreen[None]):
    PALETTE_GROUP = "help"
    BINDINGS = [
        Binding(
            "escape,question_mark,q", "dismiss", "Close help", key_display="esc", id="help.close"
        ),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
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
        with VerticalScroll():
            yield Static(Content("\n").join(lines), markup=False, id="help-keys")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = "Help"
