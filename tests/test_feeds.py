"""Feeds end to end: refresh from a local news site built from the seeds, dedupe,
failures that stay one line, OPML, and the ``feeds``/``fetch`` commands.

Everything talks to a ``ThreadingHTTPServer`` on 127.0.0.1 that the fixtures start
(``tests/feedserver.py``); nothing here touches the internet.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from reader import cli
from reader.analysis.stories import regroup
from reader.ingest.feeds.html_text import html_to_text
from reader.ingest.feeds.parse import FeedError, parse_feed
from reader.ingest.feeds.refresh import refresh_feeds
from reader.ingest.http import Limits
from reader.ingest.opml import OpmlError, export_opml, parse_opml
from reader.models import Feed
from reader.store import Store
from tests.feedserver import (
    FeedServer,
    Route,
    SeedSite,
    article_page,
    drip,
    feed_server,
    rss,
    seed_site,
)

__all__ = ["feed_server", "seed_site"]  # fixtures, imported for pytest

pytestmark = pytest.mark.network

FAST = Limits(connect_timeout=2, read_timeout=2, deadline=5, max_bytes=1024 * 1024)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Belt and braces: even a command without --db must not reach the user's files.
    monkeypatch.setenv("PARALLAX_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("PARALLAX_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "feeds.db")
    yield s
    s.close()


def subscribe(store: Store, site: SeedSite) -> dict[str, Feed]:
    out = {}
    for path, (outlet, _files) in site.feeds.items():
        out[path], _ = store.add_feed(site.feed_url(path), outlet)
    return out


def page_hits(server: FeedServer) -> int:
    return sum(1 for path, _ in server.requests if path.endswith(".html"))


# -- refresh --------------------------------------------------------------------------


def test_fresh_refresh_stores_seed_articles_and_groups_the_event(
    store: Store, seed_site: SeedSite
) -> None:
    subscribe(store, seed_site)
    events = []
    report = refresh_feeds(store, progress=events.append)
    assert [r.status for r in report.results] == ["ok", "ok", "ok"]
    assert report.new == 4 and not report.errors
    assert {e.stage for e in events} == {"fetching", "pages", "done"}
    assert events[-1].feeds_done == 3 == events[-1].feeds_total

    articles = {a.url.rsplit("/", 1)[-1]: a for a in store.all_articles()}
    assert set(articles) == {"story-001.html", "story-002.html", "story-003.html", "story-004.html"}
    wapo = articles["story-003.html"]
    assert wapo.outlet == "The Washington Post"
    assert wapo.title.startswith("U.S. will close American embassy in Ukraines capital")
    assert wapo.published == date(2022, 2, 14)
    assert articles["story-004.html"].published == date(2022, 1, 18)
    assert articles["story-004.html"].outlet == "JEN"
    # The page was downloaded and extracted: far more than the feed's one-paragraph summary,
    # with the page furniture (nav, footer) left out.
    seed_paragraphs = seed_site.pages["/rferl/2022-02-14/story-002.html"].paragraphs
    rferl = articles["story-002.html"]
    assert seed_paragraphs[1][:80] in rferl.text and seed_paragraphs[-1][:60] in rferl.text
    assert "Copyright test outlet" not in rferl.text and "Home" not in rferl.text.split("\n")[0]
    assert rferl.feed_id is not None and rferl.guid == "rferl-002"

    stories = regroup(store)
    by_article = {aid: s.id for s in stories for aid in s.article_ids}
    same_event = {by_article[articles[f"story-00{n}.html"].id] for n in (1, 2, 3)}
    assert len(same_event) == 1
    assert by_article[articles["story-004.html"].id] not in same_event


def test_unchanged_refresh_costs_one_304_per_feed(store: Store, seed_site: SeedSite) -> None:
    subscribe(store, seed_site)
    refresh_feeds(store)
    server = seed_site.server
    server.reset()
    report = refresh_feeds(store)
    assert [r.status for r in report.results] == ["unchanged"] * 3
    assert report.new == 0
    assert len(server.requests) == 3 and page_hits(server) == 0
    assert all("If-None-Match" in headers for _, headers in server.requests)
    assert {f.last_status for f in store.feeds()} == {"unchanged"}


def test_feed_without_validators_downloads_no_known_page(store: Store, seed_site: SeedSite) -> None:
    subscribe(store, seed_site)
    refresh_feeds(store)
    for path in seed_site.feeds:  # a server that ignores conditional GETs
        route = seed_site.server.routes[path]
        route.etag = route.last_modified = None
    seed_site.server.reset()
    report = refresh_feeds(store)
    assert [r.status for r in report.results] == ["ok"] * 3
    assert report.new == 0 and sum(r.skipped for r in report.results) == 4
    assert page_hits(seed_site.server) == 0


def test_failing_feeds_leave_a_reason_and_the_rest_intact(
    store: Store, seed_site: SeedSite
) -> None:
    subscribe(store, seed_site)
    server = seed_site.server
    server.add("/gone.xml", b"nope", status=404)
    server.add("/broken.xml", b"Traceback (most recent call last):\n  boom", status=500)
    server.add("/html.xml", article_page("A page", ["Not a feed at all, but a web page."]))
    server.add(
        "/bad.xml",
        b"<?xml version='1.0'?><rss><channel><item><title>x</ti",
        content_type="application/rss+xml",
    )
    for path in ("/gone.xml", "/broken.xml", "/html.xml", "/bad.xml"):
        store.add_feed(server.url(path), path.strip("/"))
    report = refresh_feeds(store)
    reasons = {r.name: r.error for r in report.results if r.status == "error"}
    assert reasons["gone.xml"] == "HTTP 404 Not Found"
    assert reasons["broken.xml"] == "HTTP 500 Internal Server Error"
    assert reasons["html.xml"] == "not a feed (HTML page)"
    assert reasons["bad.xml"].startswith("malformed feed: ")
    assert all("\n" not in reason for reason in reasons.values())
    assert report.new == 4 and not report.all_failed
    stored = {f.name: (f.last_status, f.last_error) for f in store.feeds()}
    assert stored["gone.xml"] == ("error", "HTTP 404 Not Found")
    assert stored["RFE/RL"] == ("ok", None)


def test_slow_feed_hits_the_deadline_and_others_finish(store: Store, seed_site: SeedSite) -> None:
    subscribe(store, seed_site)
    seed_site.server.routes["/slow.xml"] = Route(handler=drip(b"<rss>" + b" " * 200, 0.05))
    store.add_feed(seed_site.server.url("/slow.xml"), "Slow")
    report = refresh_feeds(
        store, feed_limits=Limits(connect_timeout=1, read_timeout=1, deadline=0.6), page_limits=FAST
    )
    slow = next(r for r in report.results if r.name == "Slow")
    assert slow.error == "timed out after 0.6 s"
    assert report.new == 4


def test_page_failure_falls_back_to_the_feed_text(store: Store, feed_server: FeedServer) -> None:
    body = "<p>First paragraph of the feed's own text.</p><p>Second &amp; last one.</p>"
    feed = rss(
        "Outlet",
        [
            {
                "title": "Only in the feed",
                "link": feed_server.url("/missing.html"),
                "guid": "g1",
                "pubDate": "Mon, 14 Feb 2022 10:00:00 GMT",
                "description": body,
            }
        ],
    )
    store.add_feed(feed_server.add("/f.xml", feed, content_type="application/rss+xml"), "Outlet")
    report = refresh_feeds(store, page_limits=FAST)
    assert report.results[0].new == 1 and report.results[0].pages_failed == 1
    (article,) = store.all_articles()
    assert article.text == "First paragraph of the feed's own text.\n\nSecond & last one."
    assert article.published == date(2022, 2, 14)


def test_no_pages_keeps_to_the_feed(store: Store, seed_site: SeedSite) -> None:
    subscribe(store, seed_site)
    report = refresh_feeds(store, pages=False)
    assert report.new == 4 and page_hits(seed_site.server) == 0
    texts = [a.text for a in store.all_articles()]
    assert all(text.count("\n") <= 1 for text in texts)  # the one-paragraph summaries


def test_non_utf8_page_is_decoded_by_its_declared_charset(
    store: Store, feed_server: FeedServer
) -> None:
    paragraphs = [
        "Le ministère des Affaires étrangères a annoncé lundi que l'ambassade déménageait "
        "à Lviv, dans l'ouest du pays, où la sécurité paraît meilleure pour le personnel.",
        "Selon le porte-parole, la décision a été prise après un examen approfondi de la "
        "situation à Kiev, où les diplomates étrangers se préparent à partir.",
    ]
    page = article_page("L'ambassade déménage à Lviv", paragraphs, charset="iso-8859-1")
    assert "é".encode("iso-8859-1") in page
    feed_server.add("/fr.html", page, content_type="text/html; charset=ISO-8859-1")
    ru = [
        "Министерство иностранных дел объявило в понедельник, что посольство переезжает "
        "во Львов, на запад страны, из соображений безопасности сотрудников."
    ]
    feed_server.add(
        "/ru.html", article_page("Посольство", ru, charset="windows-1251"), content_type="text/html"
    )  # declared only in the page's <meta>
    items = [
        {
            "title": "Ambassade",
            "link": feed_server.url("/fr.html"),
            "guid": "fr",
            "pubDate": "Mon, 14 Feb 2022 10:00:00 GMT",
        },
        {
            "title": "Посольство",
            "link": feed_server.url("/ru.html"),
            "guid": "ru",
            "pubDate": "Mon, 14 Feb 2022 11:00:00 GMT",
        },
    ]
    store.add_feed(feed_server.add("/f.xml", rss("Intl", items), content_type="text/xml"), "Intl")
    refresh_feeds(store, page_limits=FAST)
    texts = {a.guid: a.text for a in store.all_articles()}
    assert "Le ministère des Affaires étrangères a annoncé lundi" in texts["fr"]
    assert "посольство переезжает во Львов" in texts["ru"]


def test_gzip_feed_and_name_from_the_feed_title(store: Store, feed_server: FeedServer) -> None:
    feed = rss(
        "Gzip Gazette",
        [
            {
                "title": "Compressed",
                "link": feed_server.url("/p.html"),
                "guid": "z1",
                "pubDate": "Mon, 14 Feb 2022 10:00:00 GMT",
                "description": "Squeezed text.",
            }
        ],
    )
    feed_server.routes["/z.xml"] = Route(
        body=gzip.compress(feed.encode()),
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )
    store.add_feed(feed_server.url("/z.xml"), "")  # added without --name
    report = refresh_feeds(store, pages=False)
    assert report.results[0].new == 1
    assert store.all_articles()[0].outlet == "Gzip Gazette"


def test_cancelled_refresh_stores_nothing(store: Store, seed_site: SeedSite) -> None:
    subscribe(store, seed_site)
    report = refresh_feeds(store, cancelled=lambda: True)
    assert {r.status for r in report.results} == {"cancelled"}
    assert store.all_articles() == [] and seed_site.server.requests == []


# -- parsing --------------------------------------------------------------------------


def test_parse_feed_checks_links_dates_and_caps_entries() -> None:
    items = [
        {
            "title": "JS",
            "link": "javascript:alert(1)",
            "guid": "a",
            "description": "kept as text",
            "pubDate": "Mon, 14 Feb 9999 10:00:00 GMT",
        },
        {"title": "File", "link": "file:///etc/passwd", "guid": "b"},
        {
            "title": "Ok",
            "link": "https://example.org/ok",
            "guid": "c",
            "pubDate": "Mon, 14 Feb 2022 10:00:00 GMT",
        },
        {
            "title": "Ancient",
            "link": "https://example.org/old",
            "guid": "d",
            "pubDate": "Sat, 14 Feb 1970 10:00:00 GMT",
        },
    ]
    parsed = parse_feed(rss("T", items).encode(), "application/rss+xml")
    by_guid = {i.guid: i for i in parsed.items}
    assert by_guid["a"].url is None and by_guid["a"].published is None
    assert "b" not in by_guid  # no usable link and no text: nothing to store
    assert by_guid["c"].url == "https://example.org/ok"
    assert by_guid["c"].published == date(2022, 2, 14)
    assert by_guid["d"].published is None

    many = [
        {"title": f"n{i}", "link": f"https://example.org/{i}", "guid": f"g{i}"} for i in range(600)
    ]
    assert len(parse_feed(rss("T", many).encode()).items) == 500


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response (no feed)"),
        (b"<!DOCTYPE html><html><body><p>hi</p></body></html>", "not a feed (HTML page)"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "malformed feed: declares XML entities (refused)",
        ),
        (b"\x00\x01garbage that is not xml", "malformed feed: "),
    ],
    ids=["empty", "html", "billion-laughs", "garbage"],
)
def test_parse_feed_refuses(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as err:
        parse_feed(body)
    assert str(err.value).startswith(reason)


def test_feed_strings_are_sanitized() -> None:
    items = [
        {
            "title": "Evil \x1b[2J title",
            "link": "https://example.org/e",
            "guid": "e",
            "description": "<p>body\x1b]8;;file:///x\x07 text</p><script>alert(1)</script>",
        }
    ]
    (item,) = parse_feed(rss("T", items).encode()).items
    assert "\x1b" not in item.title and "\x1b" not in item.text
    assert "alert" not in item.text


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>One &amp; two</p><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"
    assert html_to_text("plain") == "plain"


# -- OPML -----------------------------------------------------------------------------


def test_opml_round_trip() -> None:
    feeds = [
        Feed(1, "https://a.example/rss?x=1&y=2", 'A & "B" <news>'),
        Feed(2, "http://c.example/atom.xml", "C"),
    ]
    parsed = parse_opml(export_opml(feeds).encode("utf-8"))
    assert [(f.url, f.title) for f in parsed] == [(f.url, f.name) for f in feeds]


def test_opml_nested_outlines_and_text_titles() -> None:
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="World"><outline text="Europe">
        <outline text="DW" type="rss" xmlUrl="https://dw.example/rss"/>
      </outline></outline>
      <outline title="RFE" text="ignored" xmlUrl="https://rfe.example/feed"/>
      <outline text="DW again" xmlUrl="https://dw.example/rss"/>
    </body></opml>"""
    parsed = parse_opml(data)
    assert [(f.url, f.title, f.category) for f in parsed] == [
        ("https://dw.example/rss", "DW", "World/Europe"),
        ("https://rfe.example/feed", "RFE", ""),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>'
            b"<opml><body><outline text='&b;' xmlUrl='http://x/'/></body></opml>",
            "DOCTYPE",
        ),
        (b'<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>', "DOCTYPE"),
        (b"<html><body/></html>", "not an OPML file"),
        (b"<opml><body>", "not a readable OPML file"),
        (b"<opml>" + b" " * (3 * 1024 * 1024) + b"</opml>", "larger than 2 MB"),
    ],
    ids=["billion-laughs", "external-dtd", "not-opml", "truncated", "too-big"],
)
def test_opml_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        parse_opml(data)


