"""Subscribing to a list of feed URLs at once (an OPML import).

Owns: ``subscribe_all`` and its report. Must not: fetch anything (a subscription
is only stored; the next refresh downloads it) or write SQL (``store``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.ingest.http import FetchError, check_url

if TYPE_CHECKING:
    from reader.store import Store


@dataclass(frozen=True, slots=True)
class SubscribeReport:
    """What ``subscribe_all`` did with a list of feed URLs (an OPML import)."""

    added: int
    existing: int
    rejected: tuple[str, ...]  # one-line reasons

    def line(self, source: str) -> str:
        return (
            f"imported {self.added} feeds from {source} "
            f"({self.existing} already subscribed, {len(self.rejected)} skipped)"
        )

    @property
    def nothing_usable(self) -> bool:
        return bool(self.rejected) and not (self.added or self.existing)


def subscribe_all(store: Store, entries: Sequence[tuple[str, str]]) -> SubscribeReport:
    """Subscribe to ``(url, name)`` pairs; URLs that are not http(s) are skipped with a reason."""
    rejected: list[str] = []
    usable: list[tuple[str, str]] = []
    for url, name in entries:
        try:
            usable.append((check_url(url), name))
        except FetchError as exc:
            rejected.append(str(exc))
    created = store.add_feeds(usable)  # one transaction: linear in the number of feeds
    added = sum(created)
    return SubscribeReport(added, len(created) - added, tuple(rejected))
