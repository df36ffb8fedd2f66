"""Issue 16: feeds from the real web. One test (or more) per fault the issue lists,
against the Python test server on 127.0.0.1 (``tests/feedserver.py``); the faults a
real server shows (nginx refusing two Host headers) are in ``test_feeds_nginx.py``.

Nothing here touches the internet: hosts that are not 127.0.0.1 are reached through
a proxy that the test server plays, or resolved by a stand-in ``getaddrinfo``.
"""

from __future__ import annotations

import gzip
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import cli
from reader.ingest.feeds.parse import FeedError, parse_feed
from reader.ingest.feeds.refresh import refresh_feeds
from reader.ingest.feeds.report import rate_limited_until
from reader.ingest.feeds.subscribe import subscribe_all
from reader.ingest.http import (
    MAX_RETRY_AFTER,
    Client,
    FetchError,
    Limits,
    check_url,
    fetch,
    is_public_address,
    retry_after,
    wire_url,
)
from reader.sanitize import MAX_URL, clean_url
from reader.store import Store
from tests.feedserver import FeedServer, Route, article_page, feed_server, rss, stall

__all__ = ["feed_server"]

pytestmark = pytest.mark.network

FAST = Limits(connect_timeout=2, read_timeout=2, deadline=5, max_bytes=1024 * 1024)


@pytest.fixture(autouse=True)
def _no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "web.db")
    yield s
    s.close()


def paragraphs(tag: str, n: int = 4) -> list[str]:
    return [
        f"{tag} paragraph {i}: officials said the talks would continue next week in the "
        f"capital, according to people familiar with the discussions."
        for i in range(n)
    ]


def feed_with_pages(server: FeedServer, slug: str, count: int, **route: object) -> str:
    items = []
    for i in range(count):
        path = f"/{slug}/story-{i}.html"
        server.add(path, article_page(f"{slug} story {i}", paragraphs(f"{slug}-{i}")))
        items.append(
            {
                "title": f"{slug} story {i}",
                "link": server.url(path),
                "guid": f"{slug}-{i}",
                "description": f"{slug} summary {i}",
            }
        )
    return server.add(
        f"/{slug}/rss.xml",
        rss(slug, items),
        content_type="application/rss+xml",
        **route,  # type: ignore[arg-type]
    )


# -- the request itself ------------------------------------------------------------


def test_one_host_header(feed_server: FeedServer) -> None:
    """http.client sent a second Host header, which nginx answers with 400."""
    url = feed_server.add("/one", b"ok", content_type="text/plain")
    fetch(url, limits=FAST)
    assert feed_server.host_headers == [[f"127.0.0.1:{url.split(':')[2].split('/')[0]}"]]


@pytest.mark.parametrize(
    ("iri", "wire"),
    [
        ("http://例え.jp/feed", "http://xn--r8jz45g.jp/feed"),
        ("http://ｅｘａｍｐｌｅ.org/rss", "http://example.org/rss"),  # fullwidth letters
        ("http://Example.ORG/s/ä.xml", "http://example.org/s/%C3%A4.xml"),
        ("http://example.org/a b?q=ü&x=1", "http://example.org/a%20b?q=%C3%BC&x=1"),
        ("http://example.org/100%/x%41", "http://example.org/100%25/x%41"),
        ("http://user:pw@example.org:8080/f#top", "http://example.org:8080/f"),
    ],
    ids=["idna", "fullwidth-host", "non-ascii-path", "space-and-query", "bare-percent", "userinfo"],
)
def test_wire_url_is_what_browsers_send(iri: str, wire: str) -> None:
    if " " in iri:  # a space is refused in a URL typed by the user; a page link may have one
        with pytest.raises(FetchError, match="spaces"):
            wire_url(iri)
        return
    assert wire_url(iri) == wire


def test_non_ascii_path_is_fetched(feed_server: FeedServer) -> None:
    feed_server.add("/s/%C3%A4.xml", b"umlaut", content_type="text/plain")
    resp = fetch(feed_server.url("/s/ä.xml"), limits=FAST)
    assert resp.body == b"umlaut"


