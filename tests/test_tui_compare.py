"""The compare screen, driven with the keyboard (Pilot) on the analysed seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from reader.tui.screens.compare import CompareScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entity_sidebar import EntitySidebar
from tests.tui_helpers import app_for, choose_entity, open_story, screen_text, settle


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


# -- keystroke cost (issue 10, budget 5): what makes the keys cheap, checked --------------
def _border(pane: ArticleView) -> object:
    return pane.styles.border_top[1]


def _theme_colour(app: object, name: str) -> object:
    from textual.color import Color

    return Color.parse(app.theme_variables[name])  # type: ignore[attr-defined]


async def test_focus_border_is_painted_without_restyling_the_panes(
    analysed_db: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The focused pane's border is $primary, the others' $panel (as the :focus rule
    was), and moving the focus restyles nothing inside the panes."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        first, second = screen.panes[:2]
        primary, panel = _theme_colour(app, "primary"), _theme_colour(app, "panel")
        assert (_border(first), _border(second)) == (primary, panel)
        restyled: list[object] = []
        update_nodes = app.stylesheet.update_nodes

        def counting(nodes, animate=False):  # type: ignore[no-untyped-def]
            nodes = list(nodes)
            restyled.extend(nodes)
            return update_nodes(nodes, animate=animate)

        monkeypatch.setattr(app.stylesheet, "update_nodes", counting)
        for key, focused in (("tab", second), ("h", first), ("l", second), ("shift+tab", first)):
            await pilot.press(key)
            await pilot.pause()
            other = second if focused is first else first
            assert app.focused is focused
            assert (_border(focused), _border(other)) == (primary, panel)
        inside = [n for n in restyled if any(p in screen.panes for p in n.ancestors_with_self)]  # type: ignore[attr-defined]
        assert inside == []


async def test_a_new_theme_recolours_the_pane_borders(analysed_db: Path) -> None:
    app = app_for(analysed_db, theme="parallax-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        app.theme = "parallax-light"
        await pilot.pause()
        await pilot.pause()
        first, second = screen.panes[:2]
        assert _border(first) == _theme_colour(app, "primary")
        assert _border(second) == _theme_colour(app, "panel")


async def test_clicking_a_pane_focuses_it(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        second = screen.panes[1]
        await pilot.click("#pane-2")
        await pilot.pause()
        assert app.focused is second
        assert _border(second) == _theme_colour(app, "primary")
        assert _border(screen.panes[0]) == _theme_colour(app, "panel")


async def test_paging_scrolls_the_row_of_panes(analysed_db: Path) -> None:
    """Every pane stays laid out at a page slot's width; a page is a scroll of the row,
    and only the panes on the page take the focus (tab does not leave the page)."""
    from textual.containers import Horizontal

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        row = screen.query_one("#panes", Horizontal)
        assert all(p.display for p in screen.panes)
        assert [p.outer_size.width for p in screen.panes] == [40] * 4
        assert row.scroll_x == 0
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert row.scroll_x == 80
        assert visible(screen) == ["RFE/RL", "The Washington Post"]
        chain = [w for w in screen.focus_chain if isinstance(w, ArticleView)]
        assert chain == screen.panes[2:]
        await pilot.press("e")  # the sidebar narrows the slots; the page stays
        await pilot.pause()
        await pilot.pause()
        # the sidebar is as wide as its four count columns need (36): slots of 22
        assert [p.outer_size.width for p in screen.panes] == [22] * 4
        assert row.scroll_x == 2 * 22
        assert visible(screen) == ["RFE/RL", "The Washington Post"]


async def test_each_key_is_one_screen_update(analysed_db: Path) -> None:
    """Focus, page, follow and next-mention keys change the screen in ONE update: the
    borders, the mark, the scroll and the status together (a second update waits for
    the next frame period)."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        updates: list[object] = []
        display = app._display

        def counting(screen_, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                updates.append(renderable)
            return display(screen_, renderable)

        app._display = counting  # type: ignore[method-assign]

        async def press(key: str) -> int:
            before = len(updates)
            await pilot.press(key)
            await pilot.pause()
            return len(updates) - before

        for key in ("tab", "shift+tab", "l", "h", "greater_than_sign", "less_than_sign"):
            assert await press(key) == 1, key
        await choose_entity(pilot, screen, "Blinken")
        for key in ("f", "f", "f", "b", "b", "b", "n", "N"):
            assert await press(key) == 1, key


async def test_an_open_story_is_frozen_for_the_garbage_collector(analysed_db: Path) -> None:
    import gc

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, app)
        assert gc.get_freeze_count() > 0
        await pilot.press("escape")
        await pilot.pause()
        assert gc.get_freeze_count() == 0


