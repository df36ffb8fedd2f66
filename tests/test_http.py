"""``reader.ingest.http``: caps, timeouts, redirects, encodings and validators, against
a local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import socket
import time
import zlib

import pytest

from reader.ingest.http import FetchError, Limits, check_url, fetch
from tests.feedserver import FeedServer, Route, drip, feed_server, gzipped, redirect, stall

__all__ = ["feed_server"]  # the fixture, imported for pytest

pytestmark = pytest.mark.network

FAST = Limits(connect_timeout=2, read_timeout=2, deadline=5, max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
        ("example.org/feed", "unsupported URL scheme none"),
        ("http:///nohost", "no host"),
        ("http://example.org:99999/", "bad port"),
        ("http://exa mple.org/", "spaces"),
    ],
    ids=["ftp", "file", "javascript", "no-scheme", "no-host", "bad-port", "space"],
)
def test_check_url_refuses(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        check_url(url)


def test_check_url_accepts_http_and_https() -> None:
    assert check_url(" https://example.org/feed.xml ") == "https://example.org/feed.xml"
    assert check_url("HTTP://example.org/") == "HTTP://example.org/"


def test_plain_get_sends_user_agent(feed_server: FeedServer) -> None:
    url = feed_server.add("/a", b"hello", content_type="text/plain")
    resp = fetch(url, limits=FAST)
    assert (resp.status, resp.body, resp.content_type) == (200, b"hello", "text/plain")
    headers = feed_server.requests[-1][1]
    assert headers["User-Agent"].startswith("Parallax/")
    assert "gzip" in headers["Accept-Encoding"]


def test_conditional_get_returns_304(feed_server: FeedServer) -> None:
    url = feed_server.add(
        "/f", b"<rss/>", etag='"v1"', last_modified="Mon, 14 Feb 2022 18:00:00 GMT"
    )
    first = fetch(url, limits=FAST)
    assert first.etag == '"v1"' and first.last_modified.startswith("Mon, 14 Feb 2022")
    again = fetch(url, etag=first.etag, last_modified=first.last_modified, limits=FAST)
    assert again.not_modified and again.body == b""
    assert feed_server.requests[-1][1]["If-None-Match"] == '"v1"'


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "HTTP 404 Not Found"),
        (500, "HTTP 500 Internal Server Error"),
        (403, "HTTP 403 Forbidden"),
    ],
)
def test_http_errors_are_one_line(feed_server: FeedServer, status: int, reason: str) -> None:
    url = feed_server.add("/e", b"<html>Traceback ...\n</html>", status=status)
    with pytest.raises(FetchError) as err:
        fetch(url, limits=FAST)
    assert str(err.value) == reason


def test_redirect_chain_within_cap(feed_server: FeedServer) -> None:
    for i in range(5):
        feed_server.routes[f"/r{i}"] = redirect(f"/r{i + 1}", 301 if i % 2 else 302)
    feed_server.add("/r5", b"arrived", content_type="text/plain")
    resp = fetch(feed_server.url("/r0"), limits=FAST)
    assert resp.body == b"arrived" and resp.url.endswith("/r5")


def test_redirect_chain_beyond_cap(feed_server: FeedServer) -> None:
    for i in range(6):
        feed_server.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    feed_server.add("/r6", b"too far", content_type="text/plain")
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 5\)$"):
        fetch(feed_server.url("/r0"), limits=FAST)


def test_redirect_loop(feed_server: FeedServer) -> None:
    feed_server.routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(feed_server.url("/loop"), limits=FAST)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:x"])
def test_redirect_to_other_scheme_refused(feed_server: FeedServer, target: str) -> None:
    feed_server.routes["/bad"] = redirect(target)
    with pytest.raises(FetchError, match="redirect to unsupported URL scheme"):
        fetch(feed_server.url("/bad"), limits=FAST)


def test_gzip_body_is_decoded(feed_server: FeedServer) -> None:
    body = b"<rss>" + b"x" * 10_000 + b"</rss>"
    feed_server.routes["/gz"] = gzipped(body, "application/rss+xml")
    assert fetch(feed_server.url("/gz"), limits=FAST).body == body


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_body_is_decoded(feed_server: FeedServer, wbits: int) -> None:
    body = b"deflated " * 500
    z = zlib.compressobj(wbits=wbits)
    data = z.compress(body) + z.flush()
    feed_server.routes["/df"] = Route(body=data, headers={"Content-Encoding": "deflate"})
    assert fetch(feed_server.url("/df"), limits=FAST).body == body


def test_gzip_bomb_stops_at_decoded_cap(feed_server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros in ~50 kB
    assert len(bomb) < 100_000
    feed_server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^response larger than 1 MB$"):
        fetch(feed_server.url("/bomb"), limits=FAST)
    assert time.monotonic() - started < 3


def test_corrupt_gzip(feed_server: FeedServer) -> None:
    feed_server.routes["/cgz"] = Route(
        body=b"\x1f\x8b\x08garbage", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="corrupt compressed response"):
        fetch(feed_server.url("/cgz"), limits=FAST)


def test_size_cap_by_content_length(feed_server: FeedServer) -> None:
    url = feed_server.add("/big", b"a" * (1024 * 1024 + 1))
    with pytest.raises(FetchError, match=r"^response larger than 1 MB$"):
        fetch(url, limits=FAST)


def test_size_cap_without_content_length(feed_server: FeedServer) -> None:
    def endless(req) -> None:  # type: ignore[no-untyped-def]
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Connection", "close")
        req.end_headers()
        try:
            for _ in range(400):  # 400 x 64 kB = 25 MB if nobody stops reading
                req.wfile.write(b"b" * 65536)
        except OSError:
            pass
        req.close_connection = True

    feed_server.routes["/endless"] = Route(handler=endless)
    with pytest.raises(FetchError, match="response larger than 1 MB"):
        fetch(feed_server.url("/endless"), limits=FAST)


def test_dripping_server_hits_total_deadline(feed_server: FeedServer) -> None:
    feed_server.routes["/drip"] = Route(handler=drip(b"<rss>" + b" " * 100 + b"</rss>", 0.1))
    limits = Limits(connect_timeout=1, read_timeout=1, deadline=0.8, max_bytes=1024)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 0\.8 s$"):
        fetch(feed_server.url("/drip"), limits=limits)
    assert time.monotonic() - started < 4


def test_silent_server_hits_read_timeout(feed_server: FeedServer) -> None:
    feed_server.routes["/silent"] = Route(handler=stall(3))
    limits = Limits(connect_timeout=1, read_timeout=0.5, deadline=5, max_bytes=1024)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 0\.5 s without data$"):
        fetch(feed_server.url("/silent"), limits=limits)
    assert time.monotonic() - started < 4


def test_connection_refused_is_unreachable() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(FetchError, match=r"^unreachable: connection refused"):
        fetch(f"http://127.0.0.1:{port}/feed", limits=FAST)


def test_reason_phrase_is_sanitized(feed_server: FeedServer) -> None:
    def evil(req) -> None:  # type: ignore[no-untyped-def]
        req.wfile.write(
            b"HTTP/1.1 404 Gone\x1b[31mRED\x1b]8;;file:///x\x07\r\nContent-Length: 0\r\n\r\n"
        )

    feed_server.routes["/evil"] = Route(handler=evil)
    with pytest.raises(FetchError) as err:
        fetch(feed_server.url("/evil"), limits=FAST)
    assert "\x1b" not in str(err.value) and str(err.value).startswith("HTTP 404 Gone")
