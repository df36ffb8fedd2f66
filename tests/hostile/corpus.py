"""Builds the hostile corpus: feed and page bodies and misbehaving HTTP handlers.

Owns: the payloads (terminal escapes raw and as character references, C1 controls,
bidi/zero-width/tag characters, Rich/Textual markup), the XML attacks (billion
laughs, quadratic blowup, external entities and DTDs), the big inputs (50,000
entries, a 30 MB page, a 1 GiB gzip bomb, a 1 MB title, 3,000 nested divs) and the
hostile servers (drip, hang, redirect loop, Content-Length lies, truncated chunks,
escapes in the reason phrase and headers, 500 headers, 429 with a thirty-year
Retry-After), and ``install``, which puts every case on a ``tests.feedserver``
``FeedServer`` and says what a refresh must make of each.

Must not: touch the internet, write files, or hold the big cases whole in memory
(the bomb and the 30 MB page are produced chunk by chunk by their handlers).
"""

from __future__ import annotations

import html
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.feedserver import FeedServer, Route, redirect, stall

Handler = Callable[[BaseHTTPRequestHandler], None]

# -- payloads ------------------------------------------------------------------------

# Every OSC/DCS payload carries PWNED: the sanitizer must remove sequences *whole*,
# so the word must never be stored from a raw-escape case.
ESCAPES: dict[str, str] = {
    "csi-clear-screen": "\x1b[2J\x1b[H",
    "csi-colour": "\x1b[31;1m",
    "osc52-clipboard-bel": "\x1b]52;c;UFdORUQgY2xpcGJvYXJk\x07",  # base64 "PWNED clipboard"
    "osc52-clipboard-st": "\x1b]52;p;PWNED\x1b\\",
    "osc8-hyperlink": "\x1b]8;;file:///etc/passwd?PWNED\x1b\\link text\x1b]8;;\x1b\\",
    "osc0-icon-and-title": "\x1b]0;PWNED title 0\x07",
    "osc2-window-title": "\x1b]2;PWNED title 2\x1b\\",
    "csi-device-attributes": "\x1b[c\x1b[>c",  # the terminal answers on stdin
    "csi-cursor-report": "\x1b[6n",  # so does DSR
    "dcs-decrqss": "\x1bP$qm\x1b\\",  # and DECRQSS
    "c1-csi": "\x9b2J",
    "c1-osc-title": "\x9d2;PWNED c1 title\x9c",
    "bel-nul-backspace": "\x07\x00\x08\x7f",
}
ALL_ESCAPES = "".join(ESCAPES.values())

# The same sequences spelled as numeric character references, for XML and HTML.
CHAR_REFS = (
    "&#x1b;]52;c;UkVGIGNsaXBib2FyZA==&#x07;"
    "&#27;[2J&#27;]2;REF title&#7;"
    "&#x9b;2J&#155;6n&#X1B;[c&#x9D;0;REF&#x9C;"
)

BIDI_AND_INVISIBLE = (
    "\u202egnp.exe\u202c "  # right-to-left override
    "\u2066isolate\u2069 "
    "pay\u200bpal\u200c.\u200dcom\u2060 "
    "\ufefftags\U000e0041\U000e0042\U000e007f"
)

MARKUP = (
    "[bold]bold[/bold] [/b] [@click=app.quit]quit[/] "
    "[link=file:///etc/passwd]passwd[/link] [$accent]accent[/] [Putin]"
)
MARKUP_LITERALS = ("[/b]", "[@click=app.quit]", "[link=file:///etc/passwd]", "[Putin]")

SENTENCE = (
    "Officials in the capital said on Monday that talks would continue through the week, "
    "while diplomats from several countries urged restraint and more dialogue."
)


def hostile_paragraphs(payload: str, n: int = 8) -> list[str]:
    """Article paragraphs long enough for trafilatura, each carrying ``payload``."""
    return [f"Paragraph {i}: {SENTENCE} {payload} {SENTENCE}" for i in range(n)]


# -- feed and page bodies ----------------------------------------------------------------


