"""Helpers for Pilot tests: build the app on a test database and wait for its workers."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.tui.app import ParallaxApp, make_app


def app_for(db: Path, **kwargs: object) -> ParallaxApp:
    return make_app(db=db, analyse_on_start=False, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot, rounds: int = 3, most: int = 40) -> None:
    """Let workers finish and their messages be handled: at least ``rounds`` rounds,
    then on until two rounds in a row start no worker (a chain of worker -> message ->
    screen -> worker can be longer than three under load)."""
    quiet = 0
    for n in range(most):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        busy = any(not worker.is_finished for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if n + 1 >= rounds and quiet >= 2:
            break
    await pilot.pause()


def screen_text(app: ParallaxApp) -> str:
    """Everything the current screen's Static-like widgets show, as plain text."""
    from textual.widgets import DataTable, Static

    parts: list[str] = []
    for widget in app.screen.query(Static):
        visual = widget.visual
        parts.append(getattr(visual, "plain", str(visual)))
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" | ".join(str(c) for c in table.get_row_at(row)))
    return "\n".join(parts)


async def open_story(pilot: Pilot, app: ParallaxApp):  # type: ignore[no-untyped-def]
    """From the library, open the four-article seed story (where the cursor starts) side by side."""
    from reader.tui.screens.compare import CompareScreen

    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CompareScreen)
    return app.screen


async def choose_entity(pilot: Pilot, screen, name: str) -> None:  # type: ignore[no-untyped-def]
    """In the compare view: open the entity sidebar (``e``) and choose the first entity
    whose row contains ``name`` (``enter``), so f/F and n/N follow it."""
    from reader.tui.widgets.entity_sidebar import EntitySidebar

    await pilot.press("e")
    sidebar = screen.query_one(EntitySidebar)
    names = [str(sidebar.get_row_at(i)[0]) for i in range(sidebar.row_count)]
    sidebar.move_cursor(row=next(i for i, n in enumerate(names) if name in n))
    await pilot.press("enter")
    await pilot.pause()
