"""The hostile corpus in the interface: a library built through the real fetch path
from the hostile server, opened with Pilot (library, reader, compare) and with the
real ``parallax`` in tmux (clipboard writes and window titles must not get through).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from reader.ingest.feeds.refresh import refresh_feeds
from reader.ingest.http import Limits
from reader.store import Store
from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from tests.feedserver import FeedServer
from tests.hostile import corpus
from tests.hostile.corpus import MARKUP_LITERALS
from tests.test_hostile import dirty
from tests.tui_helpers import app_for, screen_text, settle

pytestmark = pytest.mark.network

SHOWN = (
    "escapes-raw",
    "escapes-charrefs",
    "c1-controls",
    "charset-lie",
    "bidi-invisible",
    "markup",
    "title-1mb",
)
LIMITS = Limits(connect_timeout=5, read_timeout=3, deadline=10, max_bytes=10 * 1024 * 1024)


@pytest.fixture
def hostile_server() -> Iterator[tuple[FeedServer, corpus.HostileSite]]:
    server = FeedServer().start()
    try:
        yield server, corpus.install(server)
    finally:
        server.stop()


@pytest.fixture
def hostile_db(hostile_server: tuple[FeedServer, corpus.HostileSite], tmp_path: Path) -> Path:
    """The seeds plus the hostile feeds that store articles, through ``refresh_feeds``."""
    from reader.ingest.seeds import import_seeds

    _server, site = hostile_server
    db = tmp_path / "hostile-tui.db"
    store = Store(db)
    import_seeds(store)
    for case in site.cases:
        if case.name in SHOWN:
            store.add_feed(site.url(case), "")
    report = refresh_feeds(store, feed_limits=LIMITS, page_limits=LIMITS)
    assert not report.errors
    store.close()
    return db


def _pane_text(view: ArticleView) -> str:
    return view.plain_text()


def _article_ids(db: Path, guid_prefix: str) -> list[str]:
    store = Store(db)
    try:
        return sorted(
            (a.id for a in store.all_articles() if (a.guid or "").startswith(guid_prefix)),
            key=lambda aid: next(a.guid for a in store.all_articles() if a.id == aid) or "",
        )
    finally:
        store.close()


async def test_library_reader_and_compare_show_hostile_text_literally(hostile_db: Path) -> None:
    markup_ids = _article_ids(hostile_db, "markup-")
    assert len(markup_ids) == 2
    app = app_for(hostile_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        library = screen_text(app)
        assert "[@click=app.quit]" in library and "[/b] second" in library
        assert not dirty(library.replace("\n", " "))

        # The reader, on the article whose title, outlet and text are all markup.
        table = app.screen.query_one("#library", DataTable)
        table.move_cursor(row=table.get_row_index(f"article:{markup_ids[0]}"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.query_one(ArticleView)
        shown = _pane_text(view)
        for literal in MARKUP_LITERALS:
            assert literal in shown
        assert "[@click=app.quit]" in str(view.border_title)
        assert app.is_running and app.return_code is None  # "[@click=app.quit]" did nothing
        await pilot.press("escape")
        await settle(pilot)

        # Compare the two markup articles side by side.
        assert isinstance(app.screen, LibraryScreen)
        for aid in markup_ids:
            table.move_cursor(row=table.get_row_index(f"article:{aid}"))
            await pilot.press("space")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        panes = list(app.screen.query(ArticleView))
        assert len(panes) == 2
        texts = [_pane_text(p) for p in panes]
        assert all("[link=file:///etc/passwd]" in t for t in texts)
        assert any(t.count("[/b]") >= 2 for t in texts)
        svg = app.export_screenshot()
        assert "click=app.quit" in svg and "\x1b" not in svg
        assert app.is_running and app.return_code is None


async def test_every_hostile_article_opens_in_the_reader(hostile_db: Path) -> None:
    store = Store(hostile_db)
    hostile = [a for a in store.all_articles() if a.feed_id is not None]
    store.close()
    assert len(hostile) >= 20
    app = app_for(hostile_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for article in hostile:
            app.push_screen(ReaderScreen(article.id))
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            view = app.screen.query_one(ArticleView)
            assert view.article.id == article.id
            assert not dirty(_pane_text(view).replace("\n", " "))
            app.pop_screen()
            await pilot.pause()
        await settle(pilot)
        assert app.is_running and app.return_code is None


# -- the real terminal ------------------------------------------------------------------------

PARALLAX = str(Path(sys.executable).with_name("parallax"))


class Tmux:
    def __init__(self, env: dict[str, str], conf: Path) -> None:
        self.env = env
        self.conf = conf

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            check=check,
            env=self.env,
            timeout=30,
        )

    def screen(self, target: str = "hostile") -> str:
        return self.run("capture-pane", "-p", "-t", target).stdout

    def title(self, target: str = "hostile") -> str:
        return self.run("display", "-p", "-t", target, "#{pane_title}").stdout.strip()

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", "hostile", key)
            time.sleep(0.3)

    def search(self, words: str) -> str:
        self.keys("/")
        time.sleep(0.5)
        self.run("send-keys", "-t", "hostile", "-l", words)
        time.sleep(0.3)
        self.keys("Enter")
        return self.wait_for("match")

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def buffer(self) -> subprocess.CompletedProcess[str]:
        return self.run("show-buffer", check=False)


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_no_escape_reaches_the_terminal(
    hostile_server: tuple[FeedServer, corpus.HostileSite], tmp_path: Path
) -> None:
    _server, site = hostile_server
    db = tmp_path / "tmux.db"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARALLAX_DB": str(db),
        "PARALLAX_CONFIG_DIR": str(tmp_path / "config"),
        "TMUX_TMPDIR": str(tmp_path),
    }
    env.pop("TMUX", None)
    # The library, built by the real `parallax fetch` from the hostile server.
    store = Store(db)
    for case in site.cases:
        if case.name in SHOWN:
            store.add_feed(site.url(case), "")
    store.close()
    fetched = subprocess.run(
        [PARALLAX, "fetch", "--no-analyze"], capture_output=True, text=True, env=env, timeout=120
    )
    assert fetched.returncode == 0, fetched.stderr
    assert "\x1b" not in fetched.stdout + fetched.stderr

    # tmux's default ignores OSC 52 from programs; with set-clipboard on it makes a
    # paste buffer, so an empty buffer afterwards means something.
    conf = tmp_path / "tmux.conf"
    conf.write_text("set-option -g set-clipboard on\nset-option -g allow-rename off\n")
    tmux = Tmux(env, conf)
    tmux.run(
        "new-session",
        "-d",
        "-s",
        "hostile",
        "-x",
        "80",
        "-y",
        "24",
        f"sleep 1; exec {PARALLAX} --db {db}",
    )
    try:
        title_before = tmux.title()
        tmux.wait_for("articles in")
        tmux.search("osc52")  # the raw-escape articles
        tmux.keys("Enter")  # the reader
        tmux.wait_for("Paragraph 0")
        tmux.keys("j", "j", "Escape")
        tmux.wait_for("match")
        tmux.keys("Escape")
        tmux.wait_for("articles in")
        tmux.search("raw")
        tmux.keys("Space", "Space", "Space", "c")  # three raw-escape articles side by side
        screen = tmux.wait_for("panes")
        assert "Outletlink text" in screen
        tmux.keys(">", "<", "Escape", "Escape")
        screen = tmux.search("quit")
        assert "[@click=app.quit]" in screen  # shown, not run
        time.sleep(1)
        assert tmux.run("display", "-p", "-t", "hostile", "#{pane_dead}").stdout.strip() == "0"
        assert tmux.buffer().returncode != 0, tmux.buffer().stdout  # no paste buffer
        assert tmux.run("list-buffers").stdout == ""
        assert tmux.title() == title_before
        for line in tmux.screen().splitlines():
            assert "PWNED" not in line

        # The control: the same tmux does act on OSC 52 and OSC 2 from a program.
        tmux.run(
            "new-window",
            "-d",
            "-t",
            "hostile",
            "-n",
            "control",
            "printf '\\033]52;c;Y29udHJvbA==\\007\\033]2;CONTROL\\007'; sleep 30",
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and tmux.buffer().returncode != 0:
            time.sleep(0.2)
        assert tmux.buffer().stdout == "control"
        assert tmux.title("hostile:control") == "CONTROL"
    finally:
        tmux.run("kill-server", check=False)
