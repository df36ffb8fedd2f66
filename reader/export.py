"""JSON and Markdown renderings of the library's comparison data.

Owns: the export contract (schema ``parallax.export/1``), kept stable for scripts:

    {"schema": "parallax.export/1",
     "articles": [{"id", "outlet", "title", "published" (YYYY-MM-DD or null), "url",
                   "origin", "text"}],
     "stories": [{"id", "title", "article_ids"}],
     "entities": [], "timeline": [], "alignments": [], "framing": {}}

Later sections are filled by the analysis modules; each section builder below is
the one place that shapes its part. Must not: import Textual, or run spaCy when
everything is cached (it calls ``ensure_analyses``, which only computes misses).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reader.analysis.entities import EntityIndex
from reader.models import Article, Story
from reader.store import Store

SCHEMA = "parallax.export/1"


class ExportError(Exception):
    """One line for the user (unknown story id, ...)."""


def _selection(store: Store, story_id: str | None) -> tuple[list[Article], list[Story]]:
    from reader.analysis.stories import regroup

    stories = store.stories() or regroup(store)
    if story_id is None:
        return store.all_articles(), stories
    story = next((s for s in stories if s.id == story_id), None)
    if story is None:
        known = ", ".join(s.id for s in stories) or "none"
        raise ExportError(f"no story with id {story_id!r} (stories: {known})")
    return store.get_articles(story.article_ids), [story]


def _entities(index: EntityIndex) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id, "name": e.name, "label": e.label,
            "variants": {aid: list(forms) for aid, forms in e.variants.items()},
            "mentions": dict(e.mentions),
        }
        for e in index.entities
    ]


def build_export(store: Store, story_id: str | None = None) -> dict[str, Any]:
    from reader.analysis.cache import ensure_analyses
    from reader.analysis.entities import link_entities
    from reader.analysis.timeline import build_timeline, timeline_export

    articles, stories = _selection(store, story_id)
    analyses = ensure_analyses(store, articles)
    index = link_entities(articles, analyses)
    return {
        "schema": SCHEMA,
        "articles": [
            {
                "id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published_iso,
                "url": a.url, "origin": a.origin, "text": a.text,
            }
            for a in articles
        ],
        "stories": [
            {"id": s.id, "title": s.title, "article_ids": list(s.article_ids)} for s in stories
        ],
        "entities": _entities(index),
        "timeline": timeline_export(build_timeline(articles, analyses, index)),
        "alignments": [],
        "framing": {},
    }


def export_json(store: Store, story_id: str | None = None) -> str:
    return json.dumps(build_export(store, story_id), ensure_ascii=False, indent=2) + "\n"


def export_markdown(store: Store, story_id: str | None = None) -> str:
    data = build_export(store, story_id)
    return _markdown(data["articles"], data["stories"])


def _markdown(articles: Sequence[dict[str, Any]], stories: Sequence[dict[str, Any]]) -> str:
    by_id = {a["id"]: a for a in articles}
    lines = ["# Parallax comparison", ""]
    for story in stories:
        lines += [f"## {story['title']}", ""]
        for aid in story["article_ids"]:
            a = by_id.get(aid)
            if a:
                lines.append(f"- **{a['outlet']}** ({a['published'] or 'undated'}): {a['title']}")
        lines.append("")
    return "\n".join(lines)