# -- CLI ------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_feeds_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    code, out, err = run(
        capsys, "feeds", "add", "https://example.org/rss", "--name", "Ex", "--db", db
    )
    assert code == 0 and "added feed 1: Ex" in out
    code, out, _ = run(capsys, "feeds", "add", "https://example.org/rss", "--db", db)
    assert code == 0 and out.startswith("already subscribed: 1 Ex")

    code, out, err = run(capsys, "feeds", "add", "ftp://example.org/rss", "--db", db)
    assert code == 1 and out == ""
    assert (
        err
        == "parallax: unsupported URL scheme 'ftp' in ftp://example.org/rss (only http and https)\n"
    )

    code, out, _ = run(capsys, "feeds", "list", "--db", db)
    assert out.splitlines() == [
        "id\tname\turl\tstatus\terror\tarticles",
        "1\tEx\thttps://example.org/rss\tnever fetched\t\t0",
    ]
    code, out, err = run(capsys, "feeds", "remove", "nope", "--db", db)
    assert (code, err) == (1, "parallax: no feed matches 'nope' (see parallax feeds list)\n")
    code, out, _ = run(capsys, "feeds", "remove", "Ex", "--db", db)
    assert code == 0 and out.startswith("removed feed 1: Ex")
    code, out, _ = run(capsys, "feeds", "list", "--db", db)
    assert out == "id\tname\turl\tstatus\terror\tarticles\n"


