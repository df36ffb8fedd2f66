"""The library, reader and help screens, driven with the keyboard (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from tests.tui_helpers import app_for, screen_text, settle

OUTLETS = ["DW", "JEN", "RFE/RL", "The Washington Post", "AFP via French-language outlet"]


async def test_library_lists_stories_and_five_outlets(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = screen_text(app)
        for outlet in OUTLETS:
            assert outlet in text
        assert text.count("▸ story") == 2
        assert "5 articles in 2 stories" in text


async def test_open_article_shows_brackets_literally(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#library", DataTable)
        row = table.get_row_index(
            next(
                k
                for k in table.rows
                if "article:" in str(k.value) and "Washington" in str(table.get_row(k)[1])
            )
        )
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.query_one(ArticleView)
        shown = view.plain_text()
        assert "we have taken note of [Lavrov’s] comments" in shown
        await pilot.press("c")  # from the reader: its story side by side
        await settle(pilot)
        from reader.tui.screens.compare import CompareScreen

        assert isinstance(app.screen, CompareScreen)
        outlets = {p.article.outlet for p in app.screen.query(ArticleView)}
        assert outlets == {"DW", "JEN", "RFE/RL", "The Washington Post"}
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_search_with_slash(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press(*"Shoigu", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "1 article matches “Shoigu”" in text and "The Washington Post" in text
        assert "JEN" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert "5 articles in 2 stories" in screen_text(app)


async def test_pick_articles_then_compare_them(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "space")  # pick the first two articles of the story
        assert len(app.screen.picked) == 2  # type: ignore[attr-defined]
        await pilot.press("c")
        await settle(pilot)
        panes = app.screen.query(ArticleView)
        assert [p.article.outlet for p in panes] == ["DW", "JEN"]


async def test_help_lists_every_key_of_the_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in LibraryScreen.BINDINGS:
            assert binding.description in text  # type: ignore[union-attr]
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_palette_has_an_entry_for_every_key(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for binding in LibraryScreen.BINDINGS:
            assert f"library: {binding.description.lower()}" in titles  # type: ignore[union-attr]
        assert "app: help" in titles and "theme: solarized" in titles


async def test_more_row_pages_through_a_large_library(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from reader.models import NewArticle, Story
    from reader.store import Store

    db = tmp_path / "big.db"
    store = Store(db)
    added = store.add_articles(
        (
            NewArticle(
                outlet=f"Outlet {i}",
                title=f"Event number {i}",
                text=f"Report {i} on event {i}.",
                published=date(2021, 1, 1) + timedelta(days=i),
                origin=f"gen-{i}",
            ),
            None,
        )
        for i in range(45)
    )
    store.replace_stories([Story(f"s-{a.id}", a.title, (a.id,)) for a, _ in added])
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#library", DataTable)
        stories = lambda: sum(1 for k in table.rows if str(k.value).startswith("story:s-"))  # noqa: E731
        assert stories() == 20 and "more:" in [k.value for k in table.rows]
        assert "showing the newest 20 stories" in screen_text(app)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert stories() == 40


async def test_counts_read_in_the_singular_when_there_is_one(tmp_path: Path) -> None:
    """Issue 20, item 11: the one-article story reads "(1 article, 1 outlet, 1 unread)"."""
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "(1 article, 1 outlet, 1 unread)" in text
        assert "(4 articles, 4 outlets, 4 unread)" in text
        assert "1 articles" not in text and "1 outlets" not in text


def test_wording_counts() -> None:
    from reader.wording import count

    assert [count(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert count(1, "story") == "1 story" and count(3, "story") == "3 stories"
    assert count(1, "match") == "1 match" and count(2, "match") == "2 matches"
    assert count(2, "entry") == "2 entries" and count(1, "quote") == "1 quote"


async def test_the_library_shows_articles_another_process_stored(tmp_path: Path) -> None:
    """Issue 20, item 6: with the app open, articles stored through another connection
    (``parallax fetch`` or ``import`` in another shell) appear in the library once the
    app's change poll runs (called here directly instead of waiting for its timer)."""
    from datetime import date

    from reader.models import NewArticle
    from reader.store import Store

    db = tmp_path / "db"
    app = app_for(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "Talks resume in Geneva" not in screen_text(app)
        other = Store(db)  # its own connection, as another process has
        other.add_article(
            NewArticle(
                outlet="Example Times",
                title="Talks resume in Geneva",
                text="Diplomats met again on Tuesday in Geneva, officials said.",
                published=date(2022, 2, 20),
                origin="elsewhere",
            )
        )
        other.close()
        app._poll_for_changes()
        await settle(pilot)
        assert "Talks resume in Geneva" in screen_text(app)
        assert "6 articles" in screen_text(app)
        app._poll_for_changes()  # nothing new: no reload
        await settle(pilot)


def _table_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#library", DataTable)
    return ["".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)]