def test_non_ascii_host_goes_out_in_idna(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a proxy (the test server), so no DNS is needed: the proxy sees the
    absolute URL with the IDNA host."""
    feed_server.add("http://xn--r8jz45g.jp/feed", b"idna", content_type="text/plain")
    monkeypatch.setenv("HTTP_PROXY", feed_server.base_url)
    assert fetch("http://例え.jp/feed", limits=FAST).body == b"idna"
    assert feed_server.host_headers[-1] == ["xn--r8jz45g.jp"]


def test_no_proxy_is_honoured(feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    feed_server.add("http://feeds.example/rss", b"via proxy", content_type="text/plain")
    monkeypatch.setenv("HTTP_PROXY", feed_server.base_url)
    assert fetch("http://feeds.example/rss", limits=FAST).body == b"via proxy"
    monkeypatch.setenv("NO_PROXY", "feeds.example")
    with pytest.raises(FetchError, match=r"cannot resolve host feeds\.example"):
        fetch("http://feeds.example/rss", limits=FAST)


def test_keep_alive_one_connection_for_many_requests(feed_server: FeedServer) -> None:
    for i in range(5):
        feed_server.add(f"/k{i}", b"x" * 100, content_type="text/plain")
    with Client() as client:
        for i in range(5):
            client.fetch(feed_server.url(f"/k{i}"), limits=FAST)
        assert client.connections == 1
    assert len(set(feed_server.peers)) == 1


def closes_when_reused(body: bytes):  # type: ignore[no-untyped-def]
    """A keep-alive server that drops a connection the moment its second request
    arrives, unanswered: what nginx or a CDN does when its idle timeout ends just as
    the client reuses the connection (the request is lost in flight)."""

    def handle(req) -> None:  # type: ignore[no-untyped-def]
        if getattr(req, "served_one", False):
            req.close_connection = True
            return
        req.served_one = True
        req.send_response(200)
        req.send_header("Content-Type", "text/plain")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handle


def test_a_kept_alive_connection_closed_by_the_server_is_retried_once(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/idle"] = Route(handler=closes_when_reused(b"fresh"))
    with Client() as client:
        for _ in range(3):
            assert client.fetch(feed_server.url("/idle"), limits=FAST).body == b"fresh"
    assert feed_server.hits("/idle") == 5  # 3 answered, 2 lost on a reused connection


def test_a_fresh_connection_closed_unanswered_is_an_error(feed_server: FeedServer) -> None:
    """The retry is for reused connections only: a server that hangs up on a new
    connection is reported, not asked twice."""
    feed_server.routes["/hangup"] = Route(handler=stall(0))
    with Client() as client, pytest.raises(FetchError):
        client.fetch(feed_server.url("/hangup"), limits=FAST)
    assert feed_server.hits("/hangup") == 1


def test_dns_is_inside_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = socket.getaddrinfo

    def slow(host, *args, **kw):  # type: ignore[no-untyped-def]
        if host == "slow-dns.example":
            release.wait(10)
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    limits = Limits(connect_timeout=1, read_timeout=1, deadline=0.3, max_bytes=1024)
    try:
        with pytest.raises(FetchError, match=r"^timed out after 0\.3 s \(resolving slow-dns"):
            fetch("http://slow-dns.example/feed", limits=limits)
    finally:
        release.set()


def test_truncated_gzip_with_correct_length_is_an_error(feed_server: FeedServer) -> None:
    body = rss("T", [{"title": f"t{i}", "link": f"http://x/{i}"} for i in range(20)])
    packed = gzip.compress(body.encode())
    cut = packed[: len(packed) // 2]  # Content-Length says len(cut): the server is "right"
    feed_server.routes["/tgz"] = Route(
        body=cut, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="truncated compressed response"):
        fetch(feed_server.url("/tgz"), limits=FAST)


def test_truncated_gzip_feed_stores_nothing(feed_server: FeedServer, store: Store) -> None:
    body = rss(
        "T", [{"title": f"t{i}", "link": f"http://x/{i}", "description": "d"} for i in range(20)]
    )
    packed = gzip.compress(body.encode())
    feed_server.routes["/tgz"] = Route(
        body=packed[: len(packed) * 2 // 3],
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )
    store.add_feed(feed_server.url("/tgz"), "T")
    report = refresh_feeds(store, pages=False, feed_limits=FAST)
    assert report.results[0].status == "error"
    assert "truncated compressed response" in report.results[0].line
    assert store.feeds()[0].article_count == 0


# -- URLs stored whole ----------------------------------------------------------------


def test_long_urls_are_stored_and_fetched_whole(
    feed_server: FeedServer, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_query = "?" + "&".join(f"k{i}=v{i:04d}" for i in range(300))  # ~3,000 characters
    page_path = "/long/page.html"
    feed_server.add(page_path, article_page("Long", paragraphs("long")))
    page_url = feed_server.url(page_path) + long_query
    feed_url = (
        feed_server.add(
            "/long/rss.xml",
            rss(
                "Long", [{"title": "Long", "link": page_url, "guid": "long-1", "description": "s"}]
            ),
            content_type="application/rss+xml",
        )
        + long_query
    )
    assert len(feed_url) > 3000 and clean_url(feed_url) == feed_url
    db = str(tmp_path / "long.db")
    assert cli.main(["feeds", "add", feed_url, "--name", "Long", "--db", db]) == 0
    assert cli.main(["fetch", "--no-analyse", "--db", db]) == 0
    capsys.readouterr()
    stored = Store(Path(db))
    try:
        assert stored.feeds()[0].url == feed_url
        [article] = [a for a in stored.all_articles() if a.feed_id]
        assert article.url == page_url and "long paragraph 3" in article.text
    finally:
        stored.close()


def test_url_longer_than_the_cap_is_refused_not_cut() -> None:
    url = "http://example.org/?" + "a" * MAX_URL
    with pytest.raises(FetchError, match="URL longer than 8 kB"):
        check_url(url)
    assert clean_url(url) == ""


# -- rate limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(seconds=120)),
        ("Fri, 04 Dec 2026 13:00:00 GMT", timedelta(hours=1)),
        ("999999999", MAX_RETRY_AFTER),
        ("Sat, 01 Jan 2050 00:00:00 GMT", MAX_RETRY_AFTER),
        ("Fri, 04 Dec 2026 11:00:00 GMT", None),  # in the past
        ("soon", None),
        ("", None),
    ],
    ids=["seconds", "http-date", "seconds-capped", "date-capped", "past", "garbage", "empty"],
)
def test_retry_after_is_read_and_bounded(header: str, expected: timedelta | None) -> None:
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    got = retry_after(header, now)
    assert (got - now if got else None) == expected


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limited_feed_is_not_asked_again_until_then(
    feed_server: FeedServer,
    store: Store,
    status: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_server.routes["/busy"] = Route(
        status=status, body=b"slow down", headers={"Retry-After": "3600"}
    )
    db = tmp_path / "rl.db"
    assert (
        cli.main(["feeds", "add", feed_server.url("/busy"), "--name", "Busy", "--db", str(db)]) == 0
    )
    assert cli.main(["fetch", "--no-analyze", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"failed\tBusy: HTTP {status}" in out and "rate-limited until" in out
    assert feed_server.hits("/busy") == 1

    assert cli.main(["fetch", "--no-analyze", "--db", str(db)]) == 0  # skipped: not a failure
    out = capsys.readouterr().out
    assert "waiting\tBusy: rate-limited until " in out
    assert feed_server.hits("/busy") == 1  # not asked again

    assert cli.main(["feeds", "list", "--db", str(db)]) == 0
    [row] = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert row[3].startswith("rate-limited until ")
    local = (datetime.now(UTC) + timedelta(hours=1)).astimezone().strftime("%H:%M")
    assert row[3].endswith(local) or row[3].endswith(
        (datetime.now(UTC) + timedelta(minutes=59)).astimezone().strftime("%H:%M")
    )


def test_rate_limit_passes(store: Store) -> None:
    feed, _ = store.add_feed("http://example.org/rss", "Ex")
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.update_feed_state(feed.id, status="error", error="HTTP 429", retry_after=past)
    assert rate_limited_until(store.feeds()[0]) is None


# -- a fair, cancellable refresh ---------------------------------------------------------


def test_slow_feed_does_not_hold_back_an_honest_one(feed_server: FeedServer, store: Store) -> None:
    """24 pages that never answer on one feed; the honest feed's pages all arrive,
    and the slow feed stops at its deadline, keeping its items' own text."""
    slow_items = []
    for i in range(24):
        feed_server.routes[f"/slow/p{i}.html"] = Route(handler=stall(5))
        slow_items.append(
            {
                "title": f"slow {i}",
                "link": feed_server.url(f"/slow/p{i}.html"),
                "guid": f"slow-{i}",
                "description": f"slow summary {i}",
            }
        )
    feed_server.add("/slow/rss.xml", rss("Slow", slow_items), content_type="application/rss+xml")
    honest = feed_with_pages(feed_server, "honest", 6)
    store.add_feed(feed_server.url("/slow/rss.xml"), "Slow")
    store.add_feed(honest, "Honest")
    order: list[str] = []
    page_limits = Limits(connect_timeout=1, read_timeout=4, deadline=4, max_bytes=1024 * 1024)
    report = refresh_feeds(
        store,
        feed_limits=FAST,
        page_limits=page_limits,
        feed_deadline=1.5,
        progress=lambda p: order.append(p.name) if p.stage == "done" else None,
    )
    slow, fair = report.results
    assert order == ["Honest", "Slow"]
    assert (fair.status, fair.new, fair.pages_failed) == ("ok", 6, 0)
    assert slow.status == "ok" and slow.new == 24 and slow.pages_failed == 24
    assert "timed out" in slow.line or "deadline" in slow.line
    # at most two of the slow feed's pages were ever asked for at once, before its deadline
    assert feed_server.hits(prefix="/slow/p") <= 4


def test_cancel_stops_requests_in_flight_and_keeps_what_was_stored(
    feed_server: FeedServer, store: Store
) -> None:
    done = feed_with_pages(feed_server, "quick", 2)
    gave_up = threading.Event()

    def hang(req) -> None:  # type: ignore[no-untyped-def]
        cancel.set()  # the refresh is now waiting on this request
        if not gave_up.wait(20):  # the client hung up before the server gave up
            return
        req.close_connection = True

    feed_server.routes["/hang.xml"] = Route(handler=hang)
    store.add_feed(done, "Quick")
    refresh_feeds(store, feed_limits=FAST)  # stored first
    hung, _ = store.add_feed(feed_server.url("/hang.xml"), "Hang")
    cancel = threading.Event()
    long_wait = Limits(connect_timeout=30, read_timeout=30, deadline=60, max_bytes=1024 * 1024)
    report = refresh_feeds(
        store, cancel=cancel, feeds=[store.get_feed(hung.id)], feed_limits=long_wait
    )
    returned_before_server_gave_up = not gave_up.is_set()
    gave_up.set()
    assert returned_before_server_gave_up
    assert [r.status for r in report.results] == ["cancelled"]
    feeds = {f.name: f for f in store.feeds()}
    assert feeds["Quick"].article_count == 2  # what was stored stays
    assert feeds["Hang"].last_status is None  # nothing recorded for the cancelled feed


# -- articles keyed per feed ------------------------------------------------------------


def test_impostor_feed_cannot_hide_another_feeds_items(
    feed_server: FeedServer, store: Store
) -> None:
    honest = feed_with_pages(feed_server, "honest", 3)
    stolen = [
        {
            "title": f"not yours {i}",
            "link": feed_server.url(f"/honest/story-{i}.html"),
            "guid": f"honest-{i}",
            "description": "impostor text",
        }
        for i in range(3)
    ]
    impostor = feed_server.add(
        "/impostor.xml", rss("Impostor", stolen), content_type="application/rss+xml"
    )
    store.add_feed(impostor, "Impostor")  # refreshed first: it claims the GUIDs and URLs
    store.add_feed(honest, "Honest")
    refresh_feeds(store, pages=False, feeds=[store.feeds()[0]], feed_limits=FAST)
    report = refresh_feeds(store, pages=False, feeds=[store.feeds()[1]], feed_limits=FAST)
    assert report.results[0].new == 3
    honest_articles = [a for a in store.all_articles() if a.outlet == "Honest"]
    assert sorted(a.title for a in honest_articles) == [f"honest story {i}" for i in range(3)]


def test_same_story_in_two_feeds_is_two_articles(feed_server: FeedServer, store: Store) -> None:
    items = [
        {
            "title": "Shared",
            "link": "http://wire.example/s1",
            "guid": "s1",
            "description": "The same wire story, word for word, in two feeds.",
        }
    ]
    a = feed_server.add("/a.xml", rss("A", items), content_type="application/rss+xml")
    b = feed_server.add("/b.xml", rss("B", items), content_type="application/rss+xml")
    store.add_feed(a, "A")
    store.add_feed(b, "B")
    report = refresh_feeds(store, pages=False, feed_limits=FAST)
    assert [r.new for r in report.results] == [1, 1]
    again = refresh_feeds(store, pages=False, feed_limits=FAST)
    assert [r.new for r in again.results] == [0, 0]
    assert sorted(a.outlet for a in store.all_articles() if a.feed_id) == ["A", "B"]


def test_migration_from_v3_keeps_articles_and_drops_global_dedupe(tmp_path: Path) -> None:
    import sqlite3

    from reader.store.schema import MIGRATIONS, _statements

    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    for version in range(3):
        for statement in _statements(MIGRATIONS[version]):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO feeds(id, url, name, added_at) VALUES (1, 'http://a/rss', 'A', 'x'), "
        "(2, 'http://b/rss', 'B', 'x')"
    )
    conn.execute(
        "INSERT INTO articles(id, outlet, title, text, content_hash, origin, feed_id, guid, "
        "imported_at) VALUES ('a1', 'A', 'T', 'same text', 'h1', 'http://a/1', 1, 'g', 'x')"
    )
    conn.commit()
    conn.close()
    store = Store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] >= 4
        assert store.feeds()[0].retry_after is None
        from reader.models import NewArticle

        [(article, created)] = store.add_articles(
            [
                (
                    NewArticle(
                        outlet="B",
                        title="T",
                        text="same text",
                        published=None,
                        origin="http://b/1",
                        url="http://b/1",
                        feed_id=2,
                        guid="g",
                    ),
                    None,
                )
            ]
        )
        assert created and article.feed_id == 2
        assert store.count_articles() == 2
    finally:
        store.close()


