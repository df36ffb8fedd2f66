"""Parsing feeds in a child process beside the downloads.

Owns: ``ParseChild`` (a plain ``python -c`` subprocess running ``_parse_child``,
spawned through ``reader.children`` and speaking its frames, as the analysis child
does) and when a refresh uses it (``PARSE_CHILD_MIN_FEEDS``).
Must not: be waited for: a feed the child cannot take now is parsed in the
refresh's own process. The child imports this module and ``parse``, not the HTTP
transport.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from reader import children
from reader.children import read_frame, write_frame
from reader.ingest.feeds.parse import FeedError, FeedItem, ParsedFeed, parse_feed
from reader.ingest.feeds.parsers import load_feedparser

if TYPE_CHECKING:
    import subprocess
    from concurrent.futures import Future

PARSE_CHILD_MIN_FEEDS = 8
"""A refresh of at least this many feeds parses in a child process beside the
downloads (feedparser is pure Python and holds the GIL; the child starts in ~0.2 s
of CPU, on the other core, so fewer feeds are parsed here)."""


CHILD_PARSE_TIMEOUT = 60.0
"""Seconds a feed waits for the child's answer before it is parsed here instead."""


class ParseChild:
    """A plain ``python -c`` subprocess running ``_parse_child`` (``reader.children``,
    as the analysis child), gone when its stdin closes.

    Feeds queue up for it (up to ``max_queued``: a reader thread hands the answers
    back in order), so it parses without pause while the threads download. ``parse``
    returns None, and the caller parses in its own process, while the child starts
    (until its "ready" frame), when the queue is full, when the child could not
    start, or once it stopped: a refresh never waits for it to start or depends on it.
    """

    def __init__(self, max_queued: int = 3) -> None:
        self.max_queued = max_queued
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._queued: deque[Future[tuple[str, object] | None]] = deque()
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self.broken = False
        self.ready = False  # set by the child's first frame, once feedparser is imported
        self.parsed = 0  # feeds the child parsed (for tests and benchmarks)

    def _start(self) -> subprocess.Popen[bytes] | None:
        import subprocess

        if self._proc is None and not self.broken:
            try:
                self._proc = children.spawn(_PARSE_CHILD_CODE)
            except (OSError, ValueError, subprocess.SubprocessError):
                self.broken = True
                return None
            self._reader = threading.Thread(
                target=self._read, args=(self._proc,), name="parallax-parse", daemon=True
            )
            self._reader.start()
        return self._proc

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        """The answers, in the order the feeds went in; on EOF every waiter gets None."""
        assert proc.stdout is not None
        try:
            ready = read_frame(proc.stdout) == "ready"
        except Exception:
            ready = False
        with self._lock:
            self.ready = ready
            self.broken = not ready
        while ready:
            try:
                answer = read_frame(proc.stdout)
            except Exception:  # EOF, a dead child, garbage: the rest parse in-process
                answer = None
            with self._lock:
                if answer is None:
                    self.broken = True
                    waiting = list(self._queued)
                    self._queued.clear()
                else:
                    waiting = [self._queued.popleft()] if self._queued else []
            for future in waiting:
                future.set_result(answer)  # type: ignore[arg-type]  # checked by the reader
            if answer is None:
                return

    def parse(self, body: bytes, content_type: str, base_url: str) -> ParsedFeed | None:
        """The child's ``parse_feed``; ``FeedError`` as it raised it; None: parse here."""
        from concurrent.futures import Future

        future: Future[tuple[str, object] | None] = Future()
        # One writer at a time, and the frames in the order of the queue. A thread
        # that finds another writing parses here instead of waiting. The write is
        # outside ``_lock``: the reader thread takes ``_lock`` to hand out each
        # answer, and a large answer the child is writing would otherwise wait for
        # the reader while the child waits for this write (a 60 s stall, measured
        # on feeds of several hundred kB).
        if not self._write_lock.acquire(blocking=False):
            return None
        try:
            with self._lock:
                proc = self._start()
                # Until the child is ready (~0.15 s of imports) feeds are parsed here:
                # a short refresh never waits for it.
                if not self.ready or self.broken or len(self._queued) >= self.max_queued:
                    return None
                if proc is None or proc.stdin is None:
                    return None
                self._queued.append(future)
            try:
                write_frame(proc.stdin, (body, content_type, base_url))
            except (OSError, ValueError):
                with self._lock:
                    self.broken = True
                proc.kill()  # the reader sees EOF and answers every waiter with None
                return None
        finally:
            self._write_lock.release()
        try:
            answer = future.result(timeout=CHILD_PARSE_TIMEOUT)
        except TimeoutError:  # a child that stopped answering: parse here from now on
            self.broken = True
            proc.kill()
            return None
        if answer is None:
            return None
        kind, value = answer
        if kind == "error":
            raise FeedError(str(value))
        if kind != "ok":  # an unexpected failure in the child: parse here, to see it
            return None
        title, rows = cast("tuple[str, list[tuple[Any, ...]]]", value)
        with self._lock:
            self.parsed += 1
        return ParsedFeed(
            title=title,
            items=tuple(
                FeedItem(guid, url, item_title, _date(day), author, text)
                for guid, url, item_title, day, author, text in rows
            ),
        )

    def close(self, now: bool = False) -> None:
        """End of input: the child leaves; reaped here (at most a second's wait). A
        child that never got ready is still starting (a refresh shorter than its
        start-up) or stuck, and one of a cancelled refresh (``now``) may be parsing:
        it is stopped, not waited for."""
        import subprocess

        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            if not self.ready or now:
                proc.kill()
            proc.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            try:
                proc.wait(timeout=1)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._reader is not None:
            self._reader.join(timeout=1)
        if proc.stdout is not None:
            try:
                proc.stdout.close()
            except OSError:
                pass


_PARSE_CHILD_CODE = children.child_code("reader.ingest.feeds.child", "_parse_child")


def _date(day: int | None) -> date | None:
    return None if day is None else date.fromordinal(day)


def _parse_child() -> None:
    """The parsing child: "ready" once imported, then frames of (body, content type,
    URL) in on stdin and frames of ("ok", (title, item rows)) or ("error", one line)
    out on stdout."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print goes to /dev/null, not into the frames
    load_feedparser()  # at once, while the parent downloads the first feeds
    write_frame(stdout, "ready")
    while True:
        try:
            body, content_type, base_url = cast("tuple[bytes, str, str]", read_frame(stdin))
        except EOFError:
            return
        answer: tuple[str, object]
        try:
            parsed = parse_feed(body, content_type, base_url)
            rows = [
                (
                    i.guid,
                    i.url,
                    i.title,
                    i.published.toordinal() if i.published else None,
                    i.author,
                    i.text,
                )
                for i in parsed.items
            ]
            answer = ("ok", (parsed.title, rows))
        except FeedError as exc:
            answer = ("error", str(exc))
        except Exception as exc:  # the parent parses this feed itself, and sees it
            answer = ("failed", type(exc).__name__)
        write_frame(stdout, answer)