def test_cli_opml_import_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="News">'
        '<outline text="One" xmlUrl="https://one.example/rss"/>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Two" xmlUrl="http://two.example/atom"/></outline></body></opml>',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "feeds", "import", str(opml), "--db", db)
    assert code == 0
    assert out == "imported 2 feeds from subs.opml (0 already subscribed, 1 skipped)\n"
    assert "unsupported URL scheme 'javascript'" in err
    target = tmp_path / "out.opml"
    code, _, _ = run(capsys, "feeds", "export", "-o", str(target), "--db", db)
    assert code == 0
    assert [(f.url, f.title) for f in parse_opml(target.read_bytes())] == [
        ("https://one.example/rss", "One"),
        ("http://two.example/atom", "Two"),
    ]
    code, out, _ = run(capsys, "feeds", "export", "--db", db)
    assert out.startswith("<?xml") and "https://one.example/rss" in out

    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<!DOCTYPE x [<!ENTITY a "a">]><opml/>', encoding="utf-8")
    code, _, err = run(capsys, "feeds", "import", str(bomb), "--db", db)
    assert code == 1 and err.count("\n") == 1 and "refused" in err
    code, _, err = run(capsys, "feeds", "import", str(tmp_path / "none.opml"), "--db", db)
    assert code == 1 and "cannot read" in err


