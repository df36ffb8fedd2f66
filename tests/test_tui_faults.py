"""Issue 17 in the app (Pilot, 80x24): another process prunes a story under an open
library, holds the write lock while the user marks and saves, the user removes an
article (y/n), the library file is read-only, and a database written by another tool
carries escape sequences."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from reader.store import Store
from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.diff import DiffScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.timeline import TimelineScreen
from tests.tui_helpers import app_for, screen_text, settle

PARALLAX = str(Path(sys.executable).with_name("parallax"))


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def move_to(app, key: str) -> None:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#library", DataTable)
    table.move_cursor(row=table.get_row_index(key))


def biggest_story(app):  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return max(screen.stories, key=lambda s: len(s.article_ids))


def make_prunable(db: Path, ids: list[str]) -> None:
    """As if these articles came from a feed and were read long ago."""
    conn = sqlite3.connect(db)
    conn.executemany(
        "UPDATE articles SET origin = 'https://example.org/' || id, "
        "read_at = '2000-01-01T00:00:00Z' WHERE id = ?",
        [(i,) for i in ids],
    )
    conn.commit()
    conn.close()


async def test_prune_in_another_shell_under_an_open_diff(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = biggest_story(app)
        move_to(app, f"story:{story.id}")
        make_prunable(analysed_db, list(story.article_ids[:2]))
        done = subprocess.run(  # another shell
            [PARALLAX, "--db", str(analysed_db), "prune", "--days", "1"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "deleted 2 feed articles" in done.stdout

        await pilot.press("d")  # the library still shows the story as it was
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "2 of these 4 articles are no longer in the library" in notes(app)[-1]
        assert not isinstance(app.screen, DiffScreen)

        # The library read itself again: the story has its two remaining articles.
        await settle(pilot)
        assert len(biggest_story(app).article_ids) >= 2
        assert story.article_ids[0] not in screen_text(app)


@pytest.mark.parametrize("key", ["c", "t"], ids=["compare", "timeline"])
async def test_a_view_opened_on_removed_articles_goes_back(analysed_db: Path, key: str) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = biggest_story(app)
        move_to(app, f"story:{story.id}")
        Store(analysed_db).remove([story.article_ids[-1]])  # another process
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, (CompareScreen, TimelineScreen))
        assert isinstance(app.screen, LibraryScreen)
        assert "1 of these 4 articles are no longer in the library" in notes(app)[-1]


async def test_a_held_write_lock_is_a_busy_notice_not_a_freeze_or_crash(
    analysed_db: Path,
) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = biggest_story(app)
        aid = story.article_ids[0]
        other = sqlite3.connect(analysed_db, isolation_level=None)  # a backup, a long fetch
        other.execute("BEGIN IMMEDIATE")
        try:
            move_to(app, f"article:{aid}")
            for key in ("m", "s"):
                await pilot.press(key)
                await settle(pilot)
                assert "the library is busy" in notes(app)[-1] and "try again" in notes(app)[-1]
            move_to(app, f"story:{story.id}")
            await pilot.press("M")
            await settle(pilot)
            assert "the library is busy" in notes(app)[-1]
            assert isinstance(app.screen, LibraryScreen) and app.is_running
        finally:
            other.execute("ROLLBACK")
            other.close()
        move_to(app, f"article:{aid}")
        await pilot.press("s")  # once the lock is gone, it works
        await settle(pilot)
        assert notes(app)[-1] == "Saved"
        assert app.store.states([aid])[aid][1]


async def test_remove_an_article_with_a_y_n_question(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = biggest_story(app)
        aid = story.article_ids[0]
        title = app.store.get_article(aid).title
        move_to(app, f"article:{aid}")
        await pilot.press("x")
        await settle(pilot)
        assert "Remove “" in screen_text(app)
        await pilot.press("n")  # declined: nothing happens
        await settle(pilot)
        assert app.store.get_article(aid) is not None
        move_to(app, f"article:{aid}")
        await pilot.press("x", "y")
        await settle(pilot)
        assert app.store.get_article(aid) is None
        assert notes(app)[-1] == f"Removed “{title}”"
        table = app.screen.query_one("#library", DataTable)
        assert f"article:{aid}" not in {str(k.value) for k in table.rows}


async def test_a_read_only_library_opens_and_says_changes_are_off(
    analysed_db: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import os

    real_access = os.access
    monkeypatch.setattr(  # as a read-only mount (root ignores file modes)
        os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode)
    )
    app = app_for(analysed_db)
    monkeypatch.setattr(os, "access", real_access)
    assert app.store.read_only
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"{analysed_db} is read-only: reading works, changes are off" in notes(app)
        story = biggest_story(app)
        move_to(app, f"article:{story.article_ids[0]}")
        await pilot.press("s")
        await settle(pilot)
        assert "read-only: changes are off" in notes(app)[-1]


async def test_escapes_in_a_database_written_by_another_tool_are_not_drawn(
    analysed_db: Path,
) -> None:
    conn = sqlite3.connect(analysed_db)
    conn.execute(
        "UPDATE articles SET title = title || ?, outlet = outlet || ?",
        ("\x1b]0;pwned\x07\x1b]52;c;cm0gLXJm\x07", "\x1b[2J\x9b6n"),
    )
    conn.commit()
    conn.close()
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
        assert "pwned" not in shown and "52;c" not in shown


async def test_filters_past_sqlites_limits_get_the_filter_languages_error(
    analysed_db: Path,
) -> None:
    from textual.widgets import Static

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"until:9999-12-31", "enter")
        await settle(pilot)
        table = app.screen.query_one("#library", DataTable)
        assert table.row_count == 5  # every seed: the last day of the calendar is fine
        await pilot.press("slash")
        search = app.screen.query_one("#search")
        assert search.has_focus
        search.value = " ".join(f"outlet:o{i}" for i in range(1100))
        await pilot.press("enter")
        await settle(pilot)
        error = app.screen.query_one("#filter-error", Static)
        assert error.display
        assert "too many terms (1100)" in str(error.visual)
