"""Stories: articles from different outlets about the same event, grouped.

Owns: ``group_stories`` (the rule) and ``regroup`` (apply it to the library and
store the result). Rule: two articles belong to one story when they were published
within ``WINDOW_DAYS`` of each other and their similarity (the shared measure in
``analysis.similarity``: words, character n-grams, entities and numbers, over title
and text) is at least ``THRESHOLD``; stories are the connected groups of such pairs
(single-link), so an event fetched from several feeds becomes one story. The seeds
form their stories this way too; nothing is hard-coded.

Entities enter the measure when the articles' analyses are cached (canonical
entity ids); without them the words alone decide, so grouping never waits for spaCy.

A story's id is ``s-`` plus the smallest article id in it (stable while the story's
earliest-known member stays); its title is the title of its most central article
that has a real headline.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from reader.analysis.similarity import Unit, similar_pairs
from reader.models import Article, Story

THRESHOLD = 0.18
WINDOW_DAYS = 7
LEDE_CHARS = 1500
"""Only the title and the first this-many characters are compared: the lede says what
the event is; the rest of a long article (a live blog) drifts to other events."""


def _within_window(a: date | None, b: date | None) -> bool:
    if a is None or b is None:
        return True
    return abs((a - b).days) <= WINDOW_DAYS


def group_stories(
    articles: Sequence[Article],
    entities: Mapping[str, frozenset[str]] | None = None,
) -> list[Story]:
    """Group articles into stories; ``entities`` maps article id to canonical entity ids."""
    if not articles:
        return []
    entities = entities or {}
    units = [
        Unit(f"{a.title}\n{a.text[:LEDE_CHARS]}", entities.get(a.id, frozenset())) for a in articles
    ]
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    centrality = np.zeros(len(articles))
    for i, j, score in similar_pairs(units, threshold=THRESHOLD):
        if _within_window(articles[i].published, articles[j].published):
            parent[find(i)] = find(j)
            centrality[i] += score
            centrality[j] += score
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(find(i), []).append(i)
    stories = []
    for members in groups.values():
        # Prefer a real headline over a title derived from the lede (those end in "…").
        central = max(
            members,
            key=lambda i: (not articles[i].title.endswith("…"), centrality[i], -i),
        )
        ordered = sorted(
            members, key=lambda i: (articles[i].published or date.max, articles[i].outlet)
        )
        ids = tuple(articles[i].id for i in ordered)
        stories.append(Story(f"s-{min(ids)}", articles[central].title, ids))
    stories.sort(key=lambda s: (-len(s.article_ids), s.title))
    return stories


_regroup_lock = threading.Lock()


def regroup(store) -> list[Story]:  # type: ignore[no-untyped-def]
    """Group the whole library and store the stories.

    One regroup at a time in a process (read, group, write under one lock): the
    library's first word-only grouping and the one after the analysis can overlap on
    a fresh database, and the last to write must be the one that saw the analyses.
    """
    with _regroup_lock:
        return _regroup(store)


def _regroup(store) -> list[Story]:  # type: ignore[no-untyped-def]
    from reader.analysis.cache import cached_analyses
    from reader.analysis.entities import link_entities

    articles = store.all_articles()
    analyses = cached_analyses(store, articles)
    entity_sets: dict[str, frozenset[str]] = {}
    if analyses:
        index = link_entities([a for a in articles if a.id in analyses], analyses)
        for aid in analyses:
            entity_sets[aid] = index.entity_ids_in(aid)
    stories = group_stories(articles, entity_sets)
    store.replace_stories(stories)
    return stories
