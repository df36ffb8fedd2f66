"""SVG snapshots of the key screens (pytest-textual-snapshot). Review an SVG before accepting it:
`pytest tests/test_snapshots.py --snapshot-update`, then look at tests/__snapshots__/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_helpers import app_for, settle


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


async def _compare(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_compare_screen(snap_compare, analysed_db: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=size, run_before=_compare
    )


def test_library_screen(snap_compare, analysed_db: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=(80, 24), run_before=_ready
    )


def test_help_screen(snap_compare, analysed_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def help_(pilot) -> None:  # type: ignore[no-untyped-def]
        await _compare(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=(80, 24), run_before=help_
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_fact_table_screen(snap_compare, analysed_db: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def facts(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)

    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=size, run_before=facts
    )
