"""Disagreements: numbers, dates and named facts that outlets state differently.

Owns: ``find_disagreements`` (what one story's outlets state differently about the same
thing, each with the sentence on every side as evidence). Must not: import spaCy or
Textual, parse quantities itself (``reader.analysis.amounts``), resolve dates itself
(``reader.analysis.dates``) or align sentences (it reads an ``Alignment``).

A disagreement is only ever between two *outlets* (several articles of one outlet are
versions of it, never compared with each other), about the same thing at the same time
(articles published more than ``WINDOW_DAYS`` apart report different moments: a troop
count in January and one in February are two counts), and with values that cannot both
be true. When a rule is unsure it flags nothing.

Numbers (``amounts.quantities`` on every sentence that is not junk):

- Same unit (what the number counts: "age", "horsepower", "USD", "%", "duration" ...),
  not ``amounts.compatible`` (equal, rounding-equal "39%"/"about 40%", truncated
  "$129.99"/"$129", inside a bound "more than 100,000"/"130,000" all agree), and
  within ``SAME_ORDER`` of each other (five years for one charge and 175 years for all
  of them are two quantities, not one stated twice).
- About the same thing, one of: (a) the two sentences are aligned (one claim told twice;
  a group matched loosely, ``AlignedGroup.loose``, does not count: it may join two claims);
  (b) an age of the same person ("the 48-year-old Australian" after a sentence about
  Assange, "Assange, 47,"); (c) the two paragraphs name a common entity and the two
  outlets agree on another value of the same unit there (both give the rear motor as
  275 hp, so their 355 hp and 335 hp for the second configuration are one figure told
  two ways), with the values within ``CLOSE`` of each other.
- Neither outlet also states the other's value (then they do not disagree; one just
  says more).

Dates (``dates.find_dates`` on aligned sentences, loose groups aside): two aligned
sentences of different outlets that each give exactly one date, resolved against their
own article's publication date, whose spans do not meet ("July" vs "May"; a day apart is
one day across time zones).

Named facts (aligned sentences, loose groups aside): each names an institution of the
same kind (the same head noun: hospital, prison, court, university ...) and they are
different entities, neither of which the other outlet's article mentions at all
("Belmarsh prison" vs "Wandsworth prison").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from reader.analysis.alignment import AlignedGroup, Alignment, junk_sentences
from reader.analysis.amounts import Quantity, compatible, quantities
from reader.analysis.dates import ResolvedDate, find_dates
from reader.analysis.entities import EntityIndex
from reader.analysis.quotes import People, known_people, surname_hits
from reader.models import Article, ArticleAnalysis, Mention, Sentence

WINDOW_DAYS = 3
SAME_ORDER = 2.0
CLOSE = 1.25
"""Values compared only through a common entity and a corroborating value must be this close."""
INSTITUTIONS = frozenset(
    "hospital prison jail university college court school airport station stadium arena hotel "
    "church mosque museum clinic embassy".split()
)


@dataclass(frozen=True, slots=True)
class Side:
    """What one article states."""

    article_id: str
    value: str  # as written: "48-year-old", "335 horsepower", "May", "Belmarsh prison"
    number: float | None  # the value of a number (durations in seconds), else None
    sentence_index: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One thing the outlets of a story state differently."""

    kind: str  # "number", "date" or "fact"
    about: str  # "age of Julian Assange", "horsepower", "date", "prison"
    values: tuple[Side, ...]


@dataclass(frozen=True, slots=True)
class _Stated:
    quantity: Quantity
    article_id: str
    outlet: str
    sentence_index: int
    sentence: str
    topic: frozenset[str]  # entity ids it is about
    explicit: bool  # the topic is the person the text says it is about (ages)