def rss_raw(title: str, items: list[str], *, prolog: str = "", encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document from raw (unescaped) fragments: we decide what is escaped."""
    head = f'<?xml version="1.0" encoding="{encoding}"?>\n{prolog}'
    doc = (
        f'{head}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://127.0.0.1/</link><description>hostile</description>"
        + "".join(items)
        + "</channel></rss>"
    )
    return doc.encode("utf-8")


def item(
    title: str,
    guid: str,
    *,
    link: str | None = None,
    description: str = "",
    author: str = "",
    pub: str = "",
) -> str:
    parts = [f'<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>']
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if description:
        parts.append(f"<description>{description}</description>")
    if author:
        parts.append(f"<author>{author}</author>")
    if pub:
        parts.append(f"<pubDate>{pub}</pubDate>")
    parts.append("</item>")
    return "".join(parts)


def page_raw(title: str, paragraphs: list[str], *, charset: str = "utf-8") -> bytes:
    """An article page; the paragraphs go in as written (they may hold raw escapes or refs)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><main><article><h1>{title}</h1>\n{body}\n"
        f"</article></main><footer>footer</footer></body></html>"
    ).encode()


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">']
    for n in range(1, 10):
        levels.append(f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">')
    prolog = "<!DOCTYPE rss [\n" + "\n".join(levels) + "\n]>\n"
    return rss_raw("&lol9;", [item("&lol9;", "bl-1", description="&lol9;")], prolog=prolog)


def quadratic_blowup() -> bytes:
    prolog = '<!DOCTYPE rss [<!ENTITY a "' + "x" * 100_000 + '">]>\n'
    return rss_raw("quadratic", [item("q", "qb-1", description="&a;" * 10_000)], prolog=prolog)


def external_entity(target: str) -> bytes:
    prolog = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>\n'
    return rss_raw("&xxe;", [item("&xxe;", "xxe-1", description="&xxe; leaked")], prolog=prolog)


def external_dtd(target: str) -> bytes:
    """No ENTITY declared here: the DTD is fetched only if the parser resolves it (it must not)."""
    prolog = f'<!DOCTYPE rss SYSTEM "{target}">\n'
    return rss_raw(
        "external dtd",
        [item("dtd item", "dtd-1", description="a feed that names a DTD")],
        prolog=prolog,
    )


def utf16_billion_laughs() -> bytes:
    """Billion laughs encoded as UTF-16: a byte search for '<!ENTITY' alone would miss it."""
    doc = billion_laughs().decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    return doc.encode("utf-16")


def many_entries(n: int = 50_000) -> bytes:
    """About 3 MB: under the 5 MB feed cap, so the entry cap is what bounds the work."""
    items = [
        f'<item><guid isPermaLink="false">e{i}</guid><description>entry {i}</description></item>'
        for i in range(n)
    ]
    return rss_raw("fifty thousand", items)


def charset_lie() -> bytes:
    """UTF-8 bytes declared ISO-8859-1: U+201B (E2 80 9B) reads as 'â' + C1 + CSI (U+009B)."""
    text = "\u201bquoted\u201b \u2026 \u0090dcs \u009d2;PWNED lie\u009c"
    doc = rss_raw(
        f"lie {text}",
        [item(f"charset {text}", "lie-1", description=f"declared latin-1 {text} body text")],
        encoding="iso-8859-1",
    )
    return doc


def invalid_utf8() -> bytes:
    good = rss_raw("bad bytes", [item("TITLE", "bad-1", description="DESC text here")])
    return good.replace(b"TITLE", b"bad \xff\xfe\xc3\x28 \xed\xa0\x80 title").replace(
        b"DESC", b"desc \x80\x9b2J \xc2\x9b6n \xf8\x88\x80\x80\x80"
    )


# -- handlers --------------------------------------------------------------------------


def gzip_bomb(total: int = 1 << 30, ctype: str = "application/rss+xml") -> Handler:
    """``total`` bytes of zeros, gzip-compressed as they are sent (never held whole)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Encoding", "gzip")
        req.send_header("Connection", "close")
        req.end_headers()
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(1 << 20)
        try:
            for n in range(total >> 20):
                out = z.compress(zeros)
                if n % 4 == 3:
                    out += z.flush(zlib.Z_SYNC_FLUSH)
                if out:
                    req.wfile.write(out)
            req.wfile.write(z.flush())
        except OSError:
            pass
        req.close_connection = True

    return handle


def big_page(total: int = 30 * 1024 * 1024, *, declare_length: bool = False) -> Handler:
    """An HTML page of ``total`` bytes, written 64 kB at a time."""
    para = ("<p>" + "word " * 200 + "</p>\n").encode()

    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            req.send_header("Content-Length", str(total))
        req.send_header("Connection", "close")
        req.end_headers()
        chunk = para * (65536 // len(para))
        sent = 0
        try:
            req.wfile.write(b"<html><body><article>")
            while sent < total:
                req.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        req.close_connection = True

    return handle


def drip_forever(interval: float = 1.0) -> Handler:
    """A valid feed, one byte a second: every read succeeds, only a total deadline stops it."""
    body = rss_raw("drip", [item("drip", "d-1", description=SENTENCE * 20)])

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


def hang_after_headers(seconds: float) -> Handler:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("Content-Length", "1000")
        req.end_headers()
        req.wfile.flush()
        time.sleep(seconds)
        req.close_connection = True

    return handle


def raw_response(data: bytes) -> Handler:
    """Writes ``data`` as the whole response (status line and headers included), then closes."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        try:
            req.wfile.write(data)
            req.wfile.flush()
        except OSError:
            pass
        req.close_connection = True

    return handle


def _feed_ok() -> bytes:
    return rss_raw("fine feed", [item("fine item", "ok-1", description=SENTENCE)])


def content_length_longer() -> Handler:
    body = _feed_ok()
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        + f"Content-Length: {len(body) + 10_000}\r\nConnection: close\r\n\r\n".encode()
    )
    return raw_response(head + body)