def test_cli_fetch_and_unchanged_refetch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_site: SeedSite
) -> None:
    db = str(tmp_path / "cli.db")
    for path, (outlet, _) in seed_site.feeds.items():
        run(capsys, "feeds", "add", seed_site.feed_url(path), "--name", outlet, "--db", db)
    seed_site.server.add("/gone.xml", b"", status=404)
    run(capsys, "feeds", "add", seed_site.server.url("/gone.xml"), "--name", "Gone", "--db", db)

    code, out, err = run(capsys, "fetch", "--no-analyze", "--db", db)
    assert code == 1, err  # one feed failed (issue 16: 0 only when every feed did its job)
    lines = out.splitlines()
    assert "failed\tGone: HTTP 404 Not Found" in lines
    assert "ok\tJEN: 2 new, 0 already stored" in lines
    assert lines[-1] == "4 new articles from 4 feeds; 1 failed"

    code, out, _ = run(capsys, "feeds", "list", "--db", db)
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert [
        "4",
        "Gone",
        seed_site.server.url("/gone.xml"),
        "error",
        "HTTP 404 Not Found",
        "0",
    ] in rows
    assert any(r[1] == "JEN" and r[3] == "ok" and r[5] == "2" for r in rows)

    seed_site.server.reset()
    code, out, _ = run(capsys, "fetch", "--no-analyze", "--db", db)
    assert code == 1 and "unchanged\tRFE/RL: unchanged" in out.splitlines()
    assert page_hits(seed_site.server) == 0


