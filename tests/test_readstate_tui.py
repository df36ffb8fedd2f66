"""Reading state, saved items, tags, filters, open and copy in the interface (Pilot, 80x24)."""

from __future__ import annotations

import webbrowser
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from reader.ingest.seeds import import_seeds
from reader.models import NewArticle
from reader.store import Store
from reader.tui.app import make_app
from reader.tui.open_url import NO_BROWSER, NO_URL, browser_available
from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from tests.tui_helpers import app_for, screen_text, settle

URL = "https://example.org/news/[b]bold[/b]?a=1&b=2"


def library_with_feed(tmp_path: Path) -> tuple[Path, str]:
    """The seeds plus one tagged feed article with a URL (markup-looking on purpose)."""
    db = tmp_path / "db"
    store = Store(db)
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    store.tag_feed(feed.id, ["world"])
    article, _ = store.add_article(
        NewArticle(
            outlet="Example News",
            title="Harbour reopens after the storm",
            text="The harbour reopened on Monday after the storm damaged two piers.",
            published=date(2022, 3, 1),
            origin=URL,
            url=URL,
            feed_id=feed.id,
            guid="1",
        )
    )
    store.close()
    return db, article.id


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def move_to(app, key: str) -> None:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#library", DataTable)
    table.move_cursor(row=table.get_row_index(key))


def state_cell(app, aid: str) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#library", DataTable)
    return str(table.get_cell(f"article:{aid}", "pick"))


def first_story(app):  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return max(screen.stories, key=lambda s: len(s.article_ids))


