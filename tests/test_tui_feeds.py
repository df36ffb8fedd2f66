"""The feeds screen, driven with the keyboard (Pilot) against a local feed server.

Everything talks to a ``ThreadingHTTPServer`` on 127.0.0.1 (``tests/feedserver.py``);
nothing here touches the internet. The background analysis that a refresh starts
is replaced by a recorder (spaCy is not what these tests are about).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, ProgressBar, Static

from reader.tui.app import ParallaxApp
from reader.tui.dialogs import ConfirmDialog
from reader.tui.screens.feeds import (
    AddFeedDialog,
    FeedsScreen,
    TagsDialog,
)
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from tests.feedserver import FeedServer, article_page, feed_server, rss, stall
from tests.tui_helpers import app_for, screen_text, settle

__all__ = ["feed_server"]  # fixture, imported for pytest

pytestmark = pytest.mark.network

STORY = [
    "The harbour authority of Lowmoor said on Tuesday that the old grain pier would close "
    "for repairs after a storm damaged its pilings.",
    "Engineers expect the work to take six weeks; ferries will use the east quay meanwhile.",
]


def feeds_table(app: ParallaxApp) -> DataTable:
    return app.screen.query_one("#feeds", DataTable)


def rows(app: ParallaxApp) -> list[list[str]]:
    table = feeds_table(app)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def serve_good_feed(server: FeedServer) -> str:
    server.add("/lowmoor/pier.html", article_page("Grain pier to close for repairs", STORY))
    items = [
        {
            "title": "Grain pier to close for repairs",
            "link": server.url("/lowmoor/pier.html"),
            "guid": "lowmoor-pier",
            "pubDate": "Tue, 15 Feb 2022 09:00:00 GMT",
            "description": STORY[0],
        }
    ]
    return server.add(
        "/lowmoor/rss.xml", rss("Lowmoor Gazette", items), content_type="application/rss+xml"
    )


def recording_analysis(app: ParallaxApp) -> list[int]:
    calls: list[int] = []
    app.analyse_library = lambda: calls.append(1)  # type: ignore[method-assign]
    return calls


async def paste(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste into the focused input: long URLs and paths, without a key press a character."""
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


async def open_feeds(pilot, app: ParallaxApp) -> FeedsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(app.screen, LibraryScreen)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(app.screen, FeedsScreen)
    return app.screen