def test_cli_fetch_offline_says_unreachable_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    db = str(tmp_path / "cli.db")
    ports = []
    for _ in range(2):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        ports.append(s.getsockname()[1])
        s.close()
    for n, port in enumerate(ports):
        run(capsys, "feeds", "add", f"http://127.0.0.1:{port}/rss", "--name", f"F{n}", "--db", db)
    code, out, err = run(capsys, "fetch", "--db", db)
    assert code == 1
    assert sorted(out.splitlines()[:2]) == [
        f"failed\tF{n}: unreachable: connection refused by 127.0.0.1" for n in range(2)
    ]
    assert err == "parallax: every feed failed to refresh; the library is unchanged\n"
    code, out, _ = run(capsys, "list", "--db", db)  # the cached library still works
    assert code == 0 and len(out.splitlines()) == 6  # header + the five seeds


def test_cli_fetch_without_feeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "fetch", "--db", str(tmp_path / "cli.db"))
    assert code == 0 and "no feeds yet" in err


def test_content_keeps_prose_and_drops_non_prose_elements() -> None:
    """feedparser's sanitizer is off; html_to_text alone keeps script, style, svg out."""
    from reader.ingest.feeds.html_text import html_to_text

    html = (
        "<p>The embassy moves to Lviv.</p><script>alert('x')</script>"
        "<style>p{color:red}</style><svg><text>chart label</text></svg>"
        "<iframe>fallback</iframe><p>Officials <b>said</b> so.</p>"
    )
    assert html_to_text(html) == "The embassy moves to Lviv.\n\nOfficials said so."
