"""A refresh of many feeds from the feeds screen parses in a child process (as the
command line does), inside Textual's worker with its captured output, and loses
nothing when that child cannot start."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.ingest.feeds.child as feeds_mod
from reader.ingest.feeds.child import PARSE_CHILD_MIN_FEEDS, ParseChild
from reader.tui.app import ParallaxApp
from reader.tui.screens.feeds import FeedsScreen
from reader.tui.screens.library import LibraryScreen
from tests.feedserver import FeedServer, feed_server, rss
from tests.test_feeds_child import children, patient
from tests.tui_helpers import app_for, screen_text, settle

__all__ = ["children", "feed_server", "patient"]  # fixtures, imported for pytest

pytestmark = pytest.mark.network

FEEDS = PARSE_CHILD_MIN_FEEDS + 2


def serve_feeds(server: FeedServer) -> list[str]:
    urls = []
    for f in range(FEEDS):
        items = [  # no links: nothing but the feeds to download
            {
                "title": f"Harbour notice {f}.{i}",
                "guid": f"harbour-{f}-{i}",
                "pubDate": "Tue, 15 Feb 2022 09:00:00 GMT",
                "description": f"<p>Notice {i} of outlet {f}: the east quay closes.</p>",
            }
            for i in range(3)
        ]
        urls.append(server.add(f"/o{f}/rss.xml", rss(f"Outlet {f}", items)))
    return urls


async def refresh(app: ParallaxApp) -> str:
    app.analyse_library = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press("r")
        await settle(pilot)
        return screen_text(app)


@pytest.mark.parametrize("child_starts", [True, False])
async def test_refresh_many_feeds_from_the_feeds_screen(
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    children: list[ParseChild],
    patient: None,  # feeds wait for the child to be ready: this refresh is short
    child_starts: bool,
) -> None:
    if not child_starts:
        monkeypatch.setattr(feeds_mod.sys, "executable", str(tmp_path / "no-python"))
    app = app_for(tmp_path / "db")
    for n, url in enumerate(serve_feeds(feed_server)):
        app.store.add_feed(url, f"Outlet {n}")
    before = app.store.count_articles()
    text = await refresh(app)
    assert f"{FEEDS * 3} new articles from {FEEDS} feeds" in text
    assert app.store.count_articles() == before + FEEDS * 3
    assert {f.last_status for f in app.store.feeds()} == {"ok"}
    (child,) = children
    if child_starts:
        assert child.parsed > 0 and child._proc is not None
        assert child._proc.poll() is not None  # gone, and reaped
    else:
        assert child.broken and child.parsed == 0
