"""Parsing in a child process during a refresh of many feeds: the same articles and
the same one-line errors as parsing in-process, and a refresh that never depends on
the child (it cannot start, dies, or answers garbage: the feeds are parsed here)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import reader.ingest.feeds.child as feeds_mod
from reader.ingest.feeds.child import PARSE_CHILD_MIN_FEEDS, ParseChild
from reader.ingest.feeds.refresh import refresh_feeds
from reader.store import Store
from tests.feedserver import FeedServer, feed_server, rss

__all__ = ["feed_server"]

pytestmark = pytest.mark.network

FEEDS = 12


def _site(server: FeedServer) -> list[str]:
    urls = []
    for f in range(FEEDS):
        items = [
            {
                "title": f"Feed {f} item {i}: the embassy moves to Lviv",
                "link": f"/f{f}/item{i}.html",  # relative: joined to the feed's URL
                "guid": f"f{f}-i{i}",
                "pubDate": f"Mon, 14 Feb 2022 {i:02d}:00:00 GMT",
                "description": f"<p>Item {i} of feed {f}.</p><p>Officials said on Monday.</p>",
            }
            for i in range(5)
        ]
        urls.append(server.add(f"/f{f}/rss.xml", rss(f"Outlet {f}", items)))
    urls.append(server.add("/html", "<!doctype html><html><body>no feed</body></html>"))
    urls.append(server.add("/bomb", b'<!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>'))
    return urls


def _refresh(tmp_path: Path, urls: list[str], name: str, **kw: object):  # type: ignore[no-untyped-def]
    store = Store(tmp_path / f"{name}.db")
    try:
        for n, url in enumerate(urls):
            store.add_feed(url, f"Outlet {n}")
        report = refresh_feeds(store, pages=False, **kw)  # type: ignore[arg-type]
        articles = sorted(
            (a.outlet, a.title, a.url, a.text, a.published, a.feed_id) for a in store.all_articles()
        )
        lines = [r.line for r in report.results]
        guids = sorted(store.known_feed_items(1)[0])
        return articles, lines, guids, report
    finally:
        store.close()


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feeds wait for the child to be ready (up to 20 s) instead of being parsed here
    meanwhile: a refresh of a few small local feeds is over before it starts."""
    real = ParseChild.parse

    def parse(self: ParseChild, *args: object) -> object:
        with self._lock:
            self._start()
        deadline = time.monotonic() + 20
        while not (self.ready or self.broken) and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ParseChild, "parse", parse)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[ParseChild]:
    made: list[ParseChild] = []
    real = ParseChild.__init__

    def init(self: ParseChild, *a: object, **kw: object) -> None:
        real(self, *a, **kw)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(ParseChild, "__init__", init)
    return made


def test_the_child_parses_and_gives_what_parsing_here_gives(
    feed_server: FeedServer, tmp_path: Path, children: list[ParseChild], patient: None
) -> None:
    urls = _site(feed_server)
    here = _refresh(tmp_path, urls, "here", parse_child=False)
    assert not children
    there = _refresh(tmp_path, urls, "child", parse_child=True)
    assert len(children) == 1 and children[0].parsed > 0
    assert there[:3] == here[:3]
    assert len(here[0]) == FEEDS * 5
    assert here[0][0][2].startswith(feed_server.base_url + "/f")  # relative link joined
    lines = there[1]
    assert "Outlet 12: not a feed (HTML page)" in lines
    assert "Outlet 13: malformed feed: declares XML entities (refused)" in lines
    assert children[0]._proc is not None and children[0]._proc.poll() is not None  # reaped


def test_many_feeds_use_a_child_by_default_and_a_few_do_not(
    feed_server: FeedServer, tmp_path: Path, children: list[ParseChild]
) -> None:
    urls = _site(feed_server)
    assert len(urls) >= PARSE_CHILD_MIN_FEEDS
    _refresh(tmp_path, urls[: PARSE_CHILD_MIN_FEEDS - 1], "few")
    assert not children
    _refresh(tmp_path, urls, "many")
    assert len(children) == 1


def test_an_unchanged_refresh_starts_no_child(
    feed_server: FeedServer, tmp_path: Path, children: list[ParseChild]
) -> None:
    urls = _site(feed_server)[:FEEDS]
    for path in list(feed_server.routes):
        feed_server.routes[path].etag = '"v1"'
    store = Store(tmp_path / "etag.db")
    try:
        for url in urls:
            store.add_feed(url, "")
        refresh_feeds(store, pages=False, parse_child=True)
        report = refresh_feeds(store, pages=False, parse_child=True)
    finally:
        store.close()
    assert {r.status for r in report.results} == {"unchanged"}
    assert children[1]._proc is None


@pytest.mark.parametrize(
    "code",
    [
        "import sys; sys.exit(0)",  # leaves at once
        "import sys; sys.stdout.buffer.write(b'garbage!' * 3)",
        "import sys; sys.stdout.buffer.write(bytes(8))",  # an empty frame, not "ready"
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
    ],
)
def test_a_broken_child_loses_nothing(
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list[ParseChild],
    patient: None,
    code: str,
) -> None:
    urls = _site(feed_server)
    here = _refresh(tmp_path, urls, "here", parse_child=False)
    monkeypatch.setattr(feeds_mod, "_PARSE_CHILD_CODE", code)
    broken = _refresh(tmp_path, urls, "broken", parse_child=True)
    assert broken[:3] == here[:3]
    assert children[-1].broken and children[-1].parsed == 0


def test_a_child_that_cannot_start_loses_nothing(
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list[ParseChild],
) -> None:
    urls = _site(feed_server)
    here = _refresh(tmp_path, urls, "here", parse_child=False)
    monkeypatch.setattr(feeds_mod.sys, "executable", str(tmp_path / "no-such-python"))
    broken = _refresh(tmp_path, urls, "nostart", parse_child=True)
    assert broken[:3] == here[:3]
    assert children[-1].broken and children[-1]._proc is None


def test_a_child_that_stops_answering_loses_nothing(
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list[ParseChild],
    patient: None,
) -> None:
    urls = _site(feed_server)
    here = _refresh(tmp_path, urls, "here", parse_child=False)
    monkeypatch.setattr(feeds_mod, "CHILD_PARSE_TIMEOUT", 0.5)
    hang = (
        "import sys, time\n"
        "sys.argv[1] in sys.path or sys.path.append(sys.argv[1])\n"
        "from reader.children import write_frame\n"
        "write_frame(sys.stdout.buffer, 'ready')\n"
        "sys.stdin.buffer.read(1)\n"
        "time.sleep(60)\n"
    )
    monkeypatch.setattr(feeds_mod, "_PARSE_CHILD_CODE", hang)
    stuck = _refresh(tmp_path, urls, "stuck", parse_child=True)
    assert stuck[:3] == here[:3]
    assert children[-1].broken and children[-1]._proc.poll() is not None  # type: ignore[union-attr]


def test_a_short_refresh_does_not_wait_for_the_child_to_start(
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: list[ParseChild],
) -> None:
    urls = _site(feed_server)
    here = _refresh(tmp_path, urls, "here", parse_child=False)
    slow = "import time; time.sleep(60)"  # never ready
    monkeypatch.setattr(feeds_mod, "_PARSE_CHILD_CODE", slow)
    start = time.monotonic()
    slow_child = _refresh(tmp_path, urls, "slow", parse_child=True)
    assert time.monotonic() - start < 10
    assert slow_child[:3] == here[:3]
    (child,) = children
    assert child.parsed == 0 and not child.ready
    assert child._proc is not None and child._proc.poll() is not None  # stopped, reaped