async def test_story_rows_keep_their_counts_and_the_outlet_column_widens(
    tmp_path: Path,
) -> None:
    """Issue 20, item 12: at 80 columns a story row is cut in its title (with "…"), never
    in its counts; at 160 the outlet column is wider than at 80."""
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = _table_lines(app)
        story = next(line for line in lines if "(4 articles" in line)
        assert "(4 articles, 4 unread)" in story and "Ukraine latest: US…" in story
        narrow = app.screen.query_one("#library", DataTable).columns["outlet"].width
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        wide = app.screen.query_one("#library", DataTable).columns["outlet"].width
        assert wide > narrow
        lines = _table_lines(app)
        assert any("AFP via French-languag" in line for line in lines)
        story = next(line for line in lines if "(4 articles" in line)
        assert "Ukraine latest: US relocating embassy from Kyiv  (4 articles" in story


async def test_the_footer_is_one_widget_and_a_click_runs_its_key(tmp_path: Path) -> None:
    """Issue 20: the key line is drawn by one widget (Textual's Footer mounted a widget
    per key: ~25 ms of the ~80 ms of CPU of opening the library); a click on a key
    runs it, as on Textual's."""
    from textual.widgets._footer import FooterKey

    from reader.tui.widgets.key_footer import KeyFooter

    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        assert not footer.children and not app.screen.query(FooterKey)
        line = footer.render_line(0).text
        assert len(line) == 80 and line.startswith(" c Compare  space Pick  / Filter "), line
        assert line.endswith("▏^p palette "), line
        await pilot.click(KeyFooter, offset=(line.index(" / Filter") + 1, 0))
        await settle(pilot)
        assert app.screen.query_one("#search", Input).has_focus


async def test_the_first_theme_is_styled_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 17: the theme is chosen before the stylesheet is first parsed
    (set at mount, Textual re-parsed every stylesheet and restyled every widget)."""
    from textual.color import Color
    from textual.css.stylesheet import Stylesheet

    reparsed: list[int] = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), reparse(self))[1])
    app = app_for(tmp_path / "db", theme="parallax-light")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "parallax-light" and not reparsed
        assert app.has_class("-theme-parallax-light", "-light-mode")
        assert not app.has_class("-dark-mode")
        theme = app.get_theme("parallax-light")
        assert app.screen.styles.background == Color.parse(theme.background)
        await pilot.press("ctrl+t")  # a later change of theme goes through Textual
        await settle(pilot)
        assert app.theme != "parallax-light" and reparsed


def _library_of(path: Path, n: int) -> Path:
    """``n`` dated articles, grouped two by two into stories (written directly)."""
    from datetime import date, timedelta

    from reader.models import NewArticle, Story
    from reader.store import Store

    store = Store(path)
    added = store.add_articles(
        (
            NewArticle(
                outlet=("DW", "JEN")[i % 2],
                title=f"Item {i}",
                text=f"Text {i} about talks.",
                published=date(2020, 1, 1) + timedelta(days=i // 3),
                origin=f"gen:{i}",
            ),
            None,
        )
        for i in range(n)
    )
    ids = [a.id for a, _ in added]
    store.replace_stories(
        [Story(f"s{i}", f"Story {i}", (ids[i], ids[i + 1])) for i in range(0, n - 1, 2)]
    )
    store.close()
    return path


async def _open_steps(db: Path) -> int:
    """SQLite VM steps on the UI thread's connection while the library screen opens."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.store.conn.set_progress_handler(count, 100)
        screen = LibraryScreen()
        await app.push_screen(screen)
        assert screen.query_one("#library", DataTable).row_count > 0
        app.store.conn.set_progress_handler(None, 0)
        await settle(pilot)
    return steps[0] * 100


async def test_opening_the_library_reads_no_more_in_a_larger_library(tmp_path: Path) -> None:
    """Issue 20, item 18: opening the library reads a page by index walks, on the UI
    thread, however large the library: the SQLite work does not grow with it."""
    small = await _open_steps(_library_of(tmp_path / "small.db", 300))
    large = await _open_steps(_library_of(tmp_path / "large.db", 6000))
    assert small > 0 and large < 1.5 * small, (small, large)


async def test_the_footer_shows_a_keys_tooltip_on_hover(tmp_path: Path) -> None:
    from reader.tui.screens.feeds import FeedsScreen
    from reader.tui.widgets.key_footer import KeyFooter

    app = app_for(tmp_path / "db")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(FeedsScreen())
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        line = footer.render_line(0).text
        await pilot.hover(KeyFooter, offset=(line.index(" r Refresh") + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "every feed"
