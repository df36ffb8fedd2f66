"""The TUI's shape (issue 21): the app owns navigation.

A screen never imports or constructs another screen: it posts one of the messages of
``reader.tui.messages`` and the app opens the screen. Read from the source with
``ast`` (function-level imports count: a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

SCREENS = Path(__file__).resolve().parent.parent / "reader" / "tui" / "screens"
SHARED = {"reader.tui.screens.base"}  # the typed base every screen derives from


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_screen_imports_another_screen() -> None:
    offenders = []
    for path in sorted(SCREENS.glob("*.py")):
        own = f"reader.tui.screens.{path.stem}"
        for name in _imports(path):
            if not name.startswith("reader.tui.screens."):
                continue
            module = ".".join(name.split(".")[:4])
            if module not in (own, *SHARED):
                offenders.append(f"{path.name} imports {name}")
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
