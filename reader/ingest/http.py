"""HTTP for feeds and article pages: the only module in Parallax that opens a socket.

Owns: ``Client`` (one per refresh: a urllib3 pool with keep-alive, one TLS context,
a cap on connections per host, proxies from the environment) and its ``fetch`` (one
GET with conditional validators), the module-level ``fetch`` for a single request,
``check_url`` (http and https only, at most ``MAX_URL`` characters) and ``wire_url``
(an IRI as it goes on the wire: IDNA host, percent-encoded path and query). Every
failure becomes a ``FetchError`` whose message is one sanitized line a user can read
("HTTP 404 Not Found", "timed out after 10 s", "too many redirects", "response
larger than 5 MB"); a 429 or 503 carries its bounded ``Retry-After`` as
``FetchError.retry_after``.

Why urllib3 (issue 16): it is already installed (trafilatura depends on it), it is
the transport under requests and pip, and it does the parts we got wrong by hand
(one ``Host`` header, which nginx insists on; chunked bodies; keep-alive pools; TLS
with one context; HTTP and HTTPS proxies with CONNECT). httpx would do the same
but adds four packages (httpcore, h11, anyio, sniffio) and its timeouts are per
phase too, so the total deadline below would still be ours. What stays ours, on
top of urllib3, is policy: the schemes, the URL cap, the size caps on the wire and
after decompression (our own decoder: it also refuses a gzip stream that ends
early, which urllib3 accepts), one total deadline per request covering DNS,
connecting, redirects and the body, the redirect cap (redirects are followed here,
hop by hop, so each hop is checked), the page policy (``page_of``: no private,
loopback, link-local, multicast or reserved addresses but the feed's own host)
and the wording of failures.

Why one module of ~950 lines: the transport is one policy. Every request passes the
same deadline, caps, redirect checks, page policy and wording of failures; split
apart, one contract would live in files that must always change together.

How the deadline and cancellation reach a blocked thread: urllib3 asks
``_Connection._new_conn`` for each new socket; ours resolves the host through the
client (a lookup thread we can stop waiting for, cached for the refresh), connects
to exactly the addresses the page policy checked, and registers the socket with the
request. A watchdog thread shuts down the sockets of a request whose deadline
passed, and every socket of the client once it is cancelled, so a dripping server
or a quit never waits for a timeout.

Must not: parse feeds or HTML, guess charsets (bodies are returned as bytes for
feedparser and trafilatura to decode), touch the store, or import anything heavy.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
import weakref
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.client import responses as _REASONS
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    EmptyPoolError,
    HTTPError,
    LocationParseError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from reader import __version__
from reader.sanitize import MAX_URL, clean_line

USER_AGENT = f"Parallax/{__version__} (terminal news reader; +https://github.com/parallax-reader)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RATE_LIMIT_CODES = frozenset({429, 503})
MAX_RETRY_AFTER = timedelta(hours=24)
"""A server's Retry-After is honoured up to this long (a bad date cannot stop a feed for good)."""
PER_HOST = 8
"""Connections to one host at once (a refresh's feed and page threads share them)."""
_CHUNK = 64 * 1024
_TICK = 0.05  # the watchdog's period: cancellation and deadlines act within this


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may cost. Seconds and bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 10.0  # the longest silence between two reads
    deadline: float = 30.0  # the whole request: DNS, connecting, redirects and body
    max_bytes: int = 5 * 1024 * 1024  # on the wire AND after decompression
    max_redirects: int = 5