# -- parsing --------------------------------------------------------------------------


def test_cdata_quoting_an_entity_declaration_is_not_one() -> None:
    body = rss(
        "XML",
        [{"title": "About DTDs", "link": "http://x/1", "guid": "1", "description": "ignored"}],
    ).replace(
        "<description>ignored</description>",
        '<description><![CDATA[Write <!ENTITY name "value"> in the DTD.]]></description>',
    )
    parsed = parse_feed(body.encode(), "application/rss+xml")
    # accepted (the HTML of the description then reads "<!ENTITY ...>" as a tag)
    assert [(i.title, i.text) for i in parsed.items] == [("About DTDs", "Write in the DTD.")]


def test_a_real_entity_declaration_is_still_refused() -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]>'
        "<rss><channel><title>&a;</title></channel></rss>"
    )
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(body.encode())
    utf16 = body.replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16")
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(utf16)


# -- import -----------------------------------------------------------------------------


def test_import_of_many_feeds_is_one_transaction(store: Store) -> None:
    entries = [(f"http://feeds{i}.example/rss", f"Feed {i}") for i in range(3000)]
    report = subscribe_all(store, [*entries, ("ftp://x/y", "bad"), entries[0]])
    assert (report.added, report.existing, len(report.rejected)) == (3000, 1, 1)
    again = subscribe_all(store, entries[:10])
    assert (again.added, again.existing) == (0, 10)
    assert len(store.feeds()) == 3000


