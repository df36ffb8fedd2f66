"""The framing diff view, driven with the keyboard (Pilot) on the analysed seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.diff import DiffScreen, GroupView, OutletColumn, diff_content
from reader.tui.widgets.article_view import ArticleView
from tests.tui_helpers import app_for, settle


async def open_diff(pilot, app) -> DiffScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(app.screen, DiffScreen)
    return app.screen


def status(screen: DiffScreen) -> str:
    return screen.query_one("#diff-status").visual.plain  # type: ignore[attr-defined]


def test_word_diff_marks_removed_added_and_changed_words() -> None:
    content = diff_content(
        "The US has said it will temporarily relocate its embassy to Lviv.",
        "The US State Department said Monday it would temporarily relocate its embassy to Lviv.",
    )
    styled = {content.plain[s.start : s.end]: str(s.style) for s in content.spans}
    assert styled["{+Monday+}"] == "$diff-insert"
    assert styled["{+would+}"] == "$diff-change" and styled["[-will-]"] == "$diff-delete"
    assert content.plain.endswith("temporarily relocate its embassy to Lviv.")


def test_word_diff_reads_without_colour_with_its_spacing() -> None:
    """Issue 20, item 3: the plain text alone says what was removed and added, and the
    words keep their spaces (it read "returning our its staff" before)."""
    cases = [
        (
            "The US has said it will temporarily relocate its embassy to Lviv.",
            "The US State Department said Monday it would temporarily relocate its embassy.",
            "The US [-has-] {+State Department+} said {+Monday+} it [-will-] {+would+} "
            "temporarily relocate its embassy. [-to Lviv.-]",
        ),
        ("returning our staff", "returning its staff", "returning [-our-] {+its+} staff"),
        ("Old start here now.", "here now.", "[-Old start-] here now."),
        ("we will not permit it", "we permit it", "we [-will not-] permit it"),
    ]
    for baseline, other, plain in cases:
        assert diff_content(baseline, other).plain == plain


async def test_groups_baseline_and_hiding_shared(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(pilot, app)
        groups = list(screen.query(GroupView))
        assert len(groups) >= 8
        assert "baseline 1 DW" in status(screen)
        texts = [g.visual.plain for g in groups]  # type: ignore[attr-defined]
        assert any("safety of our staff" in t for t in texts)
        await pilot.press("b")
        assert "baseline 2 JEN" in status(screen)
        await pilot.press("p")
        assert "pairwise" in status(screen)
        before = len(screen.visible_groups())
        await pilot.press("a")
        await pilot.pause()
        after = screen.visible_groups()
        assert all(len(g.members) < 4 for g in after) and len(after) <= before
        assert "shared by all hidden" in status(screen)


async def test_reopening_a_diff_reads_the_story_cache(
    analysed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 15: the second opening of a story's diff aligns nothing: the groups come
    from the store (here alignment and framing would fail if they ran again)."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(pilot, app)
        first = [g.visual.plain for g in screen.query(GroupView)]  # type: ignore[attr-defined]
        await pilot.press("escape")

        def fail(*args: object) -> None:
            raise AssertionError("aligned again")

        import reader.analysis.alignment as alignment
        import reader.analysis.framing as framing

        monkeypatch.setattr(alignment, "align_story", fail)
        monkeypatch.setattr(framing, "build_framing", fail)
        screen = await open_diff(pilot, app)
        assert [g.visual.plain for g in screen.query(GroupView)] == first  # type: ignore[attr-defined]
        assert "aligning" not in status(screen)


async def test_move_between_groups_and_jump_to_compare(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(pilot, app)
        await pilot.press("j", "j")
        assert screen.current == 2
        assert list(screen.query(GroupView))[2].has_class("-current")
        group = screen.visible_groups()[2]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        marked = {p.article.id: p.marked for p in app.screen.query(ArticleView) if p.marked}
        assert set(marked) == {m.article_id for m in group.members}


async def test_framing_summary_columns(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(pilot, app)
        await pilot.press("s")
        columns = list(screen.query(OutletColumn))
        assert len(columns) == 4 and [c.display for c in columns] == [True, True, False, False]
        text = columns[0].query_one("Static").visual.plain  # type: ignore[attr-defined]
        for heading in [
            "Lede",
            "Only here",
            "Perhaps only here (closest elsewhere)",
            "Left out",
            "Perhaps left out (closest here)",
            "Quotes",
            "Numbers that disagree",
            "Naming",
        ]:
            assert heading in text
        # The unsure ones come with their evidence (DW: the call with Putin is in
        # Blinken's quote).
        assert "≈ " in text
        await pilot.press("greater_than_sign")
        assert [c.display for c in columns] == [False, False, True, True]


def footer_keys(screen: DiffScreen) -> set[str]:
    return {
        b.description
        for _n, b, enabled, _t in screen.active_bindings.values()
        if b.show and enabled
    }


async def test_the_summary_footer_shows_the_summary_keys(analysed_db: Path) -> None:
    """Issue 20, item 9: the framing summary's footer offers its own keys, not the diff's;
    j scrolls the focused column there."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diff(pilot, app)
        assert {"Next group", "Baseline", "To compare"} <= footer_keys(screen)
        assert "Next outlets" not in footer_keys(screen)
        await pilot.press("s")
        await pilot.pause()
        keys = footer_keys(screen)
        assert {"Scroll column", "Next outlets", "Summary"} <= keys
        assert not keys & {"Next group", "Baseline", "To compare", "Hide shared"}
        column = screen.focused
        assert isinstance(column, OutletColumn)
        await pilot.press("j")
        assert column.scroll_y > 0 or column.max_scroll_y == 0
        await pilot.press("s")
        await pilot.pause()
        assert "Next group" in footer_keys(screen)


def test_diff_snapshot(snap_compare, analysed_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_diff(pilot, pilot.app)

    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=(80, 24), run_before=run_before
    )
