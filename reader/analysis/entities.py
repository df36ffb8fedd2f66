"""Entity linking across articles (PLACEHOLDER implementation: exact surface match).

The real rules are being written; the API below is fixed.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reader.models import Article, ArticleAnalysis, Entity, Mention

LINKED_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "NORP"}


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Canonical entities of a set of articles and which mention belongs to which."""

    entities: tuple[Entity, ...]  # most-mentioned first
    by_mention: Mapping[tuple[str, int], str]  # (article_id, mention.start) -> entity id

    def entity_of(self, mention: Mention) -> Entity | None:
        eid = self.by_mention.get((mention.article_id, mention.start))
        return self.get(eid) if eid else None

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id().get(entity_id)

    def _by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    def entity_ids_in(self, article_id: str) -> frozenset[str]:
        return frozenset(e.id for e in self.entities if article_id in e.mentions)


def link_entities(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> EntityIndex:
    groups: dict[str, list[Mention]] = defaultdict(list)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        for m in analysis.mentions:
            if m.label in LINKED_LABELS:
                groups[m.text].append(m)
    entities = []
    by_mention: dict[tuple[str, int], str] = {}
    for name, mentions in groups.items():
        label = LINKED_LABELS[Counter(m.label for m in mentions).most_common(1)[0][0]]
        eid = f"{label.lower()}:{hashlib.sha1(name.encode()).hexdigest()[:8]}"
        variants: dict[str, set[str]] = defaultdict(set)
        counts: Counter[str] = Counter()
        for m in mentions:
            variants[m.article_id].add(m.text)
            counts[m.article_id] += 1
            by_mention[(m.article_id, m.start)] = eid
        entities.append(Entity(eid, name, label, {k: tuple(sorted(v)) for k, v in variants.items()}, dict(counts)))
    entities.sort(key=lambda e: (-sum(e.mentions.values()), e.name))
    return EntityIndex(tuple(entities), by_mention)
