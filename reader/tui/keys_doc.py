"""docs/keys.md, generated from the bindings (``python -m reader.tui.keys_doc > docs/keys.md``;
``tests/test_keys_doc.py`` fails when the file is stale).

Apart from ``reader.tui.commands`` because it imports every screen, which nothing the
screens import may do (the help screen reads its rows from ``commands``).
"""

from __future__ import annotations

from reader.tui.commands import HELP_SKIP_ACTIONS


def _doc_places() -> list[tuple[str, type]]:
    from textual.screen import Screen as _Screen

    from reader.tui.app import ParallaxApp
    from reader.tui.screens.compare import CompareScreen
    from reader.tui.screens.diff import DiffScreen
    from reader.tui.screens.facts import FactsScreen
    from reader.tui.screens.feeds import FeedsScreen
    from reader.tui.screens.help import HelpScreen
    from reader.tui.screens.library import LibraryScreen
    from reader.tui.screens.reader import ReaderScreen
    from reader.tui.screens.timeline import TimelineScreen
    from reader.tui.widgets.article_view import ArticleView
    from reader.tui.widgets.entity_sidebar import EntitySidebar
    from reader.tui.widgets.timeline_pane import TimelinePane

    return [
        ("Everywhere (the app)", ParallaxApp),
        ("Every screen (moving the focus)", _Screen),
        ("Library", LibraryScreen),
        ("Reader (one article)", ReaderScreen),
        ("Compare (side by side)", CompareScreen),
        ("An article pane (reader and compare)", ArticleView),
        ("The timeline pane (compare `t`, full-screen timeline)", TimelinePane),
        ("The entity sidebar (compare `e`)", EntitySidebar),
        ("Full-screen timeline", TimelineScreen),
        ("Diff and framing summary", DiffScreen),
        ("Fact table (who reports what)", FactsScreen),
        ("Feeds", FeedsScreen),
        ("Help", HelpScreen),
    ]


def keys_markdown() -> str:
    """docs/keys.md: every place's keys, from the classes' bindings (the defaults; a
    ``[keys]`` table in config.toml remaps them by the id in the last column)."""
    from textual.app import App as _App

    display: _App[object] = _App()  # only for its key formatting
    out = [
        "# Keys",
        "",
        "Generated from the bindings by `python -m reader.tui.keys_doc > docs/keys.md`;",
        "`tests/test_keys_doc.py` fails when this file is stale. In the app, `?` shows the",
        "keys of the place you are in (with your `[keys]` remapping applied) and `ctrl+p`",
        "every action. Remap a key in `config.toml`:",
        "",
        "```toml",
        "[keys]",
        '"compare.next_mention" = "m"',
        "```",
        "",
    ]
    for title, cls in _doc_places():
        rows: dict[str, list[str]] = {}
        described: dict[str, tuple[str, str]] = {}
        merged = cls._merge_bindings()  # type: ignore[attr-defined]  # own and inherited, as Textual merges them
        for binding in (b for bs in merged.key_to_bindings.values() for b in bs):
            if not binding.description or binding.action in HELP_SKIP_ACTIONS:
                continue
            if binding.system and binding.action != "quit":
                continue
            keys = display.get_key_display(binding)
            rows.setdefault(binding.action, [])
            if keys not in rows[binding.action]:
                rows[binding.action].append(keys)
            if not described.get(binding.action, ("", ""))[1]:
                described[binding.action] = (binding.description, binding.id or "")
        if not rows:
            continue
        out += [f"## {title}", "", "| keys | action | id for `[keys]` |", "| --- | --- | --- |"]
        for action, shown_keys in rows.items():
            description, binding_id = described[action]
            shown = " ".join(f"`{k}`" for k in shown_keys).replace("`|`", "`\\|`")
            out.append(f"| {shown} | {description} | {binding_id and f'`{binding_id}`'} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    sys.stdout.write(keys_markdown())
