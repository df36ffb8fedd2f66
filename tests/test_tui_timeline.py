"""The timeline in the UI: the pane under the compare panes, the full-screen timeline,
and the timeline section of the JSON export (Pilot on the analysed seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.analysis.timeline import TimelineEntry
from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.timeline import TimelineScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.timeline_pane import TimelinePane, short_outlet
from tests.tui_helpers import app_for, open_story, settle


def relocation_row(pane: TimelinePane) -> int:
    for row, entry in enumerate(pane.visible_entries):
        relocation = any("relocat" in m.sentence for m in entry.mentions)
        if entry.date.label() == "2022-02-14" and relocation:
            return row
    raise AssertionError("no 2022-02-14 relocation entry")


def sentence_of(pane: ArticleView) -> str:
    assert pane.marked is not None
    return pane.article.text[pane.marked[0] : pane.marked[1]]


def border_text(pane: TimelinePane) -> str:
    return str(getattr(pane.border_title, "plain", pane.border_title))


async def test_selecting_an_entry_marks_its_sentence_in_every_pane(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query_one(TimelinePane)
        assert not pane.display
        await pilot.press("t")
        assert pane.display and pane.has_focus
        row = relocation_row(pane)
        entry: TimelineEntry = pane.visible_entries[row]
        assert len(entry.article_ids) == 4
        pane.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        panes = {p.article.id: p for p in screen.query(ArticleView)}
        for mention in entry.mentions:
            view = panes[mention.article_id]
            if mention == next(m for m in entry.mentions if m.article_id == mention.article_id):
                assert " ".join(mention.sentence.split()) in " ".join(sentence_of(view).split())
        assert isinstance(app.focused, ArticleView)
        assert app.focused.article.id == entry.article_ids[0]
        assert app.focused.on_page  # type: ignore[attr-defined]
        # panes that were off the page show their sentence once paged in
        await pilot.press("greater_than_sign")
        await pilot.pause()
        for view in screen.query(ArticleView):
            if view.on_page:  # type: ignore[attr-defined]
                assert view.is_offset_visible(view.marked[0])  # type: ignore[index]


async def test_outlet_and_entity_filters_change_the_rows(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        await pilot.press("t")
        pane = screen.query_one(TimelinePane)
        everything = list(pane.visible_entries)
        assert pane.row_count == len(everything) > 10
        await pilot.press("o")  # only pane 1
        first = screen.articles[0].id
        assert 0 < pane.row_count < len(everything)
        assert all(first in e.article_ids for e in pane.visible_entries)
        assert f"outlet: 1 {screen.articles[0].outlet}" in border_text(pane)
        for _ in range(len(screen.articles)):
            await pilot.press("o")
        assert pane.row_count == len(everything)  # back to all
        assert "outlet" not in border_text(pane)

        await pilot.press("i")  # no entity chosen yet: nothing changes
        assert pane.row_count == len(everything)
        blinken = next(e for e in screen.index.entities if "Blinken" in e.name)  # type: ignore[union-attr]
        screen.select_entity(blinken.id)
        await pilot.press("i")
        assert 0 < pane.row_count < len(everything)
        assert f"entity: {blinken.name}" in border_text(pane)
        assert all(any("Blinken" in m.sentence for m in e.mentions) for e in pane.visible_entries)
        await pilot.press("i")
        assert pane.row_count == len(everything)


async def test_toggle_and_resize(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.query_one(TimelinePane)
        await pilot.press("t")
        await pilot.pause()
        assert pane.display and pane.outer_size.height == 8
        await pilot.press("plus")
        await pilot.pause()
        assert pane.outer_size.height == 10
        for _ in range(10):
            await pilot.press("plus")
        await pilot.pause()
        assert pane.outer_size.height == 14  # 24 rows: the panes keep room
        for _ in range(10):
            await pilot.press("minus")
        await pilot.pause()
        assert pane.outer_size.height == 6
        await pilot.press("t")
        assert not pane.display
        assert isinstance(app.focused, ArticleView)


async def test_library_timeline_full_screen(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        pane = app.screen.query_one(TimelinePane)
        labels = [e.date.label() for e in pane.visible_entries]
        assert "2022-01-05" in labels and "2022-02-16" in labels
        badges = [str(pane.get_row_at(r)[1]) for r in range(pane.row_count)]
        assert any("WP" in b and "DW" in b for b in badges)  # short outlet names
        # the detail area shows the sentences of the entry under the cursor
        pane.move_cursor(row=relocation_row(pane))
        await pilot.pause()
        detail = app.screen.query_one("#timeline-detail").visual.plain  # type: ignore[attr-defined]
        assert "relocat" in detail and "RFE/RL:" in detail
        await pilot.press("o")
        assert pane.row_count < len(labels)
        await pilot.press("i")
        assert "entity:" in border_text(pane)
        await pilot.press("escape")
        assert not isinstance(app.screen, TimelineScreen)


async def test_enter_in_full_screen_timeline_opens_the_entry_compared(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        pane = app.screen.query_one(TimelinePane)
        row = relocation_row(pane)
        entry = pane.visible_entries[row]
        pane.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.article_ids == list(entry.article_ids)
        marked = [p for p in app.screen.query(ArticleView) if p.marked is not None]
        assert len(marked) == len(entry.article_ids)


@pytest.mark.parametrize(
    ("outlet", "short"),
    [
        ("DW", "DW"),
        ("RFE/RL", "RFE/RL"),
        ("The Washington Post", "WP"),
        ("AFP via French-language outlet", "AFP"),
    ],
)
def test_short_outlet(outlet: str, short: str) -> None:
    assert short_outlet(outlet) == short


async def test_timeline_pane_keys_headers_and_off_page_panes(analysed_db: Path) -> None:
    """Issue 20, item 10: j/k move the timeline's cursor (not the article behind it); the
    badge column says "Panes"; an entry in panes 2 and 4 at 80 columns says where the
    other one is and f goes there; T opens the full-screen timeline at the entry."""
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        await pilot.press("t")
        pane = screen.query_one(TimelinePane)
        article = screen.panes[0]
        assert str(pane.columns["outlets"].label) == "Panes"
        scroll_before = article.scroll_y
        await pilot.press("j", "j")
        assert pane.cursor_row == 2 and article.scroll_y == scroll_before
        await pilot.press("k")
        assert pane.cursor_row == 1
        ids = [p.article.id for p in screen.panes]
        row = next(
            (
                n
                for n, e in enumerate(pane.visible_entries)
                if ids[1] in e.article_ids
                and ids[3] in e.article_ids
                and ids[0] not in e.article_ids
            ),
            None,
        ) or next(n for n, e in enumerate(pane.visible_entries) if ids[3] in e.article_ids)
        entry = pane.visible_entries[row]
        pane.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        status = screen.query_one("#status").visual.plain  # type: ignore[attr-defined]
        first = next(i for i, p in enumerate(screen.panes) if p.article.id == entry.article_ids[0])
        assert screen.panes[first].marked is not None and screen.panes[first].on_page
        if not screen.panes[3].on_page:
            assert "also in pane" in status and "4" in status and "f goes there" in status
            for _ in range(len(entry.article_ids)):
                if screen.panes[3].on_page:
                    break
                await pilot.press("f")
                await pilot.pause()
            assert screen.panes[3].on_page and screen.panes[3].marked is not None
        pane.focus()
        pane.move_cursor(row=row)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen.query_one(TimelinePane).current_entry() == entry


def test_timeline_pane_snapshot(snap_compare, analysed_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_story(pilot, pilot.app)
        await pilot.press("t")
        await pilot.pause()
        pane = pilot.app.screen.query_one(TimelinePane)
        pane.move_cursor(row=relocation_row(pane))
        await pilot.pause()

    assert snap_compare(
        app_for(analysed_db, theme="parallax-dark"), terminal_size=(80, 24), run_before=run_before
    )


def test_export_json_has_the_timeline(
    analysed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    assert main(["export", "--format", "json", "--db", str(analysed_db)]) in (0, None)
    data = json.loads(capsys.readouterr().out)
    timeline = data["timeline"]
    assert timeline
    for item in timeline:
        assert set(item) == {"date", "granularity", "title", "mentions"}
        for m in item["mentions"]:
            assert set(m) == {"article_id", "sentence", "expression"}
    relocation = [
        t
        for t in timeline
        if t["date"] == "2022-02-14" and any("relocat" in m["sentence"] for m in t["mentions"])
    ]
    assert relocation and len({m["article_id"] for m in relocation[0]["mentions"]}) >= 3
