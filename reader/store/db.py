"""SQLite access: the only package that writes SQL queries.

``Store`` is the article library on disk, assembled from one class per domain over
one connection and transaction helper (``reader.store.base``): articles, search and
filters, reading state, feeds and tags, stories, and the caches. Must not: fetch,
parse or analyse anything; every string it stores has been sanitized by its caller,
and ``add_article`` runs the sanitizer once more as a last gate.
"""

from __future__ import annotations

from reader.store.articles import ArticlesStore
from reader.store.base import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    FILTER_LIMIT,
    StoreBase,
    StoreError,
    article_id,
    content_hash,
    now_iso,
)
from reader.store.caches import CacheStore
from reader.store.feeds import FeedsStore
from reader.store.reading import ReadingStore
from reader.store.search import SearchStore
from reader.store.stories import StoriesStore

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "FILTER_LIMIT",
    "Store",
    "StoreError",
    "article_id",
    "content_hash",
    "now_iso",
]


class Store(
    ArticlesStore, SearchStore, ReadingStore, FeedsStore, StoriesStore, CacheStore, StoreBase
):
    """The article library on disk."""
