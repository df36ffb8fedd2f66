"""The footer: Textual's ``Footer``, rebuilt only when the keys it shows change.

Textual's Footer recomposes (a widget per key, each restyled) on every focus change,
because the active bindings *may* have changed. Moving between article panes does
not change them, and that recompose was most of the cost of a keystroke in the
compare view. This subclass compares what it would show and skips the rebuild when
nothing differs.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple[tuple[str, str, bool], ...] | None = None

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
