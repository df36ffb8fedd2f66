"""What a refresh did, for the command line and the app to show.

Owns: ``FeedResult`` (one feed's outcome and its one line), ``FeedProgress`` (the
progress callback's argument), ``RefreshReport`` and ``rate_limited_until`` (the
words for a feed whose server asked us to wait). Must not: import the pipeline:
the front ends import this module to show a refresh without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.models import Feed


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What one feed's refresh did."""

    feed_id: int
    name: str
    url: str
    status: str  # "ok", "unchanged", "error", "rate-limited", "cancelled"
    new: int = 0
    skipped: int = 0  # items this feed already stored (or duplicates of its stored text)
    pages_failed: int = 0  # new items stored from the feed's own text
    error: str | None = None  # "error": why; "rate-limited": until when
    article_ids: tuple[str, ...] = ()  # the new articles
    page_error: str | None = None  # why the first page that failed was not used

    @property
    def line(self) -> str:
        """One line for a log or the CLI."""
        if self.status in ("error", "rate-limited"):
            return f"{self.name}: {self.error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged"
        if self.status == "cancelled":
            return f"{self.name}: cancelled" + (f" ({self.error})" if self.error else "")
        extra = ""
        if self.pages_failed:
            extra = f", {self.pages_failed} from the feed's text"
            if self.page_error:
                extra += f" (page: {self.page_error})"
        return f"{self.name}: {self.new} new, {self.skipped} already stored{extra}"


@dataclass(frozen=True, slots=True)
class FeedProgress:
    """A progress report: a feed started, advanced through its new items, or ended."""

    feed_id: int
    name: str
    stage: str  # "fetching", "pages", "done"
    done: int = 0  # pages handled (stage "pages")
    total: int = 0  # new items needing a page
    feeds_done: int = 0
    feeds_total: int = 0
    result: FeedResult | None = None  # set when stage == "done"


@dataclass(frozen=True, slots=True)
class RefreshReport:
    results: tuple[FeedResult, ...] = field(default_factory=tuple)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def errors(self) -> tuple[FeedResult, ...]:
        return tuple(r for r in self.results if r.status == "error")

    @property
    def all_failed(self) -> bool:
        return bool(self.results) and all(r.status == "error" for r in self.results)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(aid for r in self.results for aid in r.article_ids)

    def summary(self) -> str:
        """One line for the reader: "3 new articles from 4 feeds; 1 failed; 1
        rate-limited (skipped)", led by "refresh cancelled:" when it was stopped."""
        from reader.wording import count

        line = f"{count(self.new, 'new article')} from {count(len(self.results), 'feed')}"
        if self.errors:
            line += f"; {len(self.errors)} failed"
        waiting = sum(r.status == "rate-limited" for r in self.results)
        if waiting:
            line += f"; {waiting} rate-limited (skipped)"
        stopped = sum(r.status == "cancelled" for r in self.results)
        if stopped:
            line = f"refresh cancelled: {line}; {stopped} not refreshed"
        return line


def rate_limited_until(feed: Feed, now: datetime | None = None) -> str | None:
    """The words "rate-limited until HH:MM" (local time; the date too when not today)
    while a feed's Retry-After has not passed; else None."""
    when = _retry_time(feed.retry_after)
    now = now or datetime.now(UTC)
    if when is None or when <= now:
        return None
    local = when.astimezone()
    shown = local.strftime("%H:%M")
    if local.date() != now.astimezone().date():
        shown = local.strftime("%Y-%m-%d %H:%M")
    return f"rate-limited until {shown}"


def _retry_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