def content_length_shorter() -> Handler:
    body = _feed_ok()
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        + f"Content-Length: {len(body) // 3}\r\nConnection: close\r\n\r\n".encode()
    )
    return raw_response(head + body)


def truncated_chunked() -> Handler:
    body = _feed_ok()
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    return raw_response(head + f"{len(body):x}\r\n".encode() + body[: len(body) // 2])


def escapes_in_reason() -> Handler:
    return raw_response(
        b"HTTP/1.1 503 Busy\x1b]2;PWNED\x07\x1b[2J\x9b6n\r\nContent-Length: 0\r\n\r\n"
    )


def escapes_in_headers() -> Handler:
    body = rss_raw("headers", [item("header item", "hdr-1", description="headers " + SENTENCE)])
    head = (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/rss+xml\x1b]52;c;UFdORUQ=\x07\r\n"
        b'ETag: "v1\x1b]2;PWNED\x07\x1b[2J"\r\n'
        b"Last-Modified: Mon, 14 Feb 2022 \x1b]0;PWNED\x07 18:00:00 GMT\r\n"
        b"X-Evil: \x1b[6n\x1b[c\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
    )
    return raw_response(head + body)


def escape_in_location() -> Handler:
    return raw_response(
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1/\x1b]2;PWNED\x07x\r\n"
        b"Content-Length: 0\r\n\r\n"
    )


def five_hundred_headers() -> Handler:
    body = _feed_ok()
    lines = b"".join(b"X-Junk-%d: %s\r\n" % (i, b"v" * 50) for i in range(500))
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        + lines
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    return raw_response(head + body)


THIRTY_YEARS = 30 * 365 * 24 * 3600


# -- the cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedCase:
    """One feed of the corpus and what a refresh must make of it.

    ``status`` is "ok" or "error"; ``reason`` a regex the feed's one-line
    ``last_error`` must match (errors only); ``min_new`` the articles it must add.
    """

    name: str
    path: str
    status: str
    reason: str = ""
    min_new: int = 0
    raw_escapes: bool = False  # PWNED must not survive (the sequences were raw)


@dataclass
class HostileSite:
    server: FeedServer
    cases: list[FeedCase]
    probes: dict[str, str]  # paths that must never be requested (XXE targets)

    def url(self, case: FeedCase) -> str:
        return self.server.url(case.path)


# Short limits for the corpus: the drip and the hangs cost seconds, not minutes.
DEADLINE = 4.0
READ_TIMEOUT = 2.5


