"""Entity colours: one colour per canonical entity, the same in every pane.

Owns: mapping an ``EntityIndex`` to highlight spans. Colours are theme variables
(``$entity-1`` … ``$entity-8`` for the entities that matter most to the comparison,
then ``$entity-person``/``-org``/``-place``/``-norp`` by type), and the type also sets
the text style (people bold, places underlined, organisations italic), so entity
types stay distinguishable in 16-colour and monochrome terminals.

Every mention of an entity the story knows is highlighted: the NER model's linked
mentions, and every other occurrence in the text of a name some outlet used for it
("Kyiv" six times, not only where the model tagged it; "Blinken" after "Antony
Blinken"). Which entities get the eight distinct colours: those named in the most
articles' openings (the headline and lede say what the story is about: Kyiv and
Lviv for the embassy move), then in the most articles, then most often; demonyms
(NORP: "Russian") keep their type colour.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence

from reader.analysis.entities import EntityIndex
from reader.models import Article, ArticleAnalysis, Entity
from reader.tui.themes import ENTITY_PALETTE_SIZE
from reader.tui.widgets.article_view import Highlight

TYPE_STYLE = {"PERSON": "bold", "PLACE": "underline", "ORG": "italic", "NORP": ""}
TYPE_VARIABLE = {
    "PERSON": "entity-person",
    "PLACE": "entity-place",
    "ORG": "entity-org",
    "NORP": "entity-norp",
}
TYPE_NAMES = {"PERSON": "people", "ORG": "organisations", "PLACE": "places", "NORP": "groups"}
OPENING_CHARS = 600
"""An entity named this early in an article's text is in its headline or lede."""

EntitySpan = tuple[int, int, Entity]
_EDGE = re.compile(r"^[^\w@]+|[^\w.]+$")


def _forms(index: EntityIndex) -> dict[str, Entity]:
    """Every name an outlet used for an entity -> the entity (names two entities share:
    neither)."""
    owner: dict[str, Entity | None] = {}
    for entity in index.entities:
        for forms in entity.variants.values():
            for form in forms:
                form = _EDGE.sub("", " ".join(form.split()))
                if len(form) < 2:
                    continue
                if owner.get(form, entity) is not entity:
                    owner[form] = None  # ambiguous
                else:
                    owner[form] = entity
    return {form: e for form, e in owner.items() if e is not None}


def entity_mentions(
    index: EntityIndex, analyses: Mapping[str, ArticleAnalysis], articles: Sequence[Article]
) -> dict[str, list[EntitySpan]]:
    """Every mention of a known entity per article id, in text order: the linked ones
    and each further occurrence of a name used for the entity (whole words, same case)."""
    forms = _forms(index)
    pattern = (
        re.compile(
            r"(?<![\w@])(?:"
            + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            + r")(?!\w)"
        )
        if forms
        else None
    )
    out: dict[str, list[EntitySpan]] = {}
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        spans = [(m.start, m.end, e) for m, e in index.linked_mentions(article.id, analysis)]
        if pattern is not None:
            taken = sorted((s, e) for s, e, _ in spans)
            found = []
            for match in pattern.finditer(article.text):
                start, end = match.span()
                if not _overlaps(taken, start, end):
                    found.append((start, end, forms[match.group()]))
            spans = sorted(spans + found, key=lambda s: s[0])
        out[article.id] = spans
    return out


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    from bisect import bisect_right

    i = bisect_right(taken, (start, 1 << 60))
    if i and taken[i - 1][1] > start:
        return True
    return i < len(taken) and taken[i][0] < end


def entity_colours(
    index: EntityIndex, mentions: Mapping[str, Sequence[EntitySpan]] | None = None
) -> dict[str, str]:
    """Entity id -> colour variable name, stable for one index.

    The palette's distinct colours go to the entities named in the most articles'
    openings, then in the most articles, then most often (``mentions`` from
    ``entity_mentions``; without it the index's counts); an entity in one article
    only, or a demonym, takes its type's colour."""
    openings: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    articles: dict[str, set[str]] = {}
    if mentions is not None:
        for aid, spans in mentions.items():
            for start, _, entity in spans:
                counts[entity.id] = counts.get(entity.id, 0) + 1
                articles.setdefault(entity.id, set()).add(aid)
                if start < OPENING_CHARS:
                    openings.setdefault(entity.id, set()).add(aid)
    else:
        for entity in index.entities:
            counts[entity.id] = sum(entity.mentions.values())
            articles[entity.id] = set(entity.mentions)
    order = {e.id: i for i, e in enumerate(index.entities)}
    candidates = [
        e for e in index.entities if e.label != "NORP" and len(articles.get(e.id, ())) > 1
    ]
    candidates.sort(
        key=lambda e: (
            -len(openings.get(e.id, ())),
            -len(articles.get(e.id, ())),
            -counts.get(e.id, 0),
            order[e.id],
        )
    )
    colours = {e.id: TYPE_VARIABLE.get(e.label, "entity-norp") for e in index.entities}
    for rank, entity in enumerate(candidates[:ENTITY_PALETTE_SIZE], 1):
        colours[entity.id] = f"entity-{rank}"
    return colours


def entity_style(entity: Entity, colours: Mapping[str, str], selected: bool = False) -> str:
    style = f"${colours.get(entity.id, 'entity-norp')} {TYPE_STYLE.get(entity.label, '')}".strip()
    return "$entity-selected" if selected else style


def entity_highlights(
    index: EntityIndex,
    analyses: Mapping[str, ArticleAnalysis],
    hidden_types: Container[str] = (),
    selected: str | None = None,
    colours: Mapping[str, str] | None = None,
    mentions: Mapping[str, Sequence[EntitySpan]] | None = None,
) -> dict[str, list[Highlight]]:
    """Highlight spans per article id (``mentions`` from ``entity_mentions``; without
    it, the linked mentions only)."""
    if mentions is None:
        mentions = {
            aid: [(m.start, m.end, e) for m, e in index.linked_mentions(aid, analysis)]
            for aid, analysis in analyses.items()
        }
    colours = colours if colours is not None else entity_colours(index, mentions)
    out: dict[str, list[Highlight]] = {}
    for aid, spans in mentions.items():
        out[aid] = [
            Highlight(start, end, entity_style(entity, colours, entity.id == selected))
            for start, end, entity in spans
            if entity.label not in hidden_types
        ]
    return out