def find_disagreements(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    index: EntityIndex,
    alignment: Alignment,
) -> tuple[Disagreement, ...]:
    """The numbers, dates and named facts the outlets of one story state differently."""
    by_id = {a.id: a for a in articles if a.id in analyses}
    # Only groups the alignment is sure make one claim: two sentences matched loosely
    # may be about different things, and then their values do not disagree.
    sure = [g for g in alignment.groups if not g.loose]
    group_of = {(m.article_id, m.sentence_index): g.id for g in sure for m in g.members}
    found = _numbers(by_id, analyses, index, group_of)
    found += _dates(by_id, analyses, sure)
    found += _facts(by_id, analyses, index, sure)
    return tuple(found)


def _apart(a: Article, b: Article) -> bool:
    """Published too far apart to report the same moment (unknown dates: not apart)."""
    return bool(a.published and b.published and abs((a.published - b.published).days) > WINDOW_DAYS)


# --- numbers ------------------------------------------------------------------------------


def _people_in(
    article: Article, s: Sentence, mentions: Sequence[Mention], index: EntityIndex, people: People
) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of the people a sentence names, by mention or by surname
    (offsets in the article), in text order."""
    found = [
        (m.start, m.end, e.id)
        for m in mentions
        if (e := index.entity_of(m)) is not None and e.id in people.ids
    ]
    for start, end, (_name, eid) in surname_hits(article.text[s.start : s.end], people):
        a, b = s.start + start, s.start + end
        if eid and not any(x < b and a < y for x, y, _ in found):
            found.append((a, b, eid))
    return sorted(found)


def _age_subject(
    article: Article,
    analysis: ArticleAnalysis,
    index: EntityIndex,
    people: People,
    sentence_index: int,
    q: Quantity,
    mentions: Mapping[int, Sequence[Mention]],
) -> str | None:
    """The person an age is about: the name it stands with ("Assange, 47"; "17-year-old
    Virginia Giuffre"), else the one person named in the sentence or, failing that, in
    the nearest sentence before it that names anyone, within the paragraph or the one
    before ("Assange ... . The 48-year-old Australian ..."). Two people there: unsure."""
    s = analysis.sentences[sentence_index]
    here = _people_in(article, s, mentions.get(sentence_index, ()), index, people)
    if q.subject is not None:
        a, b = s.start + q.subject[0], s.start + q.subject[1]
        named = [eid for x, y, eid in here if x < b and a < y]
        return named[-1] if named else None
    after = [eid for x, _y, eid in here if 0 <= x - (s.start + q.end) <= 2]
    if after:
        return after[0]
    for k in range(sentence_index, max(sentence_index - 3, -1), -1):
        other = analysis.sentences[k]
        if s.paragraph - other.paragraph > 1:
            break
        near = {eid for *_, eid in _people_in(article, other, mentions.get(k, ()), index, people)}
        if near:
            return next(iter(near)) if len(near) == 1 else None
    return None


def _stated(
    article: Article, analysis: ArticleAnalysis, index: EntityIndex, people: People
) -> list[_Stated]:
    junk = junk_sentences(article, analysis)
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for m in (*analysis.mentions, *index.added.get(article.id, ())):
        mentions[m.sentence].append(m)
    paragraph_topic: dict[int, set[str]] = defaultdict(set)
    for s in analysis.sentences:
        for m in mentions.get(s.index, ()):
            entity = index.entity_of(m)
            if entity is not None and entity.label != "NORP":
                paragraph_topic[s.paragraph].add(entity.id)
    out = []
    for s in analysis.sentences:
        if s.index in junk:
            continue
        text = article.text[s.start : s.end]
        for q in quantities(text):
            if q.unit == "fraction":
                continue  # a third of what: the base is rarely stated
            if q.unit == "age":
                who = _age_subject(article, analysis, index, people, s.index, q, mentions)
                if who is None:
                    continue
                topic, explicit = frozenset({who}), True
            else:
                topic, explicit = frozenset(paragraph_topic.get(s.paragraph, ())), False
            out.append(_Stated(q, article.id, article.outlet, s.index, text, topic, explicit))
    return out


def _numbers(
    by_id: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    index: EntityIndex,
    group_of: Mapping[tuple[str, int], str],
) -> list[Disagreement]:
    people = known_people(index, analyses)
    stated = {aid: _stated(a, analyses[aid], index, people) for aid, a in by_id.items()}
    by_outlet: dict[str, list[_Stated]] = defaultdict(list)
    for said in stated.values():
        for item in said:
            by_outlet[item.outlet].append(item)
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    items: list[_Stated] = []
    ids: dict[int, int] = {}
    for outlet_a, outlet_b in combinations(sorted(by_outlet), 2):
        for a in by_outlet[outlet_a]:
            for b in by_outlet[outlet_b]:
                if not _conflict(a, b, by_id, by_outlet, group_of):
                    continue
                for item in (a, b):
                    if id(item) not in ids:
                        ids[id(item)] = len(items)
                        items.append(item)
                parent[find(ids[id(a)])] = find(ids[id(b)])
    clusters: dict[int, list[_Stated]] = defaultdict(list)
    for item in items:
        clusters[find(ids[id(item)])].append(item)
    found = []
    order = {aid: n for n, aid in enumerate(by_id)}
    for members in clusters.values():
        members.sort(key=lambda i: (order[i.article_id], i.sentence_index, i.quantity.start))
        found.append(
            Disagreement(
                "number",
                _about(members, index),
                tuple(
                    Side(
                        i.article_id,
                        i.quantity.text,
                        i.quantity.value,
                        i.sentence_index,
                        i.sentence,
                    )
                    for i in members
                ),
            )
        )
    return found


def _conflict(
    a: _Stated,
    b: _Stated,
    by_id: Mapping[str, Article],
    by_outlet: Mapping[str, Sequence[_Stated]],
    group_of: Mapping[tuple[str, int], str],
) -> bool:
    qa, qb = a.quantity, b.quantity
    if qa.unit != qb.unit or compatible(qa, qb) or qa.value <= 0 or qb.value <= 0:
        return False
    if _apart(by_id[a.article_id], by_id[b.article_id]):
        return False
    ratio = max(qa.value, qb.value) / min(qa.value, qb.value)
    aligned = group_of.get((a.article_id, a.sentence_index)) is not None and group_of.get(
        (a.article_id, a.sentence_index)
    ) == group_of.get((b.article_id, b.sentence_index))
    if a.explicit or b.explicit:
        same = a.explicit and b.explicit and a.topic == b.topic
        if not same or ratio > SAME_ORDER:
            return False
    elif aligned:
        if ratio > SAME_ORDER:
            return False
    else:
        shared = a.topic & b.topic
        if not shared or ratio > CLOSE or not _corroborated(a, b, shared, by_outlet):
            return False
    # Neither outlet also states the other's value: then one just says more.
    return not (_states(by_outlet[a.outlet], b) or _states(by_outlet[b.outlet], a))


def _states(items: Sequence[_Stated], other: _Stated) -> bool:
    """Whether an outlet states a value agreeing with ``other`` anywhere (for an age: of
    the same person). Unsure what it refers to, it counts: saying less beats a false flag."""
    return any(
        i.quantity.unit == other.quantity.unit
        and compatible(i.quantity, other.quantity)
        and (not other.explicit or i.topic == other.topic)
        for i in items
    )


def _corroborated(
    a: _Stated, b: _Stated, shared: frozenset[str], by_outlet: Mapping[str, Sequence[_Stated]]
) -> bool:
    """The two outlets agree on another value of the same unit about the shared entity."""
    for x in by_outlet[a.outlet]:
        if x is a or x.quantity.unit != a.quantity.unit or not x.topic & shared:
            continue
        for y in by_outlet[b.outlet]:
            if y is b or y.quantity.unit != b.quantity.unit or not y.topic & shared:
                continue
            if compatible(x.quantity, y.quantity):
                return True
    return False


def _about(members: Sequence[_Stated], index: EntityIndex) -> str:
    unit = members[0].quantity.unit
    if unit == "age":
        entity = index.get(next(iter(members[0].topic)))
        return f"age of {entity.name}" if entity else "age"
    if len(unit) == 3 and unit.isupper():
        return f"money ({unit})"
    shared = frozenset.intersection(*(m.topic for m in members))
    names = sorted(
        (e for eid in shared if (e := index.get(eid)) is not None),
        key=lambda e: -sum(e.mentions.values()),
    )
    return f"{unit} ({names[0].name})" if names else unit


# --- dates --------------------------------------------------------------------------------


def _one_date(article: Article, text: str) -> tuple[str, ResolvedDate] | None:
    if article.published is None:
        return None
    found = find_dates(text, article.published)
    if len(found) != 1:
        return None
    start, end, resolved = found[0]
    return text[start:end], resolved


def _meet(a: ResolvedDate, b: ResolvedDate) -> bool:
    if a.granularity == b.granularity == "day":
        return abs((a.start - b.start).days) <= 1  # a day apart: one day across time zones
    return not (a.end < b.start or b.end < a.start)


def _dates(
    by_id: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    groups: Sequence[AlignedGroup],
) -> list[Disagreement]:
    found = []
    for group in groups:
        dated = []
        for m in group.members:
            article = by_id.get(m.article_id)
            if article is None:
                continue
            one = _one_date(article, m.text)
            if one is not None:
                dated.append((article, m, one))
        for (a, ma, (xa, ra)), (b, mb, (xb, rb)) in combinations(dated, 2):
            if a.outlet == b.outlet or _apart(a, b) or _meet(ra, rb):
                continue
            found.append(
                Disagreement(
                    "date",
                    "date",
                    (
                        Side(a.id, xa, None, ma.sentence_index, ma.text),
                        Side(b.id, xb, None, mb.sentence_index, mb.text),
                    ),
                )
            )
            break  # one flag per claim
    return found


# --- named facts --------------------------------------------------------------------------

_HEAD = re.compile(r"\s*([a-z]+)")


def _institutions(
    article: Article, analysis: ArticleAnalysis, index: EntityIndex, sentence_index: int
) -> list[tuple[str, str, str]]:
    """(institution noun, entity id, surface) named in one sentence: "Belmarsh prison"."""
    out = []
    for m in analysis.mentions:
        if m.sentence != sentence_index:
            continue
        entity = index.entity_of(m)
        if entity is None or entity.label not in ("ORG", "PLACE"):
            continue
        words = m.text.lower().split()
        head = words[-1] if words else ""
        if head not in INSTITUTIONS and (after := _HEAD.match(article.text, m.end)):
            head = after.group(1)
            surface = article.text[m.start : after.end()]
        else:
            surface = m.text
        if head in INSTITUTIONS:
            out.append((head, entity.id, surface))
    return out


def _facts(
    by_id: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    index: EntityIndex,
    groups: Sequence[AlignedGroup],
) -> list[Disagreement]:
    found = []
    for group in groups:
        named = []
        for m in group.members:
            article = by_id.get(m.article_id)
            if article is None:
                continue
            for head, eid, surface in _institutions(
                article, analyses[article.id], index, m.sentence_index
            ):
                named.append((article, m, head, eid, surface))
        for (a, ma, ha, ea, sa), (b, mb, hb, eb, sb) in combinations(named, 2):
            if a.outlet == b.outlet or ha != hb or ea == eb or _apart(a, b):
                continue
            if ea in index.entity_ids_in(b.id) or eb in index.entity_ids_in(a.id):
                continue  # each outlet names both: they do not disagree
            found.append(
                Disagreement(
                    "fact",
                    ha,
                    (
                        Side(a.id, sa, None, ma.sentence_index, ma.text),
                        Side(b.id, sb, None, mb.sentence_index, mb.text),
                    ),
                )
            )
    return found
