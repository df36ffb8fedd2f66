"""Command-palette entries: every key binding of the current screen, namespaced.

Owns: turning the active screen's and the app's bindings into ``SystemCommand``s
("library: compare story", "compare: next mention", "theme: solarized"), so every
action that has a key is also in the palette, from one source of truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def palette_group(screen: Screen) -> str:
    return (
        getattr(screen, "PALETTE_GROUP", "") or type(screen).__name__.removesuffix("Screen").lower()
    )


def binding_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    seen: set[str] = set()
    sources: list[tuple[str, object, list[Binding]]] = [
        (palette_group(screen), screen, _bindings(screen)),
        ("app", app, _bindings(app)),
    ]
    for group, target, bindings in sources:
        for binding in bindings:
            if not binding.description or binding.action in seen or binding.system:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(
                f"{group}: {binding.description.lower()}",
                f"key: {key}" + (f" — {binding.tooltip}" if binding.tooltip else ""),
                partial(_run, target, binding.action),
            )


def _bindings(node: object) -> list[Binding]:
    out = []
    for item in getattr(type(node), "BINDINGS", []):
        if isinstance(item, Binding):
            out.append(item)
        elif isinstance(item, tuple):
            out.append(Binding(*item))
    return out


async def _run(target: object, action: str) -> None:
    await target.run_action(action)  # type: ignore[attr-defined]


def key_rows(app: App, screen: Screen) -> list[tuple[str, str, str]]:
    """(group, keys, description) for the help screen: screen keys first, then app keys."""
    rows: list[tuple[str, str, str]] = []
    for group, node in ((palette_group(screen), screen), ("app", app)):
        for binding in _bindings(node):
            if not binding.description:
                continue
            keys = binding.key_display or " ".join(k.strip() for k in binding.key.split(","))
            rows.append((group, keys, binding.description))
    return rows
