"""A local HTTP server for feed tests, and a news site built from the seed articles.

Owns: ``FeedServer`` (a ``ThreadingHTTPServer`` on 127.0.0.1, port 0, serving
routes a test declares, answering conditional GETs with 304 and counting every
request), ``build_seed_site`` (three outlets' RSS/Atom feeds whose items link to
HTML pages carrying the seed articles' paragraphs) and the pytest fixtures
``feed_server`` and ``seed_site``. Must not: touch the internet or any real
user's files. Import the fixtures into a test module with
``from tests.feedserver import feed_server, seed_site  # noqa: F401``.
"""

from __future__ import annotations

import gzip
import html
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        owner._record(self.path, dict(self.headers.items()))
        with owner._lock:
            owner.host_headers.append(self.headers.get_all("Host") or [])
            owner.peers.append(self.client_address[1])
        route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self._send(404, b"not here", "text/plain", {})
            return
        if route.handler is not None:
            route.handler(self)
            return
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (route.etag and inm == route.etag) or (
            route.last_modified and ims == route.last_modified and not inm
        ):
            self.send_response(304)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        self._send(route.status, route.body, route.content_type, headers)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many feeds at once: a backlog of 5 drops SYNs (1 s retries)
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (a cap or a deadline did it): not news


class FeedServer:
    """Routes by path; ``hits(path)`` counts requests; ``requests`` keeps (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.host_headers: list[list[str]] = []  # every Host header of each request
        self.peers: list[int] = []  # the client's port per request: one per connection
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, body: bytes | str = b"", **kw: object) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def _record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((path, headers))

    def hits(self, path: str | None = None, prefix: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for p, _ in self.requests
                if (path is None or p == path) and (prefix is None or p.startswith(prefix))
            )

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.host_headers.clear()
            self.peers.clear()

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- special responses -------------------------------------------------------------


def drip(body: bytes, interval: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that sends ``body`` one byte every ``interval`` seconds."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        try:
            for i in range(len(body)):
                req.wfile.write(body[i : i + 1])
                req.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass

    return handle


def stall(seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that says nothing for ``seconds`` (then gives up)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        req.close_connection = True

    return handle


def gzipped(body: bytes, ctype: str) -> Route:
    return Route(body=gzip.compress(body), content_type=ctype, headers={"Content-Encoding": "gzip"})


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, headers={"Location": location}, content_type="text/plain")


# -- building feeds and pages --------------------------------------------------------


def rss(title: str, items: list[dict[str, str]], link: str = "http://127.0.0.1/") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link>",
        "<description>test feed</description>",
    ]
    for it in items:
        out.append("<item>")
        out.append(f"<title>{html.escape(it['title'])}</title>")
        if it.get("link"):
            out.append(f"<link>{html.escape(it['link'])}</link>")
        out.append(f'<guid isPermaLink="false">{html.escape(it.get("guid") or it["link"])}</guid>')
        if it.get("pubDate"):
            out.append(f"<pubDate>{it['pubDate']}</pubDate>")
        if it.get("description"):
            out.append(f"<description>{html.escape(it['description'])}</description>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(title: str, items: list[dict[str, str]]) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{html.escape(title)}</title><id>urn:test:{html.escape(title)}</id>",
        "<updated>2022-02-14T18:00:00Z</updated>",
    ]
    for it in items:
        out.append("<entry>")
        out.append(f"<title>{html.escape(it['title'])}</title>")
        out.append(f'<link rel="alternate" href="{html.escape(it["link"], quote=True)}"/>')
        out.append(f"<id>{html.escape(it.get('guid') or it['link'])}</id>")
        out.append(f"<updated>{it['updated']}</updated>")
        if it.get("summary"):
            out.append(f'<summary type="html">{html.escape(it["summary"])}</summary>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out)


def article_page(
    title: str, paragraphs: list[str], charset: str = "utf-8", published: str = "2022-02-14"
) -> bytes:
    """A news page: navigation furniture around an <article> of <p>s."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{html.escape(title)}</title>
