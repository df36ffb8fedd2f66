"""The TUI's shape (issue 21): the app owns navigation.

A screen never imports or constructs another screen: it posts one of the messages of
``reader.tui.messages`` and the app opens the screen. Read from the source with
``ast`` (function-level imports count: a lazy import is still a dependency).
"""

from __future__ import annotations

from pathlib import Path

from tests.test_import_cycles import import_graph

SCREENS = Path(__file__).resolve().parent.parent / "reader" / "tui" / "screens"
SHARED = {"reader.tui.screens.base"}  # the typed base every screen derives from


def test_no_screen_imports_another_screen() -> None:
    graph = import_graph()  # every reader.* import, function-level ones included
    offenders = [
        f"{module} imports {target}"
        for module, targets in sorted(graph.items())
        if module.startswith("reader.tui.screens.")
        for target in sorted(targets)
        if target.startswith("reader.tui.screens.") and target not in (module, *SHARED)
    ]
    assert not offenders, "\n".join(offenders)


def test_screens_read_the_store_through_the_typed_base() -> None:
    """``self.store`` (ParallaxScreen), not ``self.app.store`` with a type: ignore."""
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(SCREENS.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "self.app.store" in line and path.stem != "base"
    ]
    assert not offenders, offenders