async def test_m_toggles_read_and_story_rows_need_M(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = first_story(app)
        aid = story.article_ids[0]
        move_to(app, f"story:{story.id}")
        await pilot.press("m")
        assert "M marks all of it read" in notes(app)[-1]
        assert not app.store.is_read(aid)
        move_to(app, f"article:{aid}")
        assert state_cell(app, aid) == "•"
        await pilot.press("m")
        assert app.store.is_read(aid) and state_cell(app, aid) == " "
        assert "3 unread)" in screen_text(app)
        await pilot.press("m")
        assert not app.store.is_read(aid) and state_cell(app, aid) == "•"


async def test_M_marks_a_story_read_and_u_undoes_only_its_changes(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = first_story(app)
        already = story.article_ids[1]
        app.store.set_read([already])  # read before the mark-all
        move_to(app, f"story:{story.id}")
        await pilot.press("M")
        assert notes(app)[-1] == "Marked 3 read — u to undo"
        assert all(app.store.is_read(a) for a in story.article_ids)
        assert "all read)" in screen_text(app)
        await pilot.press("u")
        assert notes(app)[-1] == "Marked 3 unread again"
        assert app.store.is_read(already)  # stays read
        assert [app.store.is_read(a) for a in story.article_ids].count(True) == 1
        assert state_cell(app, story.article_ids[0]) == "•"
        await pilot.press("u")
        assert notes(app)[-1] == "Nothing to undo"


async def test_s_saves_articles_and_stories_and_S_lists_them(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        story = first_story(app)
        aid = story.article_ids[2]
        move_to(app, f"article:{aid}")
        await pilot.press("s")
        assert state_cell(app, aid) == "★"
        move_to(app, f"story:{story.id}")
        await pilot.press("s")
        assert "Saved the comparison" in notes(app)[-1]
        await pilot.press("S")
        await settle(pilot)
        text = screen_text(app)
        assert "★ compare" in text and "saved: 1 comparison, 1 article" in text
        [comparison] = app.store.saved_comparisons()
        move_to(app, f"saved:{comparison.id}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.article_ids == list(story.article_ids)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        move_to(app, f"saved:{comparison.id}")
        await pilot.press("s")  # unsave the comparison
        await settle(pilot)
        assert app.store.saved_comparisons() == []
        await pilot.press("escape")  # back to the stories
        await settle(pilot)
        assert "articles in 2 stories" in screen_text(app)


async def test_g_groups_by_tag_with_unread_counts(tmp_path: Path) -> None:
    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        text = screen_text(app)
        assert "world  (1 article, 1 unread)" in text
        assert "untagged  (5 articles, 5 unread)" in text
        table = app.screen.query_one("#library", DataTable)
        assert f"article:world:{aid}" in [k.value for k in table.rows]
        move_to(app, f"article:world:{aid}")
        await pilot.press("m")
        await settle(pilot)
        assert app.store.is_read(aid)
        assert "world  (1 article, 0 unread)" in screen_text(app)
        move_to(app, "tag:world")
        await pilot.press("enter")  # the tag as a filter
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == 'tag:"world"'
        assert "1 article matches" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "under 2 tags" in screen_text(app)  # back to the tag grouping
        await pilot.press("g")
        await settle(pilot)
        assert "articles in" in screen_text(app) and "stories" in screen_text(app)


async def test_M_on_a_tag_row_marks_the_tag_read_and_u_undoes_it(tmp_path: Path) -> None:
    db, aid = library_with_feed(tmp_path)
    store = Store(db)
    import_seeds(store)
    seed_id = next(a.id for a in store.all_articles() if a.id != aid)
    store.set_read([seed_id], True)  # read before: the undo must leave it read
    store.close()
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        move_to(app, "tag:")
        await pilot.press("M")
        await settle(pilot)
        assert "Marked 4 read under untagged — u to undo" in notes(app)
        assert "untagged  (5 articles, 0 unread)" in screen_text(app)
        assert "world  (1 article, 1 unread)" in screen_text(app)  # another tag: untouched
        assert not app.store.is_read(aid)
        await pilot.press("u")
        await settle(pilot)
        assert "untagged  (5 articles, 4 unread)" in screen_text(app)
        assert app.store.is_read(seed_id)
        move_to(app, "tag:world")
        await pilot.press("M")
        await settle(pilot)
        assert app.store.is_read(aid)
        await pilot.press("M")
        await settle(pilot)
        assert "Nothing unread under world" in notes(app)


async def test_filter_line(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"outlet:dw unread", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "1 article matches “outlet:dw unread”" in text
        table = app.screen.query_one("#library", DataTable)
        assert table.row_count == 1 and "DW" in str(table.get_row_at(0)[1])
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        search.value = ""
        await pilot.press(*"colour:red NEAR(", "enter")
        await settle(pilot)
        error = app.screen.query_one("#filter-error", Static)
        assert error.display and "unknown filter 'colour:'" in str(error.visual)
        assert search.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert not search.display and "5 articles in 2 stories" in screen_text(app)


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    return opened


async def test_o_without_a_browser_copies(tmp_path: Path, no_browser: list[str]) -> None:
    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        move_to(app, f"article:{aid}")
        await pilot.press("o")
        await settle(pilot)
        assert no_browser == [] and app.clipboard == URL
        assert notes(app)[-1] == NO_BROWSER


async def test_o_with_a_browser_opens_in_a_worker(
    tmp_path: Path, no_browser: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER", "firefox")
    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        move_to(app, f"article:{aid}")
        await pilot.press("o")
        await settle(pilot)
        assert no_browser == [URL]
        assert notes(app)[-1] == f"Opening {URL}"  # shown literally, not as markup


async def test_y_copies_and_seeds_have_no_url(tmp_path: Path) -> None:
    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        move_to(app, f"article:{aid}")
        await pilot.press("y")
        assert app.clipboard == URL and notes(app)[-1] == f"Copied {URL}"
        story = first_story(app)
        move_to(app, f"article:{story.article_ids[0]}")
        await pilot.press("y")
        assert notes(app)[-1] == NO_URL
        await pilot.press("o")
        assert notes(app)[-1] == NO_URL


def test_browser_available_rules() -> None:
    assert browser_available({"BROWSER": "w3m", "SSH_CONNECTION": "x"}, "linux")
    assert not browser_available({"SSH_CONNECTION": "x", "DISPLAY": ":0"}, "linux")
    assert not browser_available({}, "linux")
    assert browser_available({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert browser_available({}, "darwin")


async def test_reader_marks_read_and_has_the_keys(tmp_path: Path, no_browser: list[str]) -> None:
    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        move_to(app, f"article:{aid}")
        assert state_cell(app, aid) == "•"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.store.is_read(aid)
        await pilot.press("s")
        assert app.store.states([aid]) == {aid: (True, True)}
        await pilot.press("y")
        assert app.clipboard == URL
        await pilot.press("m")
        assert not app.store.is_read(aid)
        await pilot.press("m")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert state_cell(app, aid) == "★"  # the library shows what the reader did


async def test_opening_a_story_side_by_side_does_not_mark_it_read(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert not any(app.store.is_read(a) for a in app.screen.article_ids)  # type: ignore[attr-defined]


async def test_feeds_screen_unread_and_M_with_undo(tmp_path: Path) -> None:
    from reader.tui.screens.feeds import FeedsScreen

    db, aid = library_with_feed(tmp_path)
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        table = app.screen.query_one("#feeds", DataTable)
        assert str(table.get_cell("1", "unread")) == "1"
        assert "tags world" in screen_text(app)
        await pilot.press("M")
        await settle(pilot)
        assert notes(app)[-1] == "Marked 1 read — u to undo"
        assert str(table.get_cell("1", "unread")) == "0" and app.store.is_read(aid)
        await pilot.press("u")
        await settle(pilot)
        assert str(table.get_cell("1", "unread")) == "1" and not app.store.is_read(aid)
        await pilot.press("escape")
        await settle(pilot)
        assert state_cell(app, aid) == "•"


def old_read_feed_article(db: Path) -> str:
    """A feed whose URL refuses connections, with one article read long ago."""
    store = Store(db)
    feed, _ = store.add_feed("http://127.0.0.1:9/feed.xml", "Closed port")
    article, _ = store.add_article(
        NewArticle("Closed port", "Old item", "An item read long ago.", date(2020, 1, 1),
                   "http://127.0.0.1:9/1", url="http://127.0.0.1:9/1", feed_id=feed.id,
                   guid="1")
    )  # fmt: skip
    store.set_read([article.id])
    store.conn.execute("UPDATE articles SET read_at = '2020-01-02T00:00:00Z'")
    store.close()
    return article.id


@pytest.mark.parametrize("keep", [0, 30])
async def test_a_refresh_in_the_app_prunes_only_when_set(tmp_path: Path, keep: int) -> None:
    from reader.config import Settings
    from tests.settings_file import write_settings

    settings = tmp_path / "config.toml"
    write_settings(Settings(keep_read_days=keep), settings)
    db = tmp_path / "db"
    aid = old_read_feed_article(db)
    app = make_app(db=db, analyse_on_start=False, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # refresh from the library
        for _ in range(100):
            await settle(pilot)
            if any("from 1 feed" in n for n in notes(app)):
                break
        assert any("1 failed" in n for n in notes(app))
        assert (app.store.get_article(aid) is None) == (keep > 0)


def test_fetch_prunes_when_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main
    from reader.config import Settings
    from tests.settings_file import write_settings

    db = tmp_path / "db"
    aid = old_read_feed_article(db)
    assert main(["fetch", "--no-analyze", "--db", str(db)]) == 1  # the one feed failed
    assert Store(db).get_article(aid) is not None  # keep_read_days = 0: nothing pruned
    write_settings(Settings(keep_read_days=30))
    assert main(["fetch", "--no-analyze", "--db", str(db)]) == 1
    assert "pruned 1 feed articles read more than 30 days ago" in capsys.readouterr().out
    assert Store(db).get_article(aid) is None
