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


HELP_GROUPS = {
    "ArticleView": "pane",
    "ComparePane": "pane",
    "TimelinePane": "timeline pane",
    "EntitySidebar": "entity sidebar",
    "DataTable": "list",
}
"""Names for the widgets whose keys the help lists (others: the class name)."""
HELP_SKIP_ACTIONS = frozenset(
    {
        "scroll_left",
        "scroll_right",
        "page_left",
        "page_right",
        "cursor_left",
        "cursor_right",
        "copy_text",
        "screen.copy_text",
    }
)
"""Keys every Textual widget has that do nothing useful in Parallax's panes."""


def _group_of(node: object, app: App) -> str:
    from textual.screen import Screen as _Screen

    if node is app:
        return "app"
    if isinstance(node, _Screen):
        return palette_group(node)
    name = type(node).__name__
    return HELP_GROUPS.get(name, name.lower())


def _rows_of(group: str, bindings: Iterable[Binding], app: App, seen: set[tuple[str, str]]):  # type: ignore[no-untyped-def]
    keys_of: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    for binding in bindings:
        if not binding.description or binding.action in HELP_SKIP_ACTIONS:
            continue
        if binding.system and binding.action != "quit":
            continue
        if (group, binding.action) in seen:
            continue
        display = binding.key_display or app.get_key_display(binding)
        keys = keys_of.setdefault(binding.action, [])
        if display not in keys:
            keys.append(display)
        described.setdefault(binding.action, binding.description)
    for action, keys in keys_of.items():
        seen.add((group, action))
        yield group, "/".join(keys), described[action]


def key_rows(app: App, screen: Screen) -> list[tuple[str, str, str]]:
    """(group, keys, description) for the help screen, from the ACTIVE bindings (the
    user's ``[keys]`` remapping applied): the focused widget's keys first, then the
    screen's, then the other widgets of the screen that take the focus (tab), then the
    app's. One row per action, its keys joined with "/"."""
    from textual.widgets import Input

    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    chain = screen._binding_chain  # (node, bindings with the keymap applied), focused first
    in_chain = {id(node) for node, _ in chain}
    app_entry = None
    for node, bindings_map in chain:
        if node is app:
            app_entry = (node, bindings_map)
            continue
        bindings = [b for bs in bindings_map.key_to_bindings.values() for b in bs]
        rows += _rows_of(_group_of(node, app), bindings, app, seen)
    # keys of the screen's other focusable widgets (the timeline pane, the sidebar)
    others: dict[str, list[Binding]] = {}
    for widget in screen.query("*"):
        if id(widget) in in_chain or not widget.can_focus or isinstance(widget, Input):
            continue  # the find box's editing keys are every text field's
        group = _group_of(widget, app)
        if group in others:
            continue
        bindings_map = widget._bindings.copy()
        if app._keymap:
            bindings_map.apply_keymap(app._keymap)
        others[group] = [b for bs in bindings_map.key_to_bindings.values() for b in bs]
    for group, bindings in others.items():
        rows += _rows_of(group, bindings, app, seen)
    if app_entry is not None:
        bindings = [b for bs in app_entry[1].key_to_bindings.values() for b in bs]
        rows += _rows_of("app", bindings, app, seen)
    return rows
