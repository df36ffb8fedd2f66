"""Entity colours: one colour per canonical entity, the same in every pane.

Owns: mapping an ``EntityIndex`` to highlight spans. Colours are theme variables
(``$entity-1`` … ``$entity-8`` for the story's most-mentioned entities, then
``$entity-person``/``-org``/``-place``/``-norp`` by type), and the type also sets
the text style (people bold, places underlined, organisations italic), so entity
types stay distinguishable in 16-colour and monochrome terminals.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from reader.analysis.entities import EntityIndex
from reader.models import ArticleAnalysis, Entity
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


def entity_colours(index: EntityIndex) -> dict[str, str]:
    """Entity id -> colour variable name, stable for one index (most-mentioned first)."""
    colours: dict[str, str] = {}
    rank = 0
    for entity in index.entities:
        if rank < ENTITY_PALETTE_SIZE and len(entity.mentions) > 1:
            rank += 1
            colours[entity.id] = f"entity-{rank}"
        else:
            colours[entity.id] = TYPE_VARIABLE.get(entity.label, "entity-norp")
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
) -> dict[str, list[Highlight]]:
    """Highlight spans per article id."""
    colours = colours if colours is not None else entity_colours(index)
    out: dict[str, list[Highlight]] = {}
    for aid, analysis in analyses.items():
        spans = []
        for mention, entity in index.linked_mentions(aid, analysis):
            if entity.label in hidden_types:
                continue
            spans.append(
                Highlight(
                    mention.start, mention.end, entity_style(entity, colours, entity.id == selected)
                )
            )
        out[aid] = spans
    return out
