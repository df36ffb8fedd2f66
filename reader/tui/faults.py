"""Faults of the library seen from the app: never a freeze, never a crash (issue 17).

Owns: ``UI_BUSY_TIMEOUT_MS`` (how long the UI thread waits for another process's
write lock: a long fetch, a backup), ``store_action``, which turns a ``StoreError``
raised by an action (the library is busy, read-only, the disk is full) into one
notification, and ``articles_gone``, what a screen opened on articles that another
process pruned or removed does. Must not: retry or queue writes behind the user's back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from reader.store import StoreError

if TYPE_CHECKING:
    from textual.screen import Screen

UI_BUSY_TIMEOUT_MS = 250
"""A mark or a save is one short transaction: waiting longer than this means another
process holds the lock, and the user is told to try again instead of waiting 15 s."""

F = TypeVar("F", bound=Callable[..., Any])


def store_action(method: F) -> F:
    """Decorate an action that writes to the store: a ``StoreError`` becomes one
    error notification ("the library is busy …; try again")."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None

    return wrapper  # type: ignore[return-value]


def articles_gone(screen: Screen, missing: int, total: int) -> None:
    """A screen opened on ``total`` articles of which ``missing`` are no longer in
    the library (``parallax prune`` or ``remove`` in another shell): say so, go back
    to where it was opened from, and have the library read itself again."""
    app = screen.app
    app.notify(
        f"{missing} of these {total} articles are no longer in the library "
        "(pruned or removed); back to the library",
        severity="warning",
        markup=False,
    )
    if app.screen is screen:
        app.pop_screen()
    from reader.tui.messages import LibraryChanged

    app.post_message(LibraryChanged())


def load_story(screen: Any, article_ids: list[str]) -> Any:
    """In a screen's worker: the story's articles analysed and linked, as a
    ``StoryComparison`` (whose parts come from the story cache), or None after posting
    ``screen.Gone`` when some of the articles were pruned or removed meanwhile.

    The diff, the fact table and the timeline open this way; a miss is analysed in the
    analysis child (``processes=1``), never with spaCy in the app."""
    from reader.analysis.cache import analyse_and_link
    from reader.analysis.story_cache import StoryComparison

    store = screen.app.store
    articles = store.get_articles(article_ids)
    missing = len(set(article_ids)) - len(articles)
    if missing > 0:
        screen.post_message(screen.Gone(missing))
        return None
    analyses, index = analyse_and_link(store, articles, processes=1)
    return StoryComparison(store, articles, analyses, index)
