"""The story cache: a story's alignment, framing and timeline, computed once and stored.

Owns: ``COMPARISON_VERSION`` and the rule that a cached comparison is keyed by the
articles it was computed from (ids, content hashes, outlets, titles, dates, in order),
the articles their entities were linked over, the analyzer version and
``COMPARISON_VERSION``; reading a hit back through the one generic codec
(``reader.analysis.codec``, JSON, never pickle); treating a row that fails to decode
as a miss (computed again and overwritten).

Must not: import Textual or spaCy, or import the modules that compute (alignment's
``scipy``) unless a value is missing: a warm reopen of a diff and a warm
``parallax export`` load JSON only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from reader.analysis import codec, nlp
from reader.models import Article, ArticleAnalysis
from reader.store import Store

if TYPE_CHECKING:
    from reader.analysis.alignment import Alignment
    from reader.analysis.entities import EntityIndex
    from reader.analysis.framing import Framing
    from reader.analysis.timeline import TimelineEntry

COMPARISON_VERSION = "4"
"""Bump when alignment, framing, timeline, date resolution or entity linking change
what they compute (or the shape of their dataclasses changes meaning): every cached
comparison is then computed again. Adding a field with a default needs no bump to stay
readable, but a bump is what makes old rows get the new field filled in."""

T = TypeVar("T")


def _describe(articles: Sequence[Article]) -> list[list[str | None]]:
    return [[a.id, a.content_hash, a.outlet, a.title, a.published_iso] for a in articles]


def comparison_key(kind: str, members: Sequence[Article], scope: Sequence[Article]) -> str:
    """The cache key of ``kind`` computed for ``members`` with entities linked over ``scope``."""
    material = json.dumps(
        [COMPARISON_VERSION, nlp.analyser_version(), kind, _describe(members), _describe(scope)],
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def cached(
    store: Store,
    kind: str,
    hint: Any,
    members: Sequence[Article],
    scope: Sequence[Article],
    build: Callable[[], T],
) -> T:
    """The stored ``kind`` for these articles, or ``build()``'s result, stored for next time."""
    key = comparison_key(kind, members, scope)
    payload = store.get_comparison(key)
    if payload is not None:
        try:
            return codec.loads(hint, payload)  # type: ignore[no-any-return]
        except codec.DecodeError:
            pass  # an older shape or damage: a miss
    value = build()
    store.put_comparison(key, kind, codec.dumps(value).encode("utf-8"))
    return value


class StoryComparison:
    """A story's comparison, each part loaded from the cache or computed on first use.

    ``analyses`` and ``index`` are those of ``scope`` (the articles whose entities were
    linked together); ``members`` the story's articles, in the order shown.
    """

    def __init__(
        self,
        store: Store,
        members: Sequence[Article],
        analyses: Mapping[str, ArticleAnalysis],
        index: EntityIndex,
        scope: Sequence[Article] | None = None,
    ) -> None:
        self.store = store
        self.members = list(members)
        self.scope = list(scope) if scope is not None else self.members
        self.analyses = analyses
        self.index = index

    def alignment(self) -> Alignment:
        from reader.analysis.alignment import Alignment

        def build() -> Alignment:
            from reader.analysis.alignment import align_story

            return align_story(self.members, self.analyses, self.index)

        return cached(self.store, "alignment", Alignment, self.members, self.scope, build)

    def framing(self, alignment: Alignment | None = None) -> Framing:
        from reader.analysis.framing import Framing

        def build() -> Framing:
            from reader.analysis.framing import build_framing

            return build_framing(
                self.members, self.analyses, self.index, alignment or self.alignment()
            )

        return cached(self.store, "framing", Framing, self.members, self.scope, build)

    def timeline(self) -> list[TimelineEntry]:
        from reader.analysis.timeline import TimelineEntry

        def build() -> tuple[TimelineEntry, ...]:
            from reader.analysis.timeline import build_timeline

            return tuple(build_timeline(self.members, self.analyses, self.index))

        entries = cached(
            self.store, "timeline", tuple[TimelineEntry, ...], self.members, self.scope, build
        )
        return list(entries)