FEED_LIMITS = Limits()
PAGE_LIMITS = Limits(max_bytes=10 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer: 2xx with a (decoded) body, or 304 with none."""

    url: str  # after redirects, as sent on the wire
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A request that failed; ``str(exc)`` is one sanitized line. ``retry_after``: when
    a 429/503 said to come back (UTC, at most ``MAX_RETRY_AFTER`` away)."""

    def __init__(self, reason: str, retry_after: datetime | None = None) -> None:
        super().__init__(clean_line(reason, 300) or "request failed")
        self.retry_after = retry_after


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(value: int) -> str:
    mb = value / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{value // 1024} kB"


def shown_url(url: str, limit: int = 120) -> str:
    """A URL shortened for a message (stored and fetched whole)."""
    return url if len(url) <= limit else url[: limit - 1] + "…"


def check_url(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host; else ``FetchError``."""
    url = (url or "").strip()
    if len(url) > MAX_URL:
        raise FetchError(f"URL longer than {MAX_URL // 1024} kB: {shown_url(url)}")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError(f"not a valid URL: {shown_url(url)}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(
            f"unsupported URL scheme {shown} in {shown_url(url)} (only http and https)"
        )
    if not parts.hostname:
        raise FetchError(f"not a valid URL (no host): {shown_url(url)}")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise FetchError(f"not a valid URL (bad port): {shown_url(url)}") from None
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        raise FetchError(
            f"not a valid URL (contains spaces or control characters): {shown_url(url)}"
        )
    return url


# Characters left as they are in a path or query (RFC 3986 pchar, plus "/" and "?"):
# everything else (non-ASCII, spaces, quotes) is UTF-8 percent-encoded, as browsers do.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _ascii_host(host: str) -> str:
    """A host name as DNS knows it: IDNA (UTS 46 mapping: fullwidth letters and
    capitals folded, as browsers do); IP literals as they are."""
    if host.isascii():
        return host.lower()
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise FetchError(f"not a valid host name: {host}") from None


def wire_url(url: str) -> str:
    """``url`` (checked) as it goes on the wire: the host in IDNA, path and query
    percent-encoded, no user info or fragment."""
    parts = urlsplit(check_url(url))
    host = _ascii_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    path = quote(_BARE_PERCENT.sub("%25", parts.path or "/"), safe=_PATH_SAFE)
    query = quote(_BARE_PERCENT.sub("%25", parts.query), safe=_QUERY_SAFE)
    return f"{parts.scheme.lower()}://{netloc}{path}" + (f"?{query}" if query else "")


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback,
    link-local, multicast, reserved or unspecified; IPv4-mapped IPv6 as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """A Retry-After header (seconds, or an HTTP date) as a UTC time at most
    ``MAX_RETRY_AFTER`` from ``now``; None when absent, past or unreadable."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=min(int(value[:12]), MAX_RETRY_AFTER.total_seconds()))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    if when <= now:
        return None
    return min(when, now + MAX_RETRY_AFTER).astimezone(UTC)


# -- one request's time: the deadline and its sockets ----------------------------------


class _Request:
    """One ``fetch``: its deadline (monotonic) and the sockets it opened."""

    def __init__(self, seconds: float, until: float | None) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        if until is not None and until < self.end:
            self.end = until
        self.expired = False
        self.socks: list[socket.socket] = []
        self.opened = 0  # sockets this request opened (0 after an attempt: it reused one)

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def over(self) -> bool:
        return self.expired or time.monotonic() >= self.end - 0.005

    def timed_out(self) -> FetchError:
        return FetchError(f"timed out after {_seconds(self.seconds)}")


_current = threading.local()  # .client, .request: the fetch running on this thread


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Lookup:
    """A DNS lookup on its own daemon thread, so waiting for it obeys the deadline."""

    def __init__(self, host: str, port: int) -> None:
        self.done = threading.Event()
        self.addresses: list[tuple] = []  # type: ignore[type-arg]
        self.error: OSError | None = None
        threading.Thread(
            target=self._run, args=(host, port), name="parallax-dns", daemon=True
        ).start()

    def _run(self, host: str, port: int) -> None:
        try:
            self.addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            self.error = exc
        self.done.set()


class _Connection(HTTPConnection):
    """urllib3's connection, with the socket opened by the running ``Client``."""

    def _new_conn(self) -> socket.socket:
        client: Client | None = getattr(_current, "client", None)
        request: _Request | None = getattr(_current, "request", None)
        if client is None or request is None:  # not through Client.fetch
            return super()._new_conn()
        return client._connect(self._dns_host, self.port or 80, self.timeout, request)


class _TLSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        client: Client | None = getattr(_current, "client", None)
        request: _Request | None = getattr(_current, "request", None)
        if client is None or request is None:
            return super()._new_conn()
        return client._connect(self._dns_host, self.port or 443, self.timeout, request)


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": _Pool, "https": _TLSPool}


def environment_proxies() -> dict[str, str]:
    """``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` (either case), as urllib reads them."""
    import urllib.request

    return {k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https", "no")}


class Client:
    """One refresh's HTTP: pooled connections (keep-alive, at most ``per_host`` to a
    host), one TLS context, DNS answers kept for the refresh, proxies from the
    environment. ``cancel()`` (or ``cancelled()`` turning true) makes every request
    in flight fail within ``_TICK`` seconds with "cancelled"."""

    def __init__(
        self,
        *,
        per_host: int = PER_HOST,
        proxies: dict[str, str] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._ssl: ssl.SSLContext | None = None  # one for the refresh, made on first use
        self._per_host = per_host
        self._proxies = environment_proxies() if proxies is None else proxies
        self._cancelled = cancelled
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._managers: dict[tuple[str | None, str], urllib3.PoolManager] = {}
        self._lookups: dict[tuple[str, int], _Lookup] = {}
        self._socks: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._requests: set[_Request] = set()
        self._watchdog: threading.Thread | None = None
        self._closed = False
        self.connections = 0  # sockets opened (tests and benchmarks: keep-alive at work)

    # -- lifetime ------------------------------------------------------------------
    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_cancelled(self) -> bool:
        if not self._cancel.is_set() and self._cancelled is not None and self._cancelled():
            self.cancel()
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop every request now (sockets shut down); later requests fail at once."""
        self._cancel.set()
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            managers = list(self._managers.values())
            self._managers.clear()
        for manager in managers:
            manager.clear()

    def _watch(self) -> None:
        """Deadlines and cancellation for blocked threads: shut their sockets down."""
        while True:
            with self._lock:
                if self._closed:
                    return
                requests = list(self._requests)
            if self.is_cancelled:
                return
            now = time.monotonic()
            for request in requests:
                if not request.expired and now >= request.end:
                    # Under the lock: a request that is handing its connection back to
                    # the pool detaches its sockets first (``_detach``), so a socket
                    # another request now uses is never shut down by mistake.
                    with self._lock:
                        request.expired = True
                        for sock in request.socks:
                            _shutdown(sock)
            time.sleep(_TICK)

    def _detach(self, request: _Request) -> None:
        """The request is done with its sockets (its connection goes back to the pool)."""
        with self._lock:
            request.socks.clear()

    def _start_watchdog(self) -> None:
        with self._lock:
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch, name="parallax-http-watch", daemon=True
                )
                self._watchdog.start()

    # -- connecting ----------------------------------------------------------------
    def _manager(self, proxy: str | None, scheme: str) -> urllib3.PoolManager:
        """The pools for ``scheme`` through ``proxy`` (None: direct). The TLS context
        (~80 ms of CPU to load the CA store) is made once, when first needed."""
        with self._lock:
            manager = self._managers.get((proxy, scheme))
            if manager is None:
                kw: dict[str, Any] = {"maxsize": self._per_host, "block": True}
                if scheme == "https" or (proxy or "").startswith("https:"):
                    if self._ssl is None:
                        self._ssl = ssl.create_default_context()
                    kw["ssl_context"] = self._ssl
                if proxy is None:
                    manager = urllib3.PoolManager(num_pools=256, **kw)
                else:
                    parts = urlsplit(proxy)
                    headers = None
                    if parts.username:
                        from urllib.parse import unquote

                        auth = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
                        headers = urllib3.make_headers(proxy_basic_auth=auth)
                    manager = urllib3.ProxyManager(
                        proxy, num_pools=256, proxy_headers=headers, **kw
                    )
                manager.pool_classes_by_scheme = _POOLS  # type: ignore[assignment]
                self._managers[(proxy, scheme)] = manager
            return manager

    def _proxy_for(self, scheme: str, host: str) -> str | None:
        proxy = self._proxies.get(scheme)
        if not proxy or _is_loopback(host):  # as browsers do: loopback is never proxied
            return None
        import urllib.request

        if urllib.request.proxy_bypass_environment(host, self._proxies):  # type: ignore[attr-defined]
            return None
        if "://" not in proxy:
            proxy = "http://" + proxy
        return proxy

    def resolve(self, host: str, port: int, request: _Request) -> list[tuple]:  # type: ignore[type-arg]
        """``getaddrinfo`` within the request's deadline (answers kept for the refresh)."""
        try:
            ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
        except ValueError:
            pass
        else:  # a literal: nothing to look up
            return socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
        key = (host, port)
        with self._lock:
            lookup = self._lookups.get(key)
            if lookup is None or (lookup.done.is_set() and lookup.error is not None):
                lookup = self._lookups[key] = _Lookup(host, port)
        while not lookup.done.wait(min(_TICK, max(0.0, request.remaining()))):
            if self.is_cancelled:
                raise FetchError("cancelled")
            if request.over():
                raise FetchError(f"timed out after {_seconds(request.seconds)} (resolving {host})")
        if lookup.error is not None or not lookup.addresses:
            raise FetchError(f"unreachable: cannot resolve host {host}")
        return lookup.addresses

    def _connect(self, host: str, port: int, timeout: object, request: _Request) -> socket.socket:
        addresses = self.resolve(host, port, request)
        connect_timeout = getattr(timeout, "connect_timeout", None)
        if not isinstance(connect_timeout, (int, float)):
            connect_timeout = timeout if isinstance(timeout, (int, float)) else None
        last: OSError | None = None
        for family, kind, proto, _name, address in addresses:
            if self.is_cancelled:
                raise FetchError("cancelled")
            left = request.remaining()
            if left <= 0:
                raise request.timed_out()
            sock = socket.socket(family, kind, proto)
            with self._lock:
                self._socks.add(sock)
                self.connections += 1
                request.opened += 1
                request.socks.append(sock)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(min(connect_timeout or left, left))
                sock.connect(address)
                return sock
            except TimeoutError:
                sock.close()
                if request.over():
                    raise request.timed_out() from None
                raise FetchError(
                    f"timed out connecting to {host} after {_seconds(connect_timeout or left)}"
                ) from None
            except OSError as exc:
                sock.close()
                last = exc
        if self.is_cancelled:
            raise FetchError("cancelled")
        if request.over():
            raise request.timed_out()
        raise FetchError(_describe_os_error(last or OSError("no address"), host))

    def _check_page_host(self, url: str, page_of: str, proxied: bool, request: _Request) -> None:
        """Page auto-fetch: refuse hosts on private, loopback, link-local, multicast or
        reserved addresses, unless the host is the feed's own (checked on every hop)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        own = urlsplit(wire_url(page_of)).hostname or ""
        if host == own:
            return
        try:
            addresses = [a[4][0] for a in self.resolve(host, parts.port or 80, request)]
        except FetchError:
            if proxied:  # the proxy resolves names this machine cannot
                return
            raise
        private = [a for a in addresses if not is_public_address(a)]
        if private:
            raise FetchError(
                f"refused: {host} is a private or local address ({private[0]}), "
                "not the feed's own host"
            )

    # -- the request -----------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        limits: Limits = FEED_LIMITS,
        accept: str = "*/*",
        until: float | None = None,
        page_of: str | None = None,
    ) -> Response:
        """GET ``url``; a 304 answer (when validators were given) has an empty body.

        ``until``: a ``time.monotonic()`` the request must end by (a feed's or a
        refresh's deadline), if sooner than ``limits.deadline``. ``page_of``: the URL
        of the feed this page belongs to (the page policy applies). Raises
        ``FetchError`` with a one-line reason for anything but 2xx/304.
        """
        check_url(url)
        if self.is_cancelled:
            raise FetchError("cancelled")
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = _Request(limits.deadline, until)
        if request.remaining() <= 0:
            raise request.timed_out()
        self._start_watchdog()
        with self._lock:
            self._requests.add(request)
        _current.client, _current.request = self, request
        try:
            return self._hops(url, headers, limits, request, etag or last_modified, page_of)
        finally:
            _current.client = _current.request = None
            with self._lock:
                self._requests.discard(request)

    def _hops(
        self,
        url: str,
        headers: dict[str, str],
        limits: Limits,
        request: _Request,
        conditional: str | None,
        page_of: str | None,
    ) -> Response:
        for _hop in range(limits.max_redirects + 1):
            target = wire_url(url)
            parts = urlsplit(target)
            host = parts.hostname or ""
            proxy = self._proxy_for(parts.scheme, host)
            if page_of is not None:
                self._check_page_host(target, page_of, proxy is not None, request)
            manager = self._manager(proxy, parts.scheme)
            resp = self._open(manager, target, headers, limits, request, host)
            try:
                status = resp.status
                if status in REDIRECT_CODES:
                    location = resp.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without a Location")
                    url = _redirect_target(target, _header_text(location))
                    self._detach(request)
                    _release(resp, reusable=True)
                    continue
                if status == 304 and conditional:
                    self._detach(request)
                    _release(resp, reusable=True)
                    return Response(
                        url=target,
                        status=304,
                        body=b"",
                        etag=resp.headers.get("ETag") or headers.get("If-None-Match"),
                        last_modified=resp.headers.get("Last-Modified")
                        or headers.get("If-Modified-Since"),
                    )
                if not 200 <= status < 300:
                    reason = clean_line(resp.reason or "", 80) or _REASONS.get(status, "")
                    when = (
                        retry_after(resp.headers.get("Retry-After"))
                        if status in RATE_LIMIT_CODES
                        else None
                    )
                    self._detach(request)
                    _release(resp, reusable=True)
                    raise FetchError(f"HTTP {status} {reason}".strip(), retry_after=when)
                try:
                    body = self._read_body(resp, limits, request)
                except FetchError:
                    _release(resp, reusable=False)
                    raise
                except (HTTPError, OSError) as exc:
                    _release(resp, reusable=False)
                    raise self._network_error(exc, request, limits, host) from None
                self._detach(request)
                _release(resp, reusable=True)
                return Response(
                    url=target,
                    status=status,
                    body=body,
                    content_type=_header_text(resp.headers.get("Content-Type") or ""),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                )
            except BaseException:
                _release(resp, reusable=False)
                raise
        raise FetchError(f"too many redirects (more than {limits.max_redirects})")

    def _open(
        self,
        manager: urllib3.PoolManager,
        url: str,
        headers: dict[str, str],
        limits: Limits,
        request: _Request,
        host: str,
    ) -> urllib3.BaseHTTPResponse:
        retried = False
        while True:
            if self.is_cancelled:
                raise FetchError("cancelled")
            opened = request.opened
            left = request.remaining()
            if left <= 0:
                raise request.timed_out()
            timeout = urllib3.Timeout(
                connect=min(limits.connect_timeout, left), read=min(limits.read_timeout, left)
            )
            try:
                resp = manager.urlopen(
                    "GET",
                    url,
                    headers=headers,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=False,
                    timeout=timeout,
                    pool_timeout=min(0.25, max(0.01, left)),
                    assert_same_host=False,
                )
            except EmptyPoolError:  # every connection to this host is busy: wait a tick
                continue
            except (HTTPError, OSError) as exc:
                if not retried and request.opened == opened and _dropped(exc):
                    # A kept-alive connection the server closed (its idle timeout)
                    # just as this request went out on it: nothing was answered, and a
                    # GET may be sent again. Once, on a new connection, as browsers do.
                    retried = True
                    continue
                raise self._network_error(exc, request, limits, host) from None
            sock = getattr(resp.connection, "sock", None)
            if sock is not None:
                with self._lock:
                    self._socks.add(sock)
                    request.socks.append(sock)
                    expired = request.expired
                if expired:  # the deadline passed while this socket was being taken
                    _shutdown(sock)
            return resp

    def _read_body(
        self, resp: urllib3.BaseHTTPResponse, limits: Limits, request: _Request
    ) -> bytes:
        length = resp.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > limits.max_bytes:
            raise FetchError(f"response larger than {_size(limits.max_bytes)}")
        decoder = _Decoder(resp.headers.get("Content-Encoding") or "", limits.max_bytes)
        received = 0
        while True:
            if self.is_cancelled:
                raise FetchError("cancelled")
            if request.over():
                raise request.timed_out()
            chunk = resp.read1(_CHUNK, decode_content=False)
            if not chunk:
                break
            received += len(chunk)
            if received > limits.max_bytes:
                raise FetchError(f"response larger than {_size(limits.max_bytes)}")
            decoder.feed(chunk)
        if self.is_cancelled:
            raise FetchError("cancelled")
        if request.over():  # the watchdog closed the socket: that is why the body ended
            raise request.timed_out()
        return decoder.finish()

    def _network_error(
        self, exc: BaseException, request: _Request, limits: Limits, host: str
    ) -> FetchError:
        """One line for what went wrong on the wire (connecting, or reading the body)."""
        inner = exc
        while isinstance(inner, (ProtocolError, ProxyError)) and inner.args:
            nested = next((a for a in inner.args if isinstance(a, BaseException)), None)
            if nested is None:
                break
            inner = nested
        if isinstance(inner, FetchError):
            return inner
        if self.is_cancelled:
            return FetchError("cancelled")
        if request.over():
            return request.timed_out()
        if isinstance(inner, (ReadTimeoutError, TimeoutError, Urllib3Timeout)):
            return FetchError(f"timed out after {_seconds(limits.read_timeout)} without data")
        if type(inner).__name__ == "IncompleteRead" or "IncompleteRead" in str(inner):
            return FetchError("connection closed before the response ended")
        if isinstance(exc, ProxyError):
            return FetchError(f"proxy refused or unreachable for {host}")
        if isinstance(inner, SSLError) or isinstance(inner, ssl.SSLError):
            cause = inner.args[0] if inner.args else inner
            if isinstance(cause, ssl.SSLCertVerificationError):
                return FetchError(
                    f"TLS certificate not accepted for {host}: "
                    f"{cause.verify_message or 'verify failed'}"
                )
            return FetchError(f"TLS error with {host}: {getattr(cause, 'reason', None) or cause}")
        if isinstance(inner, LocationParseError):
            return FetchError(f"not a valid URL for host {host}")
        if isinstance(inner, OSError):
            return FetchError(_describe_os_error(inner, host))
        return FetchError(f"bad HTTP response ({type(inner).__name__})")


def _dropped(exc: BaseException) -> bool:
    """``exc`` says the peer closed the connection before any answer."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return True
        if type(exc).__name__ == "RemoteDisconnected":
            return True
        nested = next((a for a in exc.args if isinstance(a, BaseException)), None)
        exc = nested if nested is not None else exc.__cause__  # type: ignore[assignment]
        seen += 1
    return False


def _release(resp: urllib3.BaseHTTPResponse, *, reusable: bool) -> None:
    """Hand the connection back to the pool: kept alive when its body was read (or is
    small enough to skip), else closed."""
    try:
        if reusable and not getattr(resp, "_released", False):
            length = resp.headers.get("Content-Length") or ""
            if length.isdigit() and int(length) <= _CHUNK:
                resp.drain_conn()
            elif not resp.isclosed():  # type: ignore[attr-defined]
                resp.close()  # an unread body of unknown size: not worth reading
        else:
            resp.close()
        resp.release_conn()
    except Exception:
        try:
            resp.close()
            resp.release_conn()
        except Exception:
            pass
    resp._released = True  # type: ignore[attr-defined]


def _header_text(value: str) -> str:
    """A header value as the server meant it: http.client reads bytes as Latin-1;
    a UTF-8 Location or Content-Type is decoded as UTF-8 (what browsers do)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


class _Decoder:
    """Content-Encoding decoding with a cap on the decoded size (gzip bombs), which
    refuses a compressed stream that ends before its end marker (a truncated gzip
    body with a matching Content-Length must not be stored as the whole feed)."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported content encoding '{encoding}'")
        self._z: zlib._Decompress | None = None
        self._compressed = encoding not in ("", "identity")
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._deflate = encoding == "deflate"  # the decoder is chosen on the first bytes
        self._out: list[bytes] = []

    def _emit(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise FetchError(f"response larger than {_size(self.cap)}")
        self._out.append(data)

    def feed(self, data: bytes) -> None:
        if self._deflate and self._z is None:
            # "deflate" is zlib-wrapped by the spec and raw by many servers: sniff it.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self._z is None:
            self._emit(data)
            return
        try:
            # Decode in bounded steps so one small chunk cannot expand unchecked.
            self._emit(self._z.decompress(data, _CHUNK))
            while self._z.unconsumed_tail:
                self._emit(self._z.decompress(self._z.unconsumed_tail, _CHUNK))
        except zlib.error:
            raise FetchError("corrupt compressed response") from None

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self._emit(self._z.flush())
            except zlib.error:
                raise FetchError("corrupt compressed response") from None
            if not self._z.eof:
                raise FetchError("truncated compressed response (the body ended early)")
        elif self._compressed:  # declared compressed, but no body at all
            raise FetchError("truncated compressed response (the body ended early)")
        return b"".join(self._out)


def _describe_os_error(exc: OSError, host: str) -> str:
    if isinstance(exc, socket.gaierror):
        return f"unreachable: cannot resolve host {host}"
    if isinstance(exc, ConnectionRefusedError):
        return f"unreachable: connection refused by {host}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted for {host}: {exc.verify_message or 'verify failed'}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error with {host}: {exc.reason or exc}"
    if isinstance(exc, ConnectionResetError):
        return f"connection reset by {host}"
    text = exc.strerror or str(exc) or type(exc).__name__
    return f"unreachable: {text}"


def _redirect_target(url: str, location: str) -> str:
    """The checked absolute URL a redirect points to; ``FetchError`` saying why not."""
    try:
        target = urljoin(url, location.strip())
        scheme = urlsplit(target).scheme.lower()
    except ValueError:  # e.g. "http://[::1": urljoin/urlsplit raise on a broken netloc
        raise FetchError(f"redirect to an invalid URL: {shown_url(location)}") from None
    if scheme not in ("http", "https"):
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(f"redirect to unsupported URL scheme {shown} (only http and https)")
    try:
        return check_url(target)
    except FetchError as exc:
        raise FetchError(f"redirect to an invalid URL: {exc}") from None


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: Limits = FEED_LIMITS,
    accept: str = "*/*",
    page_of: str | None = None,
) -> Response:
    """One request on a client of its own (a refresh uses one ``Client`` for all)."""
    with Client() as client:
        return client.fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            limits=limits,
            accept=accept,
            page_of=page_of,
        )
