"""Stories: articles from different outlets about the same event, grouped.

Owns: ``group_stories`` (the rule) and ``regroup`` (apply it to the library and
store the result), and ``story_outlets`` (a story's outlets, each once). Rule: two
articles belong to one story when they were published within ``WINDOW_DAYS`` of each
other, their similarity (the shared measure in ``analysis.similarity``: words,
character n-grams, entities and numbers, over title and lede) is at least
``NAMED_THRESHOLD`` and they name the same rare thing (a headline word, or
``RARE_SHARED`` people or organisations few articles have: a review round-up and the
launch story, an opinion piece and the news report, a wire round-up and a
single-model story word the same event differently, but name it alike). Shared
places and nationalities are a topic, not an event (a hostage swap and a helicopter
crash in one country on consecutive days are two stories). Near-copies
(``COPY_THRESHOLD``) join whatever they name; until both articles are analysed, the
words decide (``THRESHOLD``, or a rare headline word). Stories are the connected
groups of such pairs (single-link), so an event fetched from several feeds becomes
one story. The seeds form their stories this way too; nothing is hard-coded.
Known limit: two events of one inquiry in the same days that name the same people
(a preview of one hearing beside coverage of the previous one) are still grouped
(docs/analysis/truth-claims.md, "Stories, second pass").

Entities enter the measure when the articles' analyses are cached (canonical
entity ids); without them the words alone decide, so grouping never waits for spaCy.

A story's id is ``s-`` plus the smallest article id in it (stable while the story's
earliest-known member stays); its title is the title of its most central article
that has a real headline.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import numpy as np

from reader.analysis.similarity import Unit, similar_pairs
from reader.analysis.vocabulary import ENGLISH_STOP_WORDS
from reader.models import Article, Story

THRESHOLD = 0.18
"""Until both articles are analysed, a pair scoring at least this is one story."""
NAMED_THRESHOLD = 0.13
"""Two analysed articles scoring at least this are one story when their headlines name
the same rare thing, or their ledes share ``RARE_SHARED`` rare people or organisations
(``_named_alike``): a review round-up and a launch story, an opinion piece and a news
report use different words for one event but name it alike. (Unanalysed, a shared rare
headline word is enough at this score.)"""
RARE_MAX = 5
RARE_SHARE = 0.01
"""A headline word or an entity is rare when at most ``max(RARE_MAX, RARE_SHARE × the
articles grouped)`` articles have it."""
RARE_SHARED = 2
COPY_THRESHOLD = 0.40
"""Texts this alike are one story whatever they name (a wire copy, a reprint)."""
_TOPICAL = ("place:", "norp:")
"""Entity kinds that name where or who in general, not an event's actors: shared
places and nationalities are topic evidence only."""
WINDOW_DAYS = 7
LEDE_CHARS = 1500
"""Only the title and the first this-many characters are compared: the lede says what
the event is; the rest of a long article (a live blog) drifts to other events."""


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

    # Only articles at most WINDOW_DAYS apart (or undated) are compared at all.
    days = np.array(
        [a.published.toordinal() if a.published else np.nan for a in articles], dtype=np.float64
    )
    centrality = np.zeros(len(articles))
    pairs = similar_pairs(units, threshold=NAMED_THRESHOLD, days=days, max_gap=WINDOW_DAYS)
    named_alike = _named_alike(articles, entities)
    for i, j, score in pairs:
        if not _joins(
            score, named_alike(i, j), analysed=bool(units[i].entities and units[j].entities)
        ):
            continue
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


def _joins(score: float, named_alike: bool, *, analysed: bool) -> bool:
    """Whether a pair scoring ``score`` is one story.

    Analysed pairs (both have entities) need event-level evidence at any score under
    ``COPY_THRESHOLD``: the same rare headline word, or ``RARE_SHARED`` rare names that
    are not places or nationalities (``_named_alike``). Words and places alone say the
    topic ("Afghanistan", "Taliban", "Kabul"), not the event: two articles on one
    country in the same days are two stories until they name the same actors or
    the same thing. Unanalysed pairs keep the word-only rule (``THRESHOLD``) so that
    grouping never waits for spaCy."""
    if score >= COPY_THRESHOLD:
        return True
    if analysed:
        return score >= NAMED_THRESHOLD and named_alike
    return score >= THRESHOLD or named_alike


_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'’-]*[A-Za-z]")


def _headline_words(article: Article) -> frozenset[str]:
    """The content words of a real headline (none for a title derived from the lede)."""
    if article.title.endswith("…"):
        return frozenset()
    return frozenset(
        w.lower().replace("’", "'").removesuffix("'s")
        for w in _HEADLINE_WORD.findall(article.title)
        if w.lower() not in ENGLISH_STOP_WORDS and len(w) > 2
    )


def _named_alike(
    articles: Sequence[Article], entities: Mapping[str, frozenset[str]]
) -> Callable[[int, int], bool]:
    """Whether two articles (by position) name the same rare thing: a headline word or
    ``RARE_SHARED`` entities that few of ``articles`` have (see ``RARE_MAX``; people
    and organisations: a place or a nationality names a topic, not an event)."""
    limit = max(RARE_MAX, RARE_SHARE * len(articles))
    heads = [_headline_words(a) for a in articles]
    ents = [entities.get(a.id, frozenset()) for a in articles]
    head_df = Counter(w for h in heads for w in h)
    ent_df = Counter(e for es in ents for e in es)

    def alike(i: int, j: int) -> bool:
        if any(head_df[w] <= limit for w in heads[i] & heads[j]):
            return True
        return (
            sum(1 for e in ents[i] & ents[j] if ent_df[e] <= limit and not e.startswith(_TOPICAL))
            >= RARE_SHARED
        )

    return alike


_regroup_lock = threading.Lock()

FULL_REGROUP_MAX = 2000
"""Up to this many articles a regroup groups the whole library; above it, a regroup
after new (or newly analysed) articles regroups only the articles near them."""


def regroup(store, changed: Sequence[str] | None = None) -> list[Story]:  # type: ignore[no-untyped-def]
    """Group the library and store the stories; returns the stories it (re)formed.

    Without ``changed``, or in a library of at most ``FULL_REGROUP_MAX`` articles, the
    whole library is grouped. With ``changed`` (the ids of articles just added or
    analysed) in a larger library, only their neighbourhood is: every article
    published within ``WINDOW_DAYS`` of one of them, every undated article, and the
    whole of every story any of those is in. Nothing outside it can pair with a
    changed article (the window), so the other stories stand; the weights of the
    words (IDF) are then those of the neighbourhood, not of the whole library. An
    undated article pairs with any date, so its neighbourhood is taken around the
    day it was imported (grouping it against the whole of a large library would cost
    as much as a full regroup).

    One regroup at a time in a process (read, group, write under one lock): the
    library's first word-only grouping and the one after the analysis can overlap on
    a fresh database, and the last to write must be the one that saw the analyses.
    """
    with _regroup_lock:
        if changed is None or store.count_articles() <= FULL_REGROUP_MAX:
            return _regroup(store)
        new = store.get_articles(list(changed))
        if not new:
            return []
        near = store.articles_near([_anchor(a) for a in new], WINDOW_DAYS)
        ids = store.story_member_ids([a.id for a in near] + [a.id for a in new])
        # In the order a whole-library regroup reads them (undated first, by date, id).
        articles = sorted(
            store.get_articles(list(ids)),
            key=lambda a: (a.published is not None, a.published or date.min, a.id),
        )
        stories = group_stories(articles, _entity_sets(store, articles))
        store.replace_stories_of([a.id for a in articles], stories)
        return stories


def story_outlets(articles: Sequence[Article]) -> list[str]:
    """The outlets of a story's articles, each once, in the articles' order: an outlet's
    several articles (versions, a follow-up) are one outlet ("3 outlets", never
    "4 outlets: A, B, C, A")."""
    seen: dict[str, str] = {}
    for article in articles:
        seen.setdefault(" ".join(article.outlet.split()).casefold(), article.outlet)
    return list(seen.values())


def _anchor(article: Article) -> date:
    """The day a regroup's neighbourhood is taken around: published, else imported."""
    if article.published is not None:
        return article.published
    try:
        return date.fromisoformat(article.imported_at[:10])
    except (TypeError, ValueError):
        return date.today()


def _regroup(store) -> list[Story]:  # type: ignore[no-untyped-def]
    articles = store.all_articles()
    stories = group_stories(articles, _entity_sets(store, articles))
    store.replace_stories(stories)
    return stories


def _entity_sets(store, articles: Sequence[Article]) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    """Canonical entity ids per analysed article (linked across ``articles``)."""
    from reader.analysis.cache import cached_analyses
    from reader.analysis.entities import link_entities

    analyses = cached_analyses(store, articles)
    if not analyses:
        return {}
    index = link_entities([a for a in articles if a.id in analyses], analyses)
    return {aid: index.entity_ids_in(aid) for aid in analyses}
