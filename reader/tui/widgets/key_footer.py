"""The footer: Textual's ``Footer``, rebuilt only when the keys it shows change.

Textual's Footer recomposes (a widget per key, each restyled) on every focus change,
because the active bindings *may* have changed. Moving between article panes does
not change them, and that recompose was most of the cost of a keystroke in the
compare view. This subclass compares what it would show and skips the rebuild when
nothing differs.

Each key bound to the footer's ``compact`` is also created with it already equal to
the footer's: a ``FooterKey`` starts compact and the binding then switches it back,
two restyles per key (~75 ms of a warm start with a dozen keys). The command-palette
key is not bound and keeps its own.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
