"""Feeds through a real nginx (issue 16): nginx refuses malformed requests that the
Python test server accepts (two Host headers: every request was answered 400).

Covers: ``parallax fetch`` storing every page of a feed of real pages, a second
fetch answered 304 with no page downloaded, gzip decoded, a non-ASCII path, a long
URL, redirects (nginx ``return 301``), and the Host header. Skips with a clear
reason when nginx is not installed (``.ci/run`` installs ``nginx-light``).
"""

from __future__ import annotations

import gzip
import http.client
import socket
from pathlib import Path

import pytest

from reader import cli
from reader.ingest.http import fetch
from reader.store import Store
from tests.feedserver import article_page, rss
from tests.nginx import Nginx, nginx

__all__ = ["nginx"]

pytestmark = pytest.mark.network

LONG_QUERY = "?" + "&".join(f"utm_k{i}=v{i:04d}" for i in range(250))  # ~3,000 characters
PAGES = 6


def paragraphs(n: int) -> list[str]:
    return [
        f"Story {n}, paragraph {p}: the port authority said repairs to the north pier would "
        f"take six weeks, and that ferries would use the east quay in the meantime."
        for p in range(5)
    ]


def build_site(server: Nginx) -> dict[str, str]:
    """Feeds and pages as static files; returns {name: URL}."""
    root = server.root
    (root / "pages").mkdir()
    (root / "feeds").mkdir()
    (root / "s").mkdir()
    items = []
    for n in range(PAGES):
        (root / "pages" / f"page-{n}.html").write_bytes(
            article_page(f"Pier story {n}", paragraphs(n))
        )
        link = server.url(f"/pages/page-{n}.html") + (LONG_QUERY if n == 0 else "")
        if n == 1:
            link = server.url("/moved-away.html")  # a page behind nginx's return 301
        items.append(
            {
                "title": f"Pier story {n}",
                "link": link,
                "guid": f"pier-{n}",
                "description": f"Summary {n}.",
            }
        )
    feed = rss("Harbour Gazette", items)
    (root / "feeds" / "feed-0.rss").write_text(feed, encoding="utf-8")
    (root / "s" / "ä.rss").write_text(
        rss(
            "Umlaut Ünterwegs",
            [
                {
                    "title": "Ä",
                    "link": "http://x.example/ä",
                    "guid": "ä",
                    "description": "Über alles.",
                }
            ],
        ),
        encoding="utf-8",
    )
    return {
        "feed": server.url("/feeds/feed-0.rss"),
        "moved": server.url("/moved.xml"),
        "umlaut": server.url("/s/ä.rss"),
    }


def test_nginx_refuses_two_host_headers_and_our_request_has_one(nginx: Nginx) -> None:
    (nginx.root / "a.txt").write_text("hello", encoding="utf-8")
    with socket.create_connection(("127.0.0.1", nginx.port)) as sock:
        sock.sendall(
            b"GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n"
            b"Connection: close\r\n\r\n"
        )
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 400")  # what the old transport got, every time
    assert fetch(nginx.url("/a.txt")).body == b"hello"


def test_fetch_stores_every_page_then_304_and_no_page(
    nginx: Nginx, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = build_site(nginx)
    db = str(tmp_path / "n.db")
    assert cli.main(["feeds", "add", urls["feed"], "--name", "Harbour", "--db", db]) == 0
    assert cli.main(["fetch", "--no-analyze", "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"ok\tHarbour: {PAGES} new, 0 already stored" in out.splitlines()
    page_requests = [(s, u) for s, u in nginx.log() if u.startswith("/pages/")]
    assert sorted(u.split("?")[0] for s, u in page_requests if s == 200) == sorted(
        f"/pages/page-{n}.html" for n in range(PAGES)
    )
    assert any(u.endswith(LONG_QUERY) for _s, u in page_requests)  # the long URL, whole
    assert (301, "/moved-away.html") in nginx.log()
    store = Store(Path(db))
    try:
        texts = {a.title: a.text for a in store.all_articles() if a.feed_id}
    finally:
        store.close()
    assert len(texts) == PAGES
    assert all(f"Story {n}, paragraph 4" in texts[f"Pier story {n}"] for n in range(PAGES))

    nginx.reset_log()
    assert cli.main(["fetch", "--no-analyze", "--db", db]) == 0
    assert "unchanged\tHarbour: unchanged" in capsys.readouterr().out
    assert nginx.log() == [(304, "/feeds/feed-0.rss")]  # no page, and a 304


def test_gzip_from_nginx_is_decoded(nginx: Nginx) -> None:
    urls = build_site(nginx)
    body = (nginx.root / "feeds" / "feed-0.rss").read_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", nginx.port)
    conn.request("GET", "/feeds/feed-0.rss", headers={"Accept-Encoding": "gzip"})
    raw = conn.getresponse()
    assert raw.getheader("Content-Encoding") == "gzip"  # nginx did compress it
    assert gzip.decompress(raw.read()) == body
    conn.close()
    assert fetch(urls["feed"]).body == body


def test_non_ascii_path_and_redirected_feed(nginx: Nginx, tmp_path: Path) -> None:
    urls = build_site(nginx)
    assert b"Umlaut" in fetch(urls["umlaut"]).body
    store = Store(tmp_path / "r.db")
    try:
        from reader.ingest.feeds.refresh import refresh_feeds

        store.add_feed(urls["umlaut"], "Umlaut")
        store.add_feed(urls["moved"], "Moved")
        report = refresh_feeds(store, pages=False)
        assert [(r.status, r.new) for r in report.results] == [("ok", 1), ("ok", PAGES)]
    finally:
        store.close()
    assert (200, "/s/%C3%A4.rss") in nginx.log()
    assert (301, "/moved.xml") in nginx.log()
