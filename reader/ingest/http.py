"""HTTP for feeds and article pages: the only module in Parallax that opens a socket.

Owns: ``fetch`` (one GET with conditional validators, redirects, timeouts, a total
deadline, size caps, gzip/deflate decoding with a cap on the decoded size) and
``check_url`` (http and https only). Every failure becomes a ``FetchError`` whose
message is one sanitized line a user can read ("HTTP 404 Not Found", "timed out
after 10 s", "too many redirects", "response larger than 5 MB").

Must not: parse feeds or HTML, guess charsets (bodies are returned as bytes for
feedparser and trafilatura to decode), touch the store, or import anything heavy.
Uses the standard library only (``http.client``), so the limits are ours to enforce.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from reader import __version__
from reader.sanitize import clean_line

USER_AGENT = f"Parallax/{__version__} (terminal news reader; +https://github.com/parallax-reader)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may cost. Seconds and bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 10.0  # the longest silence between two reads
    deadline: float = 30.0  # the whole request, redirects included
    max_bytes: int = 5 * 1024 * 1024  # on the wire AND after decompression
    max_redirects: int = 5


FEED_LIMITS = Limits()
PAGE_LIMITS = Limits(max_bytes=10 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer: 2xx with a (decoded) body, or 304 with none."""

    url: str  # after redirects
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A request that failed; ``str(exc)`` is one sanitized line."""

    def __init__(self, reason: str) -> None:
        super().__init__(clean_line(reason, 300) or "request failed")


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(value: int) -> str:
    mb = value / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{value // 1024} kB"


def check_url(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host; else ``FetchError``."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError(f"not a valid URL: {url}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(f"unsupported URL scheme {shown} in {url} (only http and https)")
    if not parts.hostname:
        raise FetchError(f"not a valid URL (no host): {url}")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise FetchError(f"not a valid URL (bad port): {url}") from None
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        raise FetchError(f"not a valid URL (contains spaces or control characters): {url}")
    return url


class _Deadline:
    """Closes the request's socket when the total time is up (a dripping server
    resets every per-read timeout, so only this can stop it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise FetchError(f"timed out after {_seconds(self.seconds)}")
        return left

    def over(self) -> bool:
        """True once the time is up (the timer may not have fired yet)."""
        return self.expired or time.monotonic() >= self.end - 0.005

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                self._close()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._close()

    def _close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Decoder:
    """Content-Encoding decoding with a cap on the decoded size (gzip bombs)."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported content encoding '{encoding}'")
        self._z: zlib._Decompress | None = None
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
            raw = not wrapped
            self._z = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        if self._z is None:
            self._emit(data)
            return
        try:
            # Decode in bounded steps so one small chunk cannot expand unchecked.
            chunk = self._z.decompress(data, _CHUNK)
            self._emit(chunk)
            while self._z.unconsumed_tail:
                chunk = self._z.decompress(self._z.unconsumed_tail, _CHUNK)
                self._emit(chunk)
        except zlib.error:
            raise FetchError("corrupt compressed response") from None

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self._emit(self._z.flush())
            except zlib.error:
                raise FetchError("corrupt compressed response") from None
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


def _one_request(
    url: str, headers: dict[str, str], limits: Limits, deadline: _Deadline
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port
    timeout = min(limits.connect_timeout, deadline.remaining())
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.connect()
    except TimeoutError:
        conn.close()
        if deadline.over():
            raise FetchError(f"timed out after {_seconds(deadline.seconds)}") from None
        raise FetchError(f"timed out connecting to {host} after {_seconds(timeout)}") from None
    except OSError as exc:
        conn.close()
        if deadline.over():
            raise FetchError(f"timed out after {_seconds(deadline.seconds)}") from None
        raise FetchError(_describe_os_error(exc, host)) from None
    deadline.watch(conn.sock)
    conn.sock.settimeout(min(limits.read_timeout, deadline.remaining()))
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        return conn.getresponse(), conn
    except BaseException:
        conn.close()
        raise


def _read_body(
    resp: http.client.HTTPResponse,
    sock: socket.socket | None,
    limits: Limits,
    deadline: _Deadline,
) -> bytes:
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"response larger than {_size(limits.max_bytes)}")
    decoder = _Decoder(resp.getheader("Content-Encoding") or "", limits.max_bytes)
    received = 0
    while True:
        if sock is not None:
            sock.settimeout(min(limits.read_timeout, deadline.remaining()))
        chunk = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
        if not chunk:
            break
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(f"response larger than {_size(limits.max_bytes)}")
        decoder.feed(chunk)
    if deadline.over():  # the deadline closed the socket: that is why the body ended
        raise FetchError(f"timed out after {_seconds(deadline.seconds)}")
    if resp.length:  # http.client's count of declared bytes still to come: a short body
        raise FetchError("connection closed before the response ended")
    return decoder.finish()


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: Limits = FEED_LIMITS,
    accept: str = "*/*",
) -> Response:
    """GET ``url``; a 304 answer (when validators were given) has an empty body.

    Raises ``FetchError`` with a one-line reason for anything but 2xx/304.
    """
    url = check_url(url)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(limits.deadline)
    try:
        for _hop in range(limits.max_redirects + 1):
            parts = urlsplit(url)
            headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
            try:
                resp, conn = _one_request(url, headers, limits, deadline)
            except (TimeoutError, http.client.HTTPException, OSError) as exc:
                raise _network_error(exc, deadline, limits, parts.hostname) from None
            try:
                status = resp.status
                if status in REDIRECT_CODES:
                    location = resp.getheader("Location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without a Location")
                    url = _redirect_target(url, location)
                    continue
                if status == 304 and (etag or last_modified):
                    return Response(
                        url=url,
                        status=304,
                        body=b"",
                        etag=resp.getheader("ETag") or etag,
                        last_modified=resp.getheader("Last-Modified") or last_modified,
                    )
                if not 200 <= status < 300:
                    reason = clean_line(resp.reason, 80) or http.client.responses.get(status, "")
                    raise FetchError(f"HTTP {status} {reason}".strip())
                try:
                    body = _read_body(resp, conn.sock, limits, deadline)
                except (TimeoutError, http.client.HTTPException, OSError) as exc:
                    raise _network_error(exc, deadline, limits, parts.hostname) from None
                return Response(
                    url=url,
                    status=status,
                    body=body,
                    content_type=resp.getheader("Content-Type") or "",
                    etag=resp.getheader("ETag"),
                    last_modified=resp.getheader("Last-Modified"),
                )
            finally:
                conn.close()
        raise FetchError(f"too many redirects (more than {limits.max_redirects})")
    finally:
        deadline.cancel()


def _redirect_target(url: str, location: str) -> str:
    """The checked absolute URL a redirect points to; ``FetchError`` saying why not."""
    try:
        target = urljoin(url, location.strip())
        scheme = urlsplit(target).scheme.lower()
    except ValueError:  # e.g. "http://[::1": urljoin/urlsplit raise on a broken netloc
        raise FetchError(f"redirect to an invalid URL: {location}") from None
    if scheme not in ("http", "https"):
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(f"redirect to unsupported URL scheme {shown} (only http and https)")
    try:
        return check_url(target)
    except FetchError as exc:
        raise FetchError(f"redirect to an invalid URL: {exc}") from None


def _network_error(
    exc: BaseException, deadline: _Deadline, limits: Limits, host: str | None
) -> FetchError:
    """One line for what went wrong on the wire (connecting, or reading the body)."""
    if isinstance(exc, TimeoutError):
        return FetchError(_timeout_reason(deadline, limits))
    if deadline.over():
        return FetchError(f"timed out after {_seconds(deadline.seconds)}")
    if isinstance(exc, http.client.IncompleteRead):
        return FetchError("connection closed before the response ended")
    if isinstance(exc, OSError):
        return FetchError(_describe_os_error(exc, host or ""))
    return FetchError(f"bad HTTP response ({type(exc).__name__})")


def _timeout_reason(deadline: _Deadline, limits: Limits) -> str:
    if deadline.over():
        return f"timed out after {_seconds(deadline.seconds)}"
    return f"timed out after {_seconds(limits.read_timeout)} without data"
