"""JSON and Markdown renderings of the library's comparison data.

Owns: the export contract (schema ``parallax.export/1``), kept stable for scripts:

    {"schema": "parallax.export/1",
     "articles": [{"id", "outlet", "title", "published" (YYYY-MM-DD or null), "url",
                   "origin", "text"}],
     "stories": [{"id", "title", "article_ids", "outlets"}],
     "entities": [], "timeline": [], "alignments": [], "framing": {},
     "notes": {article id: one line}}

``notes`` names each article whose analysis failed (it is left out of entities,
timeline, alignments and framing; the rest is exported) or covers only part of its
text (``reader.analysis.nlp.MAX_ANALYSED_CHARS``).

Later sections are filled by the analysis modules; each section builder below is
the one place that shapes its part. Must not: import Textual, or run spaCy when
everything is cached (``analyse_and_link`` only computes misses).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reader.analysis.alignment import Alignment
from reader.analysis.entities import EntityIndex
from reader.analysis.framing import Framing
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
        raise ExportError(f"no story with id {story_id!r} (stories: {known}; see parallax stories)")
    return store.get_articles(story.article_ids), [story]


def _entities(index: EntityIndex) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "name": e.name,
            "label": e.label,
            "variants": {aid: list(forms) for aid, forms in e.variants.items()},
            "mentions": dict(e.mentions),
        }
        for e in index.entities
    ]


def _story_comparisons(
    store: Store,
    articles: Sequence[Article],
    stories: Sequence[Story],
    analyses: Any,
    index: EntityIndex,
) -> list[tuple[Story, list[Article], Alignment, Framing]]:
    """Alignment and framing per story: they compare outlets within one event."""
    from reader.analysis.story_cache import StoryComparison

    by_id = {a.id: a for a in articles}
    out = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        if not members:
            continue
        comparison = StoryComparison(store, members, analyses, index, scope=articles)
        alignment = comparison.alignment()
        out.append((story, members, alignment, comparison.framing(alignment)))
    return out


def _framing_section(
    comparisons: Sequence[tuple[Story, list[Article], Alignment, Framing]],
) -> dict[str, Any]:
    from reader.analysis.framing import framing_export

    merged: dict[str, Any] = {
        "quotes": [],
        "numbers": [],
        "naming": [],
        "unique": [],
        "disagreements": [],
    }
    for *_, framing in comparisons:
        for key, value in framing_export(framing).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


def _story_facts(store: Store, members: Sequence[Article], alignment: Alignment, framing: Framing):  # type: ignore[no-untyped-def]
    """A story's fact table and the followed outlets that did not cover it."""
    from reader.analysis.facts import build_fact_table, coverage_gaps, story_days

    days = story_days(members)
    near = store.outlets_between(*days) if days else []
    gaps = coverage_gaps(members, near, [f.name for f in store.feeds()])
    return build_fact_table(members, alignment, framing), gaps


def _facts_section(
    store: Store, comparisons: Sequence[tuple[Story, list[Article], Alignment, Framing]]
) -> dict[str, list[dict[str, Any]]]:
    """``facts`` (every story's fact-table rows) and ``coverage`` (who did not cover it)."""
    from reader.analysis.facts import facts_export

    facts: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    for story, members, alignment, framing in comparisons:
        table, gaps = _story_facts(store, members, alignment, framing)
        facts += [{"story_id": story.id, **row} for row in facts_export(table)]
        coverage.append(
            {"story_id": story.id, "outlets": list(table.outlets), "not_covered_by": gaps}
        )
    return {"facts": facts, "coverage": coverage}


def build_export(store: Store, story_id: str | None = None) -> dict[str, Any]:
    from reader.analysis.alignment import alignments_export
    from reader.analysis.cache import analysis_notes
    from reader.analysis.stories import story_outlets
    from reader.analysis.story_cache import StoryComparison
    from reader.analysis.timeline import timeline_export

    articles, stories, analyses, index, comparisons = _compare(store, story_id)
    by_id = {a.id: a for a in articles}
    timeline = StoryComparison(store, articles, analyses, index).timeline()
    return {
        "schema": SCHEMA,
        "articles": [
            {
                "id": a.id,
                "outlet": a.outlet,
                "title": a.title,
                "published": a.published_iso,
                "url": a.url,
                "origin": a.origin,
                "text": a.text,
            }
            for a in articles
        ],
        "stories": [
            {
                "id": s.id,
                "title": s.title,
                "article_ids": list(s.article_ids),
                "outlets": story_outlets([by_id[i] for i in s.article_ids if i in by_id]),
            }
            for s in stories
        ],
        "entities": _entities(index),
        "timeline": timeline_export(timeline),
        "alignments": [
            g for *_, alignment, _f in comparisons for g in alignments_export(alignment)
        ],
        "framing": _framing_section(comparisons),
        "notes": analysis_notes(store, articles),
        **_facts_section(store, comparisons),
    }


def _compare(store: Store, story_id: str | None):  # type: ignore[no-untyped-def]
    """The selection, its analyses and linked entities, and each story's comparison."""
    from reader.analysis.cache import analyse_and_link

    articles, stories = _selection(store, story_id)
    analyses, index = analyse_and_link(store, articles)
    return (
        articles,
        stories,
        analyses,
        index,
        _story_comparisons(store, articles, stories, analyses, index),
    )


def export_json(store: Store, story_id: str | None = None) -> str:
    return json.dumps(build_export(store, story_id), ensure_ascii=False, indent=2) + "\n"


def export_markdown(store: Store, story_id: str | None = None) -> str:
    """The same comparison as a readable Markdown report, one section per story."""
    from reader.analysis.cache import analysis_notes
    from reader.analysis.facts import facts_markdown
    from reader.analysis.framing import framing_markdown
    from reader.sanitize import markdown_inline

    articles, *_, comparisons = _compare(store, story_id)
    notes = analysis_notes(store, articles)
    parts = ["# Parallax comparison", ""]
    for story, members, alignment, framing in comparisons:
        # Every untrusted string is escaped (framing_markdown does its own): the
        # report renders in Markdown viewers that run HTML and load images (issue 17).
        parts += [f"## Story: {markdown_inline(story.title)}", ""]
        for a in members:
            if a.id in notes:
                line = f"{a.outlet} ({a.id}): {notes[a.id]}"
                parts += [f"> **Note:** {markdown_inline(line)}", ""]
        parts.append(framing_markdown(members, alignment, framing).strip())
        parts.append("")
        table, gaps = _story_facts(store, members, alignment, framing)
        facts = facts_markdown(table, gaps)
        if facts:
            parts += [facts.strip(), ""]
    return "\n".join(parts)
