"""The compare screen, driven with the keyboard (Pilot) on the analysed seeds."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from reader.tui.screens.compare import CompareScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entity_sidebar import EntitySidebar
from tests.tui_helpers import app_for, open_story, screen_text


def visible(screen: CompareScreen) -> list[str]:
    return [p.article.outlet for p in screen.panes if p.on_page]


def pane_text(pane: ArticleView) -> str:
    return pane.plain_text()


async def test_two_panes_at_80_columns_and_paging(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        assert visible(screen) == ["DW", "JEN"]
        await pilot.press("greater_than_sign")
        assert visible(screen) == ["RFE/RL", "The Washington Post"]
        assert app.focused.article.outlet == "RFE/RL"  # type: ignore[union-attr]
        await pilot.press("h")  # moving left past the page edge pages back
        assert app.focused.article.outlet == "JEN"  # type: ignore[union-attr]
        assert "JEN" in visible(screen)
        assert "panes" in screen_text(app)


async def test_wide_terminal_shows_all_panes_and_the_sidebar(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_story(pilot, app)
        assert visible(screen) == ["DW", "JEN", "RFE/RL", "The Washington Post"]
        assert screen.query_one(EntitySidebar).display


async def test_brackets_show_literally(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        panes = {p.article.outlet: p for p in screen.query(ArticleView)}
        assert "we believe that [Putin] has" in pane_text(panes["RFE/RL"])
        assert "[Lavrov’s] comments" in pane_text(panes["The Washington Post"])


async def test_entity_sidebar_counts_and_follow_through_outlets(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        await pilot.press("e")
        sidebar = screen.query_one(EntitySidebar)
        assert sidebar.has_focus
        names = [str(sidebar.get_row_at(i)[0]) for i in range(sidebar.row_count)]
        assert any("Blinken" in n for n in names)
        row = next(i for i, n in enumerate(names) if "Blinken" in n)
        counts = [str(c) for c in sidebar.get_row_at(row)[2:]]
        assert all(c not in {"·", "0"} for c in counts)  # every outlet names Blinken
        sidebar.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.target is not None and "Blinken" in screen.target.label
        first = app.focused
        assert isinstance(first, ArticleView) and first.marked is not None
        marked = first.article.text[first.marked[0] : first.marked[1]]
        assert "Blinken" in marked
        await pilot.press("n")
        assert first.marked is not None
        assert "Blinken" in first.article.text[first.marked[0] : first.marked[1]]
        outlets = [first.article.outlet]
        for _ in range(3):
            await pilot.press("f")
            pane = app.focused
            assert isinstance(pane, ArticleView) and pane.marked is not None
            assert "Blinken" in pane.article.text[pane.marked[0] : pane.marked[1]]
            outlets.append(pane.article.outlet)
        assert outlets == ["DW", "JEN", "RFE/RL", "The Washington Post"]


async def test_type_toggles_hide_highlights(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query(ArticleView).first()
        people = [h for h in pane.highlights if "bold" in h.style]
        assert people
        await pilot.press("1")
        assert not [h for h in pane.highlights if "bold" in h.style]
        assert "hidden: people" in screen_text(app)
        sidebar = screen.query_one(EntitySidebar)
        assert all(str(sidebar.get_row_at(i)[1]) != "per" for i in range(sidebar.row_count))
        await pilot.press("1")
        assert [h for h in pane.highlights if "bold" in h.style]


async def test_find_in_panes(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        await pilot.press("slash", *"lethal", "enter")
        await pilot.pause()
        assert screen.target is not None and "“lethal”" in screen.target.label
        pane = app.focused
        assert isinstance(pane, ArticleView) and pane.marked is not None
        assert pane.article.text[pane.marked[0] : pane.marked[1]].lower() == "lethal"
        await pilot.press("f")
        other = app.focused
        assert isinstance(other, ArticleView) and other is not pane


async def test_scroll_keys_move_the_focused_pane(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query(ArticleView).first()
        assert pane.scroll_y == 0
        await pilot.press("j", "j", "pagedown")
        assert pane.scroll_y > 0
        await pilot.press("tab")
        assert app.focused is not pane


async def test_back_to_library(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, app)
        await pilot.press("escape")
        assert app.screen.query(DataTable)


async def test_page_keys_scroll_at_once(analysed_db: Path) -> None:
    """pgdn/pgup/home/end jump (like j/k): a smooth scroll repainted the pane ~20 times."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query(ArticleView).first()
        for action in (pane.action_page_down, pane.action_scroll_end, pane.action_page_up):
            action()
            assert not app.animator.is_being_animated(pane, "scroll_y")
            await pilot.pause()
        await pilot.press("home", "pagedown")
        assert pane.scroll_y > 0
        await pilot.press("pageup")
        assert pane.scroll_y == 0


async def test_moving_the_mark_repaints_the_old_and_new_lines(analysed_db: Path) -> None:
    """A new mark re-renders only the lines whose spans changed; none keeps a stale mark."""
    from reader.tui.widgets.article_view import ArticleBody

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query(ArticleView).first()
        body = pane.query_one(ArticleBody)
        first, second = pane.paragraphs[0], pane.paragraphs[1]
        line_a, line_b = pane._line_of(first[0]), pane._line_of(second[0])
        assert line_a is not None and line_b is not None and line_a != line_b

        def look(y: int) -> list[object]:
            return list(body.render_line(y))

        plain_a, plain_b = look(line_a), look(line_b)
        pane.mark(first[0], first[0] + 5, scroll=False)
        assert look(line_a) != plain_a and look(line_b) == plain_b
        pane.mark(second[0], second[0] + 5, scroll=False)
        assert look(line_a) == plain_a and look(line_b) != plain_b
        pane.clear_mark()
        assert look(line_a) == plain_a and look(line_b) == plain_b
        await pilot.pause()