# -- fetch's output -----------------------------------------------------------------------


def test_fetch_prints_each_feed_then_summary_and_exits_1_when_one_failed(
    feed_server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = feed_with_pages(feed_server, "good", 2)
    db = str(tmp_path / "f.db")
    cli.main(["feeds", "add", good, "--name", "Good", "--db", db])
    cli.main(["feeds", "add", feed_server.url("/missing.xml"), "--name", "Gone", "--db", db])
    capsys.readouterr()
    code = cli.main(["fetch", "--no-pages", "--no-analyze", "--db", db])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert sorted(lines[:2]) == [
        "failed\tGone: HTTP 404 Not Found",
        "ok\tGood: 2 new, 0 already stored",
    ]
    assert lines[-1] == "2 new articles from 2 feeds; 1 failed"
    feed_server.add("/missing.xml", rss("Gone", []), content_type="application/rss+xml")
    assert cli.main(["fetch", "--no-pages", "--no-analyze", "--db", db]) == 0


# -- page auto-fetch and private addresses -------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.1.1", False),
        ("172.16.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("ff02::1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_pages_on_private_hosts_of_other_hosts_are_refused(
    feed_server: FeedServer, store: Store
) -> None:
    """The feed is on 127.0.0.1 (subscribed to: fine, and so are its own pages); its
    items point at "localhost" (another host, on a loopback address) directly and
    through a redirect from its own host: both refused, with a reason."""
    port = feed_server.base_url.rsplit(":", 1)[1]
    feed_server.add("/inside.html", article_page("Inside", paragraphs("inside")))
    feed_server.routes["/hop.html"] = Route(
        status=302, headers={"Location": f"http://localhost:{port}/inside.html"}
    )
    feed_server.add("/own.html", article_page("Own", paragraphs("own")))
    items = [
        {
            "title": "direct",
            "link": f"http://localhost:{port}/inside.html",
            "guid": "d",
            "description": "direct summary",
        },
        {
            "title": "hop",
            "link": feed_server.url("/hop.html"),
            "guid": "h",
            "description": "hop summary",
        },
        {
            "title": "own",
            "link": feed_server.url("/own.html"),
            "guid": "o",
            "description": "own summary",
        },
    ]
    feed_server.add("/p.xml", rss("P", items), content_type="application/rss+xml")
    store.add_feed(feed_server.url("/p.xml"), "P")
    [result] = refresh_feeds(store, feed_limits=FAST, page_limits=FAST).results
    assert (result.new, result.pages_failed) == (3, 2)
    assert "refused: localhost is a private or local address" in result.line
    assert feed_server.hits("/inside.html") == 0  # never asked
    texts = {a.title: a.text for a in store.all_articles() if a.feed_id}
    assert texts["direct"] == "direct summary" and "own paragraph 0" in texts["own"]


def test_page_policy_applies_to_fetch() -> None:
    with pytest.raises(FetchError, match=r"refused: 10\.0\.0\.1 is a private or local address"):
        fetch("http://10.0.0.1/admin", limits=FAST, page_of="http://feeds.example/rss")


# -- TLS: one context, kept-alive connections, a refused certificate in one line -----------


@pytest.fixture
def tls_server(tmp_path: Path, feed_server: FeedServer):  # type: ignore[no-untyped-def]
    """The test server behind TLS, with a self-signed certificate for 127.0.0.1
    (made with the openssl command; skipped without it)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server = feed_server._server
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    return feed_server, cert


def test_tls_one_context_and_keep_alive(tls_server, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    server, cert = tls_server
    for i in range(4):
        server.add(f"/t{i}", b"secure", content_type="text/plain")
    base = server.base_url.replace("http://", "https://")
    with pytest.raises(FetchError, match=r"^TLS certificate not accepted for 127\.0\.0\.1"):
        fetch(base + "/t0", limits=FAST)  # self-signed: refused, in one line
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now trusted
    server.reset()
    with Client() as client:
        assert [client.fetch(f"{base}/t{i}", limits=FAST).body for i in range(4)] == [b"secure"] * 4
        assert client.connections == 1  # one handshake for four requests
        assert client._ssl is not None  # one context, made once
    assert len(set(server.peers)) == 1


# -- the plain-RSS fast path reads what feedparser reads ---------------------------------

EDGE_ITEMS = [
    # guid (permalink) before link: the link element wins, guidislink stays true
    "<item><guid>http://ex.example/a</guid><title>A</title><link>http://ex.example/a2</link>"
    "<description>a</description></item>",
    # permalink guid and no link: the guid is the link
    "<item><title>B</title><guid>http://ex.example/b</guid><description>b</description></item>",
    "<item><title>C</title><guid isPermaLink='false'>tag:c</guid><link>  /rel/c  </link>"
    "<description><![CDATA[<p>c &amp; <b>C</b></p>]]></description></item>",
    "<item><title>  D\u00c3\u00a9j\u00c3\u00a0 vu \u0093quoted\u0094 </title>"
    "<link>http://ex.example/d?x=1&amp;amp;y=2&amp;z;</link><guid isPermaLink='True'>d</guid>"
    "<dc:creator>Jane Roe</dc:creator><pubDate>Tue, 15 Feb 2022 09:00:00 +0200</pubDate>"
    "<content:encoded><![CDATA[<p>Full text of D, longer than its summary.</p>]]>"
    "</content:encoded><description>short</description></item>",
    "<item><title>E</title><link>http:///ex.example//e</link><dc:date>2022-02-14T23:30:00-05:00"
    "</dc:date><category>x</category><category>y</category>"
    "<enclosure url='http://ex.example/e.mp3' length='1' type='audio/mpeg'/>"
    "<comments>http://ex.example/e#c</comments></item>",
    "<item><title>F</title><link></link><guid>f-guid</guid><pubDate>14 Feb 2022</pubDate>"
    "<author>Some Body</author><description>f</description></item>",
    "<item><title>G</title><link>http://ex.example/g</link><author>g@ex.example (G)</author>"
    "</item>",  # an e-mail address: feedparser's reading
    "<item><title>H <b>bold</b></title><link>http://ex.example/h</link></item>",  # markup
    "<item><title>I</title><media:title xmlns:media='http://search.yahoo.com/mrss/'>M</media:title>"
    "<link>http://ex.example/i</link></item>",
]


def _rss_doc(items: list[str], head: str = "<title>Edge</title>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"{head}<link>http://ex.example/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _corpus(tmp_path: Path) -> list[tuple[str, bytes, str]]:
    from tests.bench.bench_fetch import build_mix
    from tests.feedserver import build_seed_site
    from tests.hostile.corpus import install

    docs: list[tuple[str, bytes, str]] = []
    for n, item in enumerate(EDGE_ITEMS):
        docs.append((f"edge-{n}", _rss_doc([item]), "application/rss+xml"))
    docs.append(("edge-all", _rss_doc(EDGE_ITEMS[:6]), ""))
    image = "<image><title>Logo</title><url>http://ex.example/l.png</url></image>"
    docs.append(("image-after", _rss_doc(EDGE_ITEMS[:2], "<title>Edge</title>" + image), ""))
    docs.append(("image-before", _rss_doc(EDGE_ITEMS[:2], image + "<title>Edge</title>"), ""))
    docs.append(("latin-1", _rss_doc(EDGE_ITEMS[:2]).replace(b"utf-8", b"iso-8859-1"), ""))
    docs.append(("text-xml", _rss_doc(EDGE_ITEMS[:2]), "text/xml"))
    server = FeedServer().start()
    try:
        build_seed_site(server)
        install(server)
        for path, route in server.routes.items():
            if route.body and route.handler is None and b"<rss" in route.body[:400]:
                docs.append((path, route.body, route.content_type))
    finally:
        server.stop()
    root = tmp_path / "mix"
    build_mix(root, "http://127.0.0.1:9", 34, 3, 5)
    for path in sorted(root.rglob("*.rss")):
        docs.append((path.name, path.read_bytes(), "application/rss+xml"))
    return docs


def test_plain_rss_reads_what_feedparser_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest.feeds.parse as feeds_mod

    fast_used = 0
    for name, body, ctype in _corpus(tmp_path):
        base = "http://ex.example/feed.xml"
        fast = feeds_mod.plain_rss(feeds_mod.first_entries(body), ctype)
        fast_used += fast is not None
        try:
            got = parse_feed(body, ctype, base)
        except FeedError as exc:
            got = str(exc)  # type: ignore[assignment]
        with monkeypatch.context() as m:
            m.setattr(feeds_mod, "plain_rss", lambda body, ctype="": None)
            try:
                want = parse_feed(body, ctype, base)
            except FeedError as exc:
                want = str(exc)  # type: ignore[assignment]
        assert got == want, name
    assert fast_used >= 30  # the fast path is the common one, not a corner


def test_first_parses_on_many_threads_at_once_import_cleanly() -> None:
    """feedparser's modules import each other: eight refresh threads parsing their first
    feeds at the same moment once saw one partly initialised ("internal error:
    ImportError" on 4 of 135 feeds). A fresh interpreter each time: the first import."""
    import subprocess
    import sys

    code = """
import threading
from reader.ingest.feeds.parse import parse_feed
from tests.feedserver import rss
item = {"title": "t", "link": "http://x/1", "guid": "g", "description": "d"}
rss_body = rss("T", [item]).encode()
atom_body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
             b'<entry><title>a</title><id>i</id><link href="http://x/a"/></entry></feed>')
gate = threading.Barrier(8)
errors = []
def run(n):
    gate.wait()
    try:
        parse_feed(rss_body if n % 2 else atom_body, "application/rss+xml", "http://x/")
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors)
"""
    root = Path(__file__).resolve().parents[1]
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


def test_fetch_progress_shows_a_feed_name_as_written(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, ``parallax fetch`` names the feed whose pages it fetches in the
    progress line: a name with Rich markup in it is shown as written, not styled."""
    import io

    from rich.console import Console

    from reader.cli import feeds as cli_feeds

    name = "[red]Evil[/red] [link=file:///etc/passwd]x[/link]"
    feed_server.add("/page.html", article_page("A page", "Text of the page. " * 30))
    feed_server.add(
        "/rss", rss(name, [{"title": "t", "link": feed_server.url("/page.html"), "guid": "g"}])
    )
    screen = io.StringIO()
    term = Console(file=screen, force_terminal=True, width=200, highlight=False)
    seen: list[str] = []

    def console(stderr: bool = False) -> Console:
        return term

    monkeypatch.setattr(cli_feeds, "console", console)
    from rich.progress import Progress

    real_update = Progress.update

    def update(self, task_id, **kw):  # type: ignore[no-untyped-def]
        real_update(self, task_id, **kw)
        if "description" in kw:
            seen.extend(c.render(self.tasks[0]).plain for c in self.columns[:1])  # type: ignore[union-attr]

    monkeypatch.setattr(Progress, "update", update)
    db = str(tmp_path / "db")
    assert cli.main(["feeds", "add", feed_server.url("/rss"), "--name", name, "--db", db]) == 0
    assert cli.main(["fetch", "--no-analyse", "--db", db]) == 0
    assert any(name in line for line in seen), seen