async def test_every_mention_of_a_known_entity_is_highlighted(analysed_db: Path) -> None:
    """Issue 20, item 2: every "Kyiv" and "Blinken" in every pane is highlighted (not only
    where the NER model tagged it), and the story's two cities get different colours."""
    import re

    app = app_for(analysed_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_story(pilot, app)
        styles: dict[str, set[str]] = {}
        for pane in screen.panes:
            text = pane.article.text
            spans = {(h.start, h.end): h.style for h in pane.highlights}
            for name in ("Kyiv", "Lviv", "Blinken"):
                for match in re.finditer(rf"\b{name}\b", text):
                    covering = [
                        style
                        for (start, end), style in spans.items()
                        if start <= match.start() and match.end() <= end
                    ]
                    assert covering, f"{pane.article.outlet}: {name} at {match.start()}"
                    styles.setdefault(name, set()).add(covering[0].split()[0])
        assert len(styles["Kyiv"]) == len(styles["Lviv"]) == 1
        assert styles["Kyiv"] != styles["Lviv"]
        assert all(
            s.startswith("$entity-") and s[-1].isdigit() for s in styles["Kyiv"] | styles["Lviv"]
        )


async def test_page_furniture_is_folded_not_deleted(analysed_db: Path) -> None:
    """Issue 20, item 5: DW's pane opens on its first real paragraph; `z` shows the
    "Skip to content" lines and folds them again; a search hit inside them unfolds."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        dw = screen.panes[0]
        assert dw.article.outlet == "DW"
        shown = dw.plain_text()
        assert shown.startswith("▸ 5 lines of page furniture folded")
        assert "Skip to content" not in shown
        assert shown.split("\n\n")[1].startswith("The US has said it will temporarily relocate")
        assert "Skip to content" in dw.article.text  # folded, not deleted
        await pilot.press("z")
        assert "Skip to content" in dw.plain_text()
        await pilot.press("z")
        assert "Skip to content" not in dw.plain_text()
        await pilot.press("slash", *"Skip to main", "enter")
        await pilot.pause()
        assert "Skip to main" in dw.plain_text() and dw.marked is not None


async def test_the_sidebar_fits_its_counts_and_keeps_the_reading_position(
    analysed_db: Path,
) -> None:
    """Issue 20, item 4: every pane's count column shows (no horizontal scrolling), and
    opening or closing the sidebar keeps each pane's top sentence at the top."""
    app = app_for(analysed_db)
    async with app.run_test(size=(100, 30)) as pilot:  # 2 panes of 50; 1 of 58 beside it
        screen = await open_story(pilot, app)
        pane = screen.panes[0]
        for _ in range(8):
            await pilot.press("j")
        await pilot.pause()
        before = pane.top_offset()
        assert before is not None and before > 0
        await pilot.press("e")
        await settle(pilot)
        sidebar = screen.query_one(EntitySidebar)
        assert sidebar.display
        assert [str(c.label) for c in sidebar.columns.values()][2:] == ["1", "2", "3", "4"]
        assert sidebar.max_scroll_x == 0
        assert sidebar.outer_size.width == sidebar.wanted_width
        after = pane.top_offset()
        assert after is not None and after <= before < after + pane.size.width
        await pilot.press("e")  # the sidebar has the focus: e closes it
        await settle(pilot)
        assert not sidebar.display
        closed = pane.top_offset()
        assert closed is not None and closed <= before < closed + pane.size.width


async def test_the_panes_show_their_text_before_the_analysis_arrives(
    analysed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20, item 16: with the analysis held back (a busy machine), the compare view
    shows every pane's text at once and says it is analysing; the highlights fill in
    when the analysis arrives."""
    import threading

    import reader.analysis.cache as cache

    release = threading.Event()
    real = cache.analyse_and_link

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "analyse_and_link", held)
    app = app_for(analysed_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        for _ in range(3):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert len(screen.panes) == 4
        assert all("embassy" in pane.plain_text() for pane in screen.panes)
        assert not any(pane.highlights for pane in screen.panes)
        assert "analysing" in screen.query_one("#status").visual.plain  # type: ignore[attr-defined]
        release.set()
        await settle(pilot)
        assert all(pane.highlights for pane in screen.panes)
