"""What screens ask of the app, and what the app tells the screens.

The app owns navigation: a screen never constructs or imports another screen. It
posts one of the ``Open…``/``Show…`` messages below (they bubble from the screen to
the app), and ``ParallaxApp`` decides which screen to push, or whether to go back to
one already open (the diff's "show in compare" returns to the compare view it came
from). Screens that return a value (the dialogs) use ``dismiss(result)`` with a
callback instead.

The other direction: ``LibraryChanged``, ``AnalysisProgress``, ``RefreshProgress`` and
``RefreshFinished`` are posted by the app (``LibraryChanged`` by any screen too, to
the app) and the app hands them to every screen on the stack; a screen that cares has
a handler. They do not bubble back up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from reader.analysis.timeline import TimelineEntry
    from reader.ingest.feeds.report import FeedProgress, RefreshReport

Mark = tuple[str, int, int]
"""A sentence to mark in the compare view: (article id, start, end) in the article's text."""


# -- navigation: screen -> app -----------------------------------------------------------
@dataclass
class OpenArticle(Message):
    """Read one article."""

    article_id: str


@dataclass
class OpenComparison(Message):
    """Compare these articles side by side, with ``marks`` marked and scrolled to;
    ``timeline_entry``: open the timeline pane at this entry. ``back_to_open``: when
    the screen below the current one already compares these articles, go back to it
    (and mark there) instead of opening another."""

    article_ids: list[str]
    marks: list[Mark] = field(default_factory=list)
    timeline_entry: TimelineEntry | None = None
    back_to_open: bool = False


@dataclass
class OpenTimeline(Message):
    """The timeline of these articles; ``entry``: start at this entry."""

    article_ids: list[str]
    title: str = "Story timeline"
    entry: TimelineEntry | None = None


@dataclass
class OpenDiff(Message):
    """How the outlets framed these articles' story."""

    article_ids: list[str]


@dataclass
class OpenFacts(Message):
    """The fact table of these articles' story."""

    article_ids: list[str]


@dataclass
class ShowFeeds(Message):
    """The feeds screen; ``refresh``: start a refresh of every feed."""

    refresh: bool = False


# -- app -> screens ----------------------------------------------------------------------
class LibraryChanged(Message, bubble=False):
    """Articles or stories changed in the store (new analysis, fetch, import, another
    process's write)."""


@dataclass
class AnalysisProgress(Message, bubble=False):
    """Background analysis advanced (``done`` of ``total`` new articles)."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AnalysisProgress)


@dataclass
class RefreshProgress(Message, bubble=False):
    """The feed refresh (an app worker) advanced: shown by the feeds screen if open."""

    progress: FeedProgress

    def can_replace(self, message: Message) -> bool:
        # a feed's "done" carries its result for the table: never drop it
        return isinstance(message, RefreshProgress) and self.progress.stage != "done"


@dataclass
class RefreshFinished(Message, bubble=False):
    """The feed refresh ended (done, failed or cancelled)."""

    report: RefreshReport