def install(server: FeedServer) -> HostileSite:
    """Put every case on ``server`` under /h/…; return them with their expectations."""
    cases: list[FeedCase] = []
    add = server.add
    rss = "application/rss+xml"

    def feed(name: str, body: bytes, status: str = "ok", reason: str = "", **kw: object) -> None:
        path = f"/h/{name}.xml"
        add(path, body, content_type=rss)
        cases.append(FeedCase(name, path, status, reason, **kw))  # type: ignore[arg-type]

    def served(name: str, route: Route, status: str, reason: str = "", **kw: object) -> None:
        path = f"/h/{name}"
        server.routes[path] = route
        cases.append(FeedCase(name, path, status, reason, **kw))  # type: ignore[arg-type]

    base = server.base_url

    # Escapes, raw: in the channel title (the outlet's name), item titles, authors,
    # descriptions, and in the linked pages.
    raw_items = []
    for n, (label, seq) in enumerate(ESCAPES.items()):
        page = f"/h/pages/raw-{n}.html"
        add(page, page_raw(f"page {label}{seq}", hostile_paragraphs(f"{label}{seq}end")))
        raw_items.append(
            item(
                f"raw {label}{seq} title",
                f"raw-{n}{seq}",
                link=base + page,
                description=f"feed text {label}{seq} short",
                author=f"author{seq}",
            )
        )
    feed("escapes-raw", rss_raw(f"Outlet{ALL_ESCAPES}", raw_items), min_new=13, raw_escapes=True)

    # Escapes as character references: XML-level in titles, HTML-level in descriptions
    # (html_to_text decodes them) and in the pages (trafilatura decodes them).
    add("/h/pages/refs.html", page_raw("refs page", hostile_paragraphs(CHAR_REFS)))
    ref_items = [
        item(
            f"refs {CHAR_REFS} title",
            "refs-1",
            link=base + "/h/pages/refs.html",
            description=html.escape(f"html refs {CHAR_REFS} text"),
        ),
        item("cdata refs", "refs-2", description=f"<![CDATA[<p>cdata {CHAR_REFS} text</p>]]>"),
    ]
    feed("escapes-charrefs", rss_raw(f"Refs{CHAR_REFS}", ref_items), min_new=2)

    # C1 controls encoded properly as UTF-8, and the charset lie.
    c1 = "".join(chr(c) for c in range(0x80, 0xA0))
    add("/h/pages/c1.html", page_raw("c1 page", hostile_paragraphs(f"c1 {c1} end")))
    feed(
        "c1-controls",
        rss_raw(
            f"C1{c1}",
            [item(f"c1 {c1}", "c1-1", link=base + "/h/pages/c1.html", description=f"c1 text {c1}")],
        ),
        min_new=1,
    )
    feed("charset-lie", charset_lie(), min_new=1)
    lie_page = page_raw(
        "lie page",
        hostile_paragraphs("\u201bquoted\u201b \u2026 \u009d2;X\u009c"),
        charset="iso-8859-15",
    )
    add("/h/pages/lie.html", lie_page, content_type="text/html; charset=iso-8859-15")
    feed(
        "charset-lie-page",
        rss_raw(
            "lie page feed",
            [item("lie page", "lp-1", link=base + "/h/pages/lie.html", description="short")],
        ),
        min_new=1,
    )

    # Bidi, zero-width and tag characters; markup.
    add("/h/pages/bidi.html", page_raw("bidi", hostile_paragraphs(BIDI_AND_INVISIBLE)))
    feed(
        "bidi-invisible",
        rss_raw(
            f"Bidi {BIDI_AND_INVISIBLE}",
            [
                item(
                    f"bidi {BIDI_AND_INVISIBLE}",
                    "bidi-1",
                    link=base + "/h/pages/bidi.html",
                    description=f"bidi {BIDI_AND_INVISIBLE}",
                )
            ],
        ),
        min_new=1,
    )
    esc_markup = html.escape(MARKUP)
    add("/h/pages/markup.html", page_raw(esc_markup, hostile_paragraphs(esc_markup)))
    add("/h/pages/markup2.html", page_raw("markup two", hostile_paragraphs("[/b] " + esc_markup)))
    feed(
        "markup",
        rss_raw(
            f"{esc_markup} outlet",
            [
                item(
                    esc_markup,
                    "markup-1",
                    link=base + "/h/pages/markup.html",
                    description=esc_markup,
                    author=esc_markup,
                ),
                item(
                    "[/b] second " + esc_markup,
                    "markup-2",
                    link=base + "/h/pages/markup2.html",
                    description="second " + esc_markup,
                ),
            ],
        ),
        min_new=2,
    )

    # XML attacks.
    entities = "declares XML entities"
    feed("billion-laughs", billion_laughs(), "error", entities)
    feed("quadratic-blowup", quadratic_blowup(), "error", entities)
    probes = {"xxe": "/h/probe/xxe-target", "dtd": "/h/probe/evil.dtd"}
    add(probes["xxe"], b"SECRET-FROM-XXE", content_type="text/plain")
    add(probes["dtd"], b'<!ENTITY leak "SECRET-FROM-DTD">', content_type="application/xml-dtd")
    feed("xxe-file", external_entity("file:///etc/passwd"), "error", entities)
    feed("xxe-http", external_entity(base + probes["xxe"]), "error", entities)
    feed("external-dtd", external_dtd(base + probes["dtd"]), "ok", min_new=1)
    feed("billion-laughs-utf16", utf16_billion_laughs(), "error", entities)

    # Big inputs.
    feed("fifty-thousand-entries", many_entries(), "ok", min_new=500)
    mb = "T" * (1024 * 1024)
    feed(
        "title-1mb",
        rss_raw(mb, [item(mb, "big-title", description=mb[:1000] + " text")]),
        min_new=1,
    )
    server.routes["/h/pages/30mb.html"] = Route(handler=big_page())
    server.routes["/h/pages/30mb-declared.html"] = Route(handler=big_page(declare_length=True))
    server.routes["/h/pages/bomb.html"] = Route(handler=gzip_bomb(ctype="text/html"))
    nested = (
        "<html><body>"
        + "<div>" * 3000
        + "<p>"
        + SENTENCE * 5
        + "</p>"
        + "</div>" * 3000
        + "</body></html>"
    )
    add("/h/pages/nested.html", nested)
    feed(
        "big-pages",
        rss_raw(
            "big pages",
            [
                item(
                    "30 MB page",
                    "bp-1",
                    link=base + "/h/pages/30mb.html",
                    description="fallback text of the 30 MB page",
                ),
                item(
                    "30 MB page, declared",
                    "bp-2",
                    link=base + "/h/pages/30mb-declared.html",
                    description="fallback text of the declared 30 MB page",
                ),
                item(
                    "gzip bomb page",
                    "bp-3",
                    link=base + "/h/pages/bomb.html",
                    description="fallback text of the gzip bomb page",
                ),
                item(
                    "nested divs",
                    "bp-4",
                    link=base + "/h/pages/nested.html",
                    description="fallback text of the nested page",
                ),
            ],
        ),
        min_new=4,
    )
    served("gzip-bomb-feed", Route(handler=gzip_bomb()), "error", r"^response larger than")

    # Broken text and links.
    feed("invalid-utf8", invalid_utf8(), "ok", min_new=1)
    server.routes["/h/pages/to-file"] = redirect("file:///etc/passwd")
    server.routes["/h/pages/to-data"] = redirect("data:text/html,<script>alert(1)</script>")
    feed(
        "bad-links",
        rss_raw(
            "bad links",
            [
                item(
                    "javascript link",
                    "bl-js",
                    link="javascript:alert(document.cookie)",
                    description="item with a javascript link",
                ),
                item(
                    "file link",
                    "bl-file",
                    link="file:///etc/passwd",
                    description="item with a file link",
                ),
                item(
                    "data link",
                    "bl-data",
                    link="data:text/html;base64,PHNjcmlwdD4=",
                    description="item with a data link",
                ),
                item(
                    "redirect to file",
                    "bl-rfile",
                    link=base + "/h/pages/to-file",
                    description="item whose page redirects to file",
                ),
                item(
                    "redirect to data",
                    "bl-rdata",
                    link=base + "/h/pages/to-data",
                    description="item whose page redirects to data",
                ),
            ],
        ),
        min_new=5,
    )
    feed(
        "absurd-dates",
        rss_raw(
            "dates",
            [
                item(
                    "year zero",
                    "d-0",
                    description="dated year zero",
                    pub="Sat, 01 Jan 0000 00:00:00 GMT",
                ),
                item(
                    "year 9999",
                    "d-9999",
                    description="dated year 9999",
                    pub="Fri, 31 Dec 9999 23:59:59 GMT",
                ),
                item(
                    "30 February",
                    "d-feb30",
                    description="dated 30 February",
                    pub="Wed, 30 Feb 2022 10:00:00 GMT",
                ),
                item("negative", "d-neg", description="dated -0001", pub="-0001-01-01T00:00:00Z"),
                item(
                    "garbage date", "d-junk", description="dated garbage", pub="\x1b[2J yesterday"
                ),
            ],
        ),
        min_new=5,
    )
    feed("empty-body", b"", "error", r"^empty response \(no feed\)$")
    feed("whitespace-body", b" \n\t ", "error", r"^empty response \(no feed\)$")
    add(
        "/h/html-page.xml",
        page_raw("not a feed", hostile_paragraphs("html")),
        content_type="text/html",
    )
    cases.append(
        FeedCase("html-not-feed", "/h/html-page.xml", "error", r"^not a feed \(HTML page\)$")
    )
    feed("binary-garbage", bytes(range(256)) * 64, "error", r"^(malformed feed|not a feed)")

    # Hostile servers.
    served("drip", Route(handler=drip_forever(1.0)), "error", rf"^timed out after {DEADLINE:g} s$")
    served("hang-before-headers", Route(handler=stall(DEADLINE + 3)), "error", r"^timed out after")
    served(
        "hang-mid-body",
        Route(handler=hang_after_headers(DEADLINE + 3)),
        "error",
        r"^timed out after",
    )
    server.routes["/h/loop"] = redirect("/h/loop")
    cases.append(FeedCase("redirect-loop", "/h/loop", "error", r"^too many redirects"))
    server.routes["/h/ping"] = redirect("/h/pong", 301)
    server.routes["/h/pong"] = redirect("/h/ping", 308)
    cases.append(FeedCase("redirect-ping-pong", "/h/ping", "error", r"^too many redirects"))
    served(
        "redirect-to-file",
        redirect("file:///etc/passwd"),
        "error",
        r"^redirect to unsupported URL scheme 'file'",
    )
    served(
        "redirect-to-javascript",
        redirect("javascript:alert(1)"),
        "error",
        r"^redirect to unsupported URL scheme 'javascript'",
    )
    served(
        "redirect-to-data",
        redirect("data:application/rss+xml,<rss/>"),
        "error",
        r"^redirect to unsupported URL scheme 'data'",
    )
    served(
        "redirect-escape-location",
        Route(handler=escape_in_location()),
        "error",
        r"^redirect to an invalid URL: not a valid URL \(contains spaces or control",
    )
    served(
        "redirect-bad-ipv6",
        redirect("http://[::1/feed"),
        "error",
        r"^redirect to an invalid URL: http://\[::1/feed$",
    )
    served(
        "content-length-longer",
        Route(handler=content_length_longer()),
        "error",
        r"^connection closed before the response ended$",
    )
    served(
        "content-length-shorter",
        Route(handler=content_length_shorter()),
        "error",
        r"^malformed feed",
    )
    served(
        "truncated-chunked",
        Route(handler=truncated_chunked()),
        "error",
        r"^connection closed before the response ended$",
    )
    served("escapes-in-reason", Route(handler=escapes_in_reason()), "error", r"^HTTP 503 Busy")
    served("escapes-in-headers", Route(handler=escapes_in_headers()), "ok", min_new=1)
    served(
        "five-hundred-headers",
        Route(handler=five_hundred_headers()),
        "error",
        r"^bad HTTP response",
    )
    served(
        "retry-after-thirty-years",
        Route(
            status=429,
            body=b"slow down",
            content_type="text/plain",
            headers={"Retry-After": str(THIRTY_YEARS)},
        ),
        "error",
        r"^HTTP 429 Too Many Requests",
    )
    served(
        "retry-after-date-2055",
        Route(
            status=503,
            body=b"",
            content_type="text/plain",
            headers={"Retry-After": "Wed, 21 Oct 2055 07:28:00 GMT"},
        ),
        "error",
        r"^HTTP 503 Service Unavailable",
    )

    # Two feeds sharing GUIDs (different stories under the same ids).
    for side in ("a", "b"):
        add(
            f"/h/pages/shared-{side}.html",
            page_raw(f"shared {side}", hostile_paragraphs(f"story of feed {side}")),
        )
        feed(
            f"shared-guid-{side}",
            rss_raw(
                f"Shared {side}",
                [
                    item(
                        f"shared one from {side}",
                        "shared-guid-1",
                        link=base + f"/h/pages/shared-{side}.html",
                        description=f"feed {side} first text",
                    ),
                    item(
                        f"shared two from {side}",
                        "shared-guid-2",
                        description=f"feed {side} second text",
                    ),
                ],
            ),
            min_new=2,
        )
    return HostileSite(server, cases, probes)