<meta property="article:published_time" content="{published}T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main><article>
<h1>{html.escape(title)}</h1>
{body}
</article></main>
<footer><p>Copyright test outlet</p></footer>
</body></html>"""
    return page.encode(charset)


@dataclass(frozen=True)
class SeedArticle:
    file: str
    outlet: str
    title: str
    published: date
    paragraphs: tuple[str, ...]


def seed_articles() -> list[SeedArticle]:
    from reader.sanitize import clean_text, derive_title

    meta = tomllib.loads((SEEDS / "seeds.toml").read_text(encoding="utf-8"))
    out = []
    for entry in meta["seed"]:
        text = clean_text((SEEDS / entry["file"]).read_text(encoding="utf-8"))
        paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
        out.append(
            SeedArticle(
                entry["file"],
                entry["outlet"],
                entry.get("title") or derive_title(text),
                entry["published"],
                paragraphs,
            )
        )
    return out


@dataclass(frozen=True)
class SeedSite:
    """Three outlets on the local server: {feed path: (outlet, [seed files])}."""

    server: FeedServer
    feeds: dict[str, tuple[str, tuple[str, ...]]]
    pages: dict[str, SeedArticle]  # page path -> article

    def feed_url(self, path: str) -> str:
        return self.server.url(path)


def _rfc822(d: date, hour: int) -> str:
    return f"{d.strftime('%a, %d %b %Y')} {hour:02d}:00:00 GMT"


def build_seed_site(server: FeedServer) -> SeedSite:
    """RFE/RL (RSS: seed 002), The Washington Post (Atom: seed 003) and JEN (RSS:
    seed 001 and the earlier AFP story 004, as a second, unrelated item)."""
    seeds = {s.file[:3]: s for s in seed_articles()}
    layout = {
        "/rferl/rss.xml": ("RFE/RL", ("002",), "rss"),
        "/wapo/atom.xml": ("The Washington Post", ("003",), "atom"),
        "/jen/feed.rss": ("JEN", ("001", "004"), "rss"),
    }
    feeds: dict[str, tuple[str, tuple[str, ...]]] = {}
    pages: dict[str, SeedArticle] = {}
    for path, (outlet, keys, kind) in layout.items():
        slug = path.split("/")[1]
        items = []
        for n, key in enumerate(keys):
            art = seeds[key]
            page_path = f"/{slug}/{art.published.isoformat()}/story-{key}.html"
            server.add(
                page_path,
                article_page(art.title, list(art.paragraphs), published=art.published.isoformat()),
            )
            pages[page_path] = art
            link = server.url(page_path)
            summary = art.paragraphs[0] if art.paragraphs else ""
            if kind == "rss":
                items.append(
                    {
                        "title": art.title,
                        "link": link,
                        "guid": f"{slug}-{key}",
                        "pubDate": _rfc822(art.published, 9 + n),
                        "description": summary,
                    }
                )
            else:
                items.append(
                    {
                        "title": art.title,
                        "link": link,
                        "updated": f"{art.published.isoformat()}T1{n}:00:00Z",
                        "summary": summary,
                    }
                )
        body = rss(outlet, items) if kind == "rss" else atom(outlet, items)
        ctype = "application/rss+xml; charset=utf-8" if kind == "rss" else "application/atom+xml"
        server.add(
            path,
            body,
            content_type=ctype,
            etag=f'"{slug}-v1"',
            last_modified="Mon, 14 Feb 2022 18:00:00 GMT",
        )
        feeds[path] = (outlet, tuple(a.file for a in (seeds[k] for k in keys)))
    return SeedSite(server, feeds, pages)


# -- fixtures ------------------------------------------------------------------------


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def seed_site(feed_server: FeedServer) -> SeedSite:
    return build_seed_site(feed_server)