async def test_add_feed_through_the_dialog(tmp_path: Path, feed_server: FeedServer) -> None:
    url = serve_good_feed(feed_server)
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        assert "no feeds yet: press a to add one" in screen_text(app)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedDialog)
        await pilot.press(*"http:")  # typed, then the rest pasted
        await paste(pilot, url.removeprefix("http:"))
        await pilot.press("tab", *"Lowmoor", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert [r[:3] for r in rows(app)] == [["Lowmoor", url, "new"]]
        assert [f.url for f in app.store.feeds()] == [url]


async def test_bad_url_shows_one_line_error_in_dialog(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("a", *"ftp://[x]/feed", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AddFeedDialog)
        error = app.screen.query_one("#dialog-error", Static)
        assert error.display
        shown = error.visual.plain  # type: ignore[union-attr]
        assert "\n" not in shown and "ftp" in shown and "[x]" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert app.store.feeds() == []


async def test_refresh_fetches_feeds_and_shows_failures(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    good = serve_good_feed(feed_server)
    broken = feed_server.url("/gone/rss.xml")  # nothing there: 404
    app = app_for(tmp_path / "db")
    app.store.add_feed(good, "Lowmoor Gazette")
    app.store.add_feed(broken, "Gone [b]Daily[/b]")
    before = app.store.count_articles()
    calls = recording_analysis(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        bar = screen.query_one("#feeds-progress", ProgressBar)
        assert bar.display and bar.total == 2 and bar.progress == 2
        table = {r[0]: r for r in rows(app)}
        assert table["Lowmoor Gazette"][2] == "ok" and table["Lowmoor Gazette"][4] == "1"
        assert table["Gone [b]Daily[/b]"][2] == "failed"
        assert "404" in table["Gone [b]Daily[/b]"][3]
        assert app.store.count_articles() == before + 1
        assert any(a.title == "Grain pier to close for repairs" for a in app.store.all_articles())
        assert calls == [1]
        assert "1 new article from 2 feeds; 1 failed" in screen_text(app)


async def test_refresh_on_open_and_leaving_while_it_runs(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    good = serve_good_feed(feed_server)
    feed_server.add("/lowmoor/pier.html", handler=stall(3.0))  # a slow page: still running
    app = app_for(tmp_path / "db")
    app.store.add_feed(good, "Lowmoor Gazette")
    calls = recording_analysis(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # the library's key: opens the feeds screen, refreshing
        await pilot.pause(0.2)
        assert isinstance(app.screen, FeedsScreen)
        assert app.refresh_running
        await pilot.press("escape")  # back to reading while the refresh goes on
        assert isinstance(app.screen, LibraryScreen)
        assert app.refresh_running
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert calls == [1]
        assert app.store.feeds()[0].last_status == "ok"
        assert any("1 new article from 1 feed" in str(n.message) for n in app._notifications)
        await pilot.press("f")  # back on the feeds screen: the outcome is in the table
        await settle(pilot)
        assert rows(app)[0][2:] == ["ok", "", "1", "1"]  # status, error, articles, unread


async def test_refresh_with_no_feeds_says_so(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("r")
        await settle(pilot)
        assert not app.screen.query_one("#feeds-progress", ProgressBar).display
        assert any("no feeds yet" in str(n.message) for n in app._notifications)
        assert not [w for w in app.workers if w.group == "fetch"]


async def test_remove_with_confirm(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    app.store.add_feed("http://127.0.0.1:9/a.xml", "Alpha")
    app.store.add_feed("http://127.0.0.1:9/b.xml", "Beta")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("j", "x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(app.store.feeds()) == 2
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Beta" in app.screen.query_one("#confirm-question", Static).visual.plain  # type: ignore[union-attr]
        await pilot.press("y")
        await settle(pilot)
        assert [f.name for f in app.store.feeds()] == ["Alpha"]
        assert [r[0] for r in rows(app)] == ["Alpha"]


async def test_tags_dialog_sets_a_feeds_tags(tmp_path: Path) -> None:
    """t on a feed: its tags, comma-separated, in order (the first is its OPML folder)."""
    app = app_for(tmp_path / "db")
    feed, _ = app.store.add_feed("http://127.0.0.1:9/a.xml", "Alpha")
    app.store.tag_feed(feed.id, ["old"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("t")
        assert isinstance(app.screen, TagsDialog)
        field = app.screen.query_one("#feed-tags", Input)
        assert field.value == "old"
        field.value = ""
        await pilot.press(*"World, europe,, [b]x[/b], world", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert app.store.get_feed(feed.id).tags == ("World", "europe", "[b]x[/b]")  # type: ignore[union-attr]
        assert "Alpha: tags World, europe, [b]x[/b]" in screen_text(app)  # literal, no markup
        await pilot.press("t")
        app.screen.query_one("#feed-tags", Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.get_feed(feed.id).tags == ()  # type: ignore[union-attr]
        await pilot.press("t", "escape")  # esc changes nothing
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)


async def test_opml_export_then_import(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    app.store.add_feed("http://127.0.0.1:9/a.xml", "Alpha")
    out = tmp_path / "subs.opml"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("o")
        field = app.screen.query_one("#opml-out", Input)
        assert field.value == "~/parallax-feeds.opml"
        field.value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert "http://127.0.0.1:9/a.xml" in out.read_text(encoding="utf-8")
        bad = tmp_path / "bad.opml"
        bad.write_text("<html>not opml</html>", encoding="utf-8")
        await pilot.press("i")
        await paste(pilot, str(bad))
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#dialog-error", Static)
        assert "not an OPML file" in error.visual.plain  # type: ignore[union-attr]
        app.screen.query_one("#opml-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        assert len(app.store.feeds()) == 1  # already subscribed: nothing doubled


async def test_help_lists_the_feeds_keys(tmp_path: Path) -> None:
    app = app_for(tmp_path / "db")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-keys", Static).visual.plain  # type: ignore[union-attr]
        for key, description in [
            ("a", "Add feed"),
            ("x/del", "Remove"),
            ("r", "Refresh"),
            ("i", "Import OPML"),
            ("o", "Export OPML"),
            ("esc", "Back"),
        ]:
            assert any(
                line.split() and line.strip().startswith(key) and description in line
                for line in text.splitlines()
            ), (key, description)


# -- issue 16: cancelling, quitting and rate limits --------------------------------------


def hanging_route(server: FeedServer, path: str):  # type: ignore[no-untyped-def]
    """A route that answers nothing until ``release`` is set (or 20 s pass); ``asked``
    is set once a request arrived."""
    import threading

    from tests.feedserver import Route

    asked, release = threading.Event(), threading.Event()

    def hang(req) -> None:  # type: ignore[no-untyped-def]
        asked.set()
        release.wait(20)
        req.close_connection = True

    server.routes[path] = Route(handler=hang)
    return asked, release


async def test_c_cancels_the_refresh_and_keeps_what_was_stored(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    good = serve_good_feed(feed_server)
    asked, release = hanging_route(feed_server, "/hang.xml")
    app = app_for(tmp_path / "db")
    app.store.add_feed(good, "Lowmoor Gazette")
    app.store.add_feed(feed_server.url("/hang.xml"), "Hanging Herald")
    recording_analysis(app)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_feeds(pilot, app)
            await pilot.press("r")
            while not asked.is_set() or app.store.feeds()[0].last_status != "ok":
                await pilot.pause(0.05)
            await pilot.press("c")
            await settle(pilot)  # returns: the hanging request was stopped
            still_hanging = not release.is_set()
            assert still_hanging and not app.refresh_running
            text = screen_text(app)
            assert "refresh cancelled: 1 new article from 2 feeds; 1 not refreshed" in text
            feeds = {f.name: f for f in app.store.feeds()}
            assert feeds["Lowmoor Gazette"].article_count == 1  # kept
            assert feeds["Hanging Herald"].last_status is None  # left as it was
            await pilot.press("c")  # nothing to cancel now
            await pilot.pause()
            assert any("no refresh is running" in str(n.message) for n in app._notifications)
    finally:
        release.set()


async def test_q_quits_at_once_during_a_refresh(tmp_path: Path, feed_server: FeedServer) -> None:
    asked, release = hanging_route(feed_server, "/hang.xml")
    app = app_for(tmp_path / "db")
    app.store.add_feed(feed_server.url("/hang.xml"), "Hanging Herald")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_feeds(pilot, app)
            await pilot.press("r")
            while not asked.is_set():
                await pilot.pause(0.05)
            await pilot.press("q")
        # the app has exited, its refresh worker with it, while the server still hangs
        assert not release.is_set()
        assert app.store.feeds()[0].last_status is None
    finally:
        release.set()


async def test_rate_limited_feed_says_until_when(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    app = app_for(tmp_path / "db")
    feed, _ = app.store.add_feed("http://127.0.0.1:9/busy.xml", "Busy Bulletin")
    until = datetime.now(UTC) + timedelta(minutes=90)
    app.store.update_feed_state(
        feed.id,
        status="error",
        error="HTTP 429 Too Many Requests",
        retry_after=until.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    async with app.run_test(size=(100, 24)) as pilot:
        await open_feeds(pilot, app)
        [row] = rows(app)
        shown = until.astimezone().strftime("%H:%M")
        assert row[2] == "waiting" and row[3].startswith("rate-limited until ")
        assert shown in row[3] or until.astimezone().strftime("%Y-%m-%d %H:%M") in row[3]
        assert "Busy Bulletin: rate-limited until" in screen_text(app)
        assert "HTTP 429 Too Many Requests" in screen_text(app)


async def test_a_feed_added_without_a_name_takes_its_title_and_n_renames_it(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """Issue 20, item 7: a feed added without --name is named by its own title after a
    refresh (it kept its URL forever); `n` renames it, its articles' outlet too; OPML
    export carries the name."""
    from reader.ingest.opml import export_opml
    from reader.tui.screens.feeds import RenameDialog

    url = serve_good_feed(feed_server)
    app = app_for(tmp_path / "db")
    feed, _ = app.store.add_feed(url, "")
    assert app.store.get_feed(feed.id).name == url  # type: ignore[union-attr]
    async with app.run_test(size=(100, 24)) as pilot:
        await open_feeds(pilot, app)
        await pilot.press("r")
        await settle(pilot)
        for _ in range(50):
            if not app.refresh_running:
                break
            await pilot.pause(0.1)
        await settle(pilot)
        assert app.store.get_feed(feed.id).name == "Lowmoor Gazette"  # type: ignore[union-attr]
        await pilot.press("n")
        assert isinstance(app.screen, RenameDialog)
        field = app.screen.query_one("#feed-name", Input)
        assert field.value == "Lowmoor Gazette"
        field.value = ""
        await pilot.press(*"The [b]Gazette[/b]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        renamed = app.store.get_feed(feed.id)
        assert renamed is not None and renamed.name == "The [b]Gazette[/b]"
        assert "The [b]Gazette[/b] | " in screen_text(app)  # literal, no markup
        outlets = {a.outlet for a in app.store.all_articles() if a.feed_id == feed.id}
        assert outlets == {"The [b]Gazette[/b]"}
        assert 'title="The [b]Gazette[/b]"' in export_opml(app.store.feeds())


def test_cli_feeds_rename(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    db = str(tmp_path / "db")
    assert main(["feeds", "add", "http://127.0.0.1:9/a.xml", "--db", db]) == 0
    capsys.readouterr()
    assert main(["feeds", "rename", "http://127.0.0.1:9/a.xml", "Alpha Times", "--db", db]) == 0
    assert "-> Alpha Times" in capsys.readouterr().out
    assert main(["feeds", "rename", "Alpha Times", "  ", "--db", db]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty" in err
