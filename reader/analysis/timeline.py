"""The timeline: dated sentences as events, merged across outlets into entries.

Owns: turning analysed articles into ``Event``s (a sentence with a date resolved by
``reader.analysis.dates``), merging events that report the same happening on the same
date into ``TimelineEntry``s that list every outlet reporting it, and the timeline's
export shape (``timeline_export``). Must not: import spaCy or Textual, touch the store,
or measure similarity itself: merging uses ``reader.analysis.similarity.similar_pairs``
(the one measure), with canonical entity ids from the ``EntityIndex``.

Decisions:

* **Events.** One event per distinct resolved date in a sentence; when a sentence has
  several, a date that only dates the report ("Ned Price said in a statement on
  Tuesday", "Tuesday, the New York Times revealed that since January 5, ...") is
  dropped in favour of the happening's.
  Tweet signature lines ("— Ned Price (@StateDeptSpox) February 14, 2022") are not
  events: the tweet they sign is quoted in the text anyway.
* **Page furniture is no event** (``is_page_furniture``): related-link lists (list
  items that end no sentence), headline-and-teaser boxes run together by a double
  space, titles in Title Case (headlines, titles of works), bylines and datelines
  (a date, a time and at most two words), calls to action ("Sign up ... today") and
  captions ("(Graphic: ...)"). Structural signs only: the same pages of unseen outlets
  have them too.
* **"Earlier/later in the day"** continues the day the article last named with a
  weekday or "yesterday" (a report of Tuesday's hearing published on Wednesday), and
  falls back to publication day when it named none.
* **Headed dates and live pages.** A paragraph that is nothing but a full date
  ("February 14, 2022" in DW's live page) is a heading, not an event: it becomes the
  reference date for the paragraphs below it. A live page (title says "latest",
  "live", "as it happened", "updates") keeps being written after its publication date,
  so its past tense may reach one day further: "Blinken said on Tuesday" on DW's page of
  Monday 14 February is 2022-02-15, not the Tuesday before. (A live page carrying a
  heading for each day would resolve against each heading instead.)
* **Merging.** Events are compared with ``similar_pairs`` over all sentences of the
  articles. Events with the same resolved date (same start and granularity) are merged
  by average-link clustering while the average score between two clusters is at least
  ``MERGE_THRESHOLD``. Two events of one article go into one entry only when clearly
  the same (score >= ``SAME_ARTICLE_THRESHOLD``, e.g. a quote and the tweet it came
  from) or when they stand within ``NEAR_SENTENCES`` sentences of each other (one
  sub-story: "declared Wednesday, February 16, Unity Day" and the quote below it);
  otherwise they can never share an entry (an article does not report one happening
  twice in distant places, and single articles would otherwise chain into blobs).
* **Coarse into fine.** An entry dated by a coarser span (weekend, week, month) that
  contains the date of a day entry joins the best matching such day entry when their
  average score reaches ``COARSE_THRESHOLD`` ("a phone call between Biden and Putin over
  the weekend" joins "Biden spoke with Putin on Saturday"); the entry keeps the day.
* **Implicit dates.** News reports the day's happenings without always saying "on
  Monday". An undated sentence of an article published on an entry's day joins that
  entry (expression ``None``) when it shares a canonical entity that is not everywhere
  with the entry's dated mentions, its best score with them is at least
  ``IMPLICIT_THRESHOLD``, and its outlet is not in the entry yet; a sentence
  joins only its best entry, and at most one sentence per article and entry. Only
  narrating sentences qualify (a past-tense verb, not opening with a quotation). The
  Washington Post's relocation report, which never dates the move, lands on
  2022-02-14 this way.
* **Order.** Entries sort by start date, finer granularity first at the same start
  (a day before the week, month or year starting on it), then by number of outlets
  (more first), then title.

Why one module of ~650 lines: finding events, the page-furniture rules and merging them
into entries are one pipeline with one export shape; resolving a date lives apart
(``reader.analysis.dates``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from reader.analysis.dates import (
    ResolvedDate,
    find_dates,
    is_past_report,
    is_report_date,
    resolve_date,
)
from reader.analysis.entities import EntityIndex, is_title_case
from reader.analysis.similarity import Unit, similar_pairs
from reader.models import Article, ArticleAnalysis

MERGE_THRESHOLD = 0.14
"""Average score at which two same-date clusters merge (tuned on the seeds)."""
SAME_ARTICLE_THRESHOLD = 0.5
"""Two events of one article share an entry only when this close (clearly the same)."""
COARSE_THRESHOLD = 0.2
"""Average score at which a weekend/week/month entry files under a day inside it."""
NEAR_SENTENCES = 3
"""Events of one article this close (a live page's sub-story, a paragraph and the quote
after it) merge like events of different articles."""
IMPLICIT_THRESHOLD = 0.17
"""Score (best link to a dated mention) at which an undated sentence joins an entry of
its publication day."""
RARE_ENTITY_SHARE = 0.08
"""Entities in more than this share of all sentences do not make an undated sentence a
candidate for an implicit date (Russia, Ukraine, the US are everywhere)."""
TITLE_CHARS = 80

_LIVE_TITLE = re.compile(r"\b(?:latest|live|as it happened|updates)\b", re.IGNORECASE)
_TWEET_SIGNATURE = re.compile(r"^\s*[—–-]+\s*.{0,80}\(@\w+\)")
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•·*▪]|\d{1,2}[.)])\s+")
_TERMINAL = tuple(".!?…\"”’'):;")
_TEASER_JUNCTION = re.compile(r"^[^.!?]{12,140}?\w[\s\u00a0]{2,}[A-Z“\"]")
_PROMO = re.compile(
    r"^\W*(?:sign\s+up|subscribe|click|tap|download|listen|watch|read\s+more|follow\s+us"
    r"|get\s+(?:the|our)|join\s+us|don['’]t\s+miss|register)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\W{0,3}(?:graphic|photo|image|picture|video|caption|credit|illustration|file\s+photo)"
    r"\s*(?:by\b|:)|\((?:[^()]*\b)?(?:graphic|photo|image|credit|getty|afp|ap\s+photo|reuters)\b",
    re.IGNORECASE,
)
_BYLINE_WORDS = re.compile(r"[^\W\d_]{2,}")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?\b", re.IGNORECASE)
_SAME_DAY = re.compile(r"^(?:earlier|later) in the day$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence that states when something happened."""

    article_id: str
    sentence_index: int
    sentence_text: str
    expression: str
    resolved: ResolvedDate


@dataclass(frozen=True, slots=True)
class TimelineMention:
    """One outlet's sentence in a timeline entry; ``expression`` None: dated by publication."""

    article_id: str
    sentence_index: int
    sentence: str
    expression: str | None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A happening on a date, with every sentence (and so every outlet) that reports it."""

    date: ResolvedDate
    title: str
    mentions: tuple[TimelineMention, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The reporting articles, in mention order, each once."""
        return tuple(dict.fromkeys(m.article_id for m in self.mentions))


def is_live_page(article: Article) -> bool:
    """A live blog: written on after its publication date (see the module docstring)."""
    return bool(_LIVE_TITLE.search(article.title))


def _heading_date(text: str, published: date) -> ResolvedDate | None:
    """The date a paragraph consisting of one full date stands for (a live-page heading)."""
    resolved = resolve_date(text.strip(), published)
    if resolved is None or resolved.granularity != "day" or not re.search(r"\d{4}", text):
        return None
    return resolved if abs((resolved.start - published).days) <= 60 else None


def is_page_furniture(sentence: str, paragraph: str, dates: Sequence[tuple[int, int]]) -> bool:
    """A sentence that reports no happening: page furniture around or inside an article.

    ``paragraph`` is the sentence's paragraph; ``dates`` the spans of its date
    expressions. Structural signs, never words of a particular outlet:

    * a list item that does not end a sentence ("- Playoff picture: Raiders in pursuit
      Breaking down ... Week 11 action"): a related-links list;
    * a headline and its teaser run together with a double space ("Armenia named most
      popular spot ... in 2019  Armenia has been named ..."): a related-story box;
    * a title in Title Case ("Stadia Is Essentially A Beta Version Until 2020, But ..."):
      a headline or the title of a work, not a report;
    * a byline or dateline: nothing but a date, a time and at most two words
      ("- Published 18 November 2019", "기사입력 :[ 2018-08-25 15:24 ]");
    * a call to action ("Sign up for ... today"), a caption ("(Graphic: ...)", "Photo:").
    """
    text = sentence.strip()
    para = paragraph.strip()
    if _LIST_ITEM.match(para) and not para.endswith(_TERMINAL):
        return True
    if _TEASER_JUNCTION.match(para):
        return True
    if _PROMO.match(text) or _CAPTION.search(text):
        return True
    rest = text
    for start, end in sorted(dates, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = _CLOCK.sub(" ", rest)
    if len(_BYLINE_WORDS.findall(rest)) <= 2:
        return True
    return is_title_case(text)


def find_events(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> list[Event]:
    """Every dated sentence of the articles, in article and text order."""
    events: list[Event] = []
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None or article.published is None:
            continue
        reference = article.published
        live = is_live_page(article)
        per_paragraph: dict[int, int] = defaultdict(int)
        for s in analysis.sentences:
            per_paragraph[s.paragraph] += 1
        bounds = _paragraph_bounds(analysis)
        last_day: date | None = None  # the last day a weekday or "yesterday" named
        date_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for m in analysis.mentions:
            if m.label == "DATE":
                date_spans[m.sentence].append((m.start, m.end))
        for s in analysis.sentences:
            text = article.text[s.start : s.end]
            if per_paragraph[s.paragraph] == 1 and (heading := _heading_date(text, reference)):
                reference = heading.start
                continue
            if _TWEET_SIGNATURE.match(text):
                continue
            horizon = reference + timedelta(days=1) if live else reference
            spans = [(a - s.start, b - s.start) for a, b in date_spans.get(s.index, ())]
            found = find_dates(text, reference, spans, horizon=horizon)
            if not found:
                continue
            a, b = bounds[s.paragraph]
            if is_page_furniture(text, article.text[a:b], [(f[0], f[1]) for f in found]):
                continue
            if len(found) > 1:  # keep the happening's date, not the report's
                found = [f for f in found if not is_report_date(text, f[0], f[1])] or found[:1]
            found = [(x, y, _same_day(r, last_day)) for x, y, r in found]
            for _, _, resolved in found:
                if resolved.granularity == "day" and _NAMED_DAY.search(resolved.expression):
                    last_day = resolved.start
            seen: set[tuple[date, str]] = set()
            for _, _, resolved in found:
                key = (resolved.start, resolved.granularity)
                if key in seen:
                    continue
                seen.add(key)
                events.append(Event(article.id, s.index, text, resolved.expression, resolved))
    return events


def _paragraph_bounds(analysis: ArticleAnalysis) -> dict[int, tuple[int, int]]:
    """Each paragraph's (start, end) in the article text, from its sentences."""
    bounds: dict[int, tuple[int, int]] = {}
    for s in analysis.sentences:
        a, b = bounds.get(s.paragraph, (s.start, s.end))
        bounds[s.paragraph] = (min(a, s.start), max(b, s.end))
    return bounds


_NAMED_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tomorrow)\b",
    re.IGNORECASE,
)


def _same_day(resolved: ResolvedDate, last_day: date | None) -> ResolvedDate:
    """ "Earlier in the day", "later in the day" continue the day the story last named
    (a weekday or "yesterday" in an earlier sentence), not publication day: "Vindman
    denied earlier in the day" in a report on Tuesday's hearing published Wednesday."""
    if last_day is None or not _SAME_DAY.match(_plain(resolved.expression)):
        return resolved
    return ResolvedDate(resolved.expression, last_day, "day")


def _plain(expression: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", expression.strip())


class _Scores:
    """Pair scores among the given sentences, from the shared measure."""

    def __init__(
        self,
        keys: Sequence[tuple[str, int]],
        articles: Mapping[str, Article],
        analyses: Mapping[str, ArticleAnalysis],
        entities: Mapping[tuple[str, int], frozenset[str]],
    ) -> None:
        self.index = {key: n for n, key in enumerate(keys)}
        units = []
        for aid, sentence in keys:
            s = analyses[aid].sentences[sentence]
            units.append(
                Unit(
                    articles[aid].text[s.start : s.end], entities.get((aid, sentence), frozenset())
                )
            )
        self.pairs: dict[tuple[int, int], float] = {
            (i, j): score for i, j, score in similar_pairs(units, threshold=0.0)
        }

    def score(self, a: int, b: int) -> float:
        if a == b:
            return 1.0
        return self.pairs.get((a, b) if a < b else (b, a), 0.0)

    def matrix(self, ids: Sequence[int]) -> np.ndarray:
        n = len(ids)
        out = np.eye(n)
        for x in range(n):
            for y in range(x + 1, n):
                out[x, y] = out[y, x] = self.score(ids[x], ids[y])
        return out


def _sentence_entities(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
) -> dict[tuple[str, int], frozenset[str]]:
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        for m in analysis.mentions:
            entity = entity_index.entity_of(m)
            if entity is not None:
                found[(article.id, m.sentence)].add(entity.id)
    return {key: frozenset(ids) for key, ids in found.items()}


def _cluster(events: Sequence[Event], ids: Sequence[int], scores: _Scores) -> list[list[int]]:
    """Average-link clusters (positions into ``events``) with the same-article rule."""
    sim = scores.matrix(ids)
    n = len(events)
    article_no = {aid: k for k, aid in enumerate(dict.fromkeys(e.article_id for e in events))}
    owner = np.array([article_no[e.article_id] for e in events])
    position = np.array([e.sentence_index for e in events])
    near = np.abs(position[:, None] - position[None, :]) <= NEAR_SENTENCES
    forbid = (owner[:, None] == owner[None, :]) & ~near & (sim < SAME_ARTICLE_THRESHOLD)
    clusters = [[x] for x in range(n)]
    total = sim.copy()  # summed scores between clusters
    blocked = forbid.astype(np.int32)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    while True:
        avg = total / np.outer(sizes, sizes)
        mask = alive[:, None] & alive[None, :] & (blocked == 0)
        np.fill_diagonal(mask, False)
        avg = np.where(mask, avg, -1.0)
        a, b = np.unravel_index(int(np.argmax(avg)), avg.shape)
        if avg[a, b] < MERGE_THRESHOLD:
            break
        a, b = min(a, b), max(a, b)
        clusters[a] += clusters[b]
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] += blocked[b, :]
        blocked[:, a] += blocked[:, b]
        sizes[a] += sizes[b]
        alive[b] = False
    return [clusters[x] for x in range(n) if alive[x]]


@dataclass
class _Draft:
    date: ResolvedDate
    members: list[tuple[int, str, int, str, str | None]]  # unit, article, sentence, text, expr

    def units(self) -> list[int]:
        return [m[0] for m in self.members]

    def articles(self) -> set[str]:
        return {m[1] for m in self.members}


def _average(scores: _Scores, a: Sequence[int], b: Sequence[int]) -> float:
    return float(np.mean([scores.score(x, y) for x in a for y in b])) if a and b else 0.0


def build_timeline(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
) -> list[TimelineEntry]:
    """The merged timeline of the articles, sorted (see the module docstring)."""
    events = find_events(articles, analyses)
    if not events:
        return []
    by_id = {a.id: a for a in articles}
    entities = _sentence_entities(articles, analyses, entity_index)
    rare = _rare_entities(analyses, entities)
    candidates = _implicit_candidates(articles, analyses, events, rare)
    keys = list(dict.fromkeys([(e.article_id, e.sentence_index) for e in events] + candidates))
    scores = _Scores(keys, by_id, analyses, entities)

    by_date: dict[tuple[date, str], list[Event]] = defaultdict(list)
    for event in events:
        by_date[(event.resolved.start, event.resolved.granularity)].append(event)
    drafts: list[_Draft] = []
    for group in by_date.values():
        ids = [scores.index[(e.article_id, e.sentence_index)] for e in group]
        for cluster in _cluster(group, ids, scores):
            members: list[tuple[int, str, int, str, str | None]] = [
                (
                    ids[x],
                    group[x].article_id,
                    group[x].sentence_index,
                    group[x].sentence_text,
                    group[x].expression,
                )
                for x in cluster
            ]
            drafts.append(_Draft(group[cluster[0]].resolved, members))

    drafts = _coarse_into_fine(drafts, scores)
    _attach_implicit(drafts, by_id, analyses, candidates, scores, rare)

    entries = [_entry(d, scores) for d in drafts]
    entries.sort(key=lambda e: (*e.date.key, -len(e.article_ids), e.title))
    return entries


def _coarse_into_fine(drafts: list[_Draft], scores: _Scores) -> list[_Draft]:
    days = [d for d in drafts if d.date.granularity == "day"]
    kept: list[_Draft] = []
    for draft in drafts:
        if draft.date.granularity in ("day", "year"):
            kept.append(draft)
            continue
        inside = [d for d in days if draft.date.contains(d.date)]
        best = max(inside, key=lambda d: _average(scores, d.units(), draft.units()), default=None)
        if best is not None and (
            _average(scores, best.units(), draft.units()) >= COARSE_THRESHOLD
            and not best.articles() & draft.articles()
        ):
            best.members.extend(draft.members)
        else:
            kept.append(draft)
    return kept


def _rare_entities(
    analyses: Mapping[str, ArticleAnalysis],
    entities: Mapping[tuple[str, int], frozenset[str]],
) -> dict[tuple[str, int], frozenset[str]]:
    """Each sentence's canonical entities that are not everywhere in the articles (in at
    most ``RARE_ENTITY_SHARE`` of the sentences)."""
    total = sum(len(a.sentences) for a in analyses.values()) or 1
    frequency: dict[str, int] = defaultdict(int)
    for ids in entities.values():
        for eid in ids:
            frequency[eid] += 1
    rare = {eid for eid, n in frequency.items() if n <= RARE_ENTITY_SHARE * total}
    return {key: ids & rare for key, ids in entities.items()}


def _implicit_candidates(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    events: Sequence[Event],
    rare: Mapping[tuple[str, int], frozenset[str]],
) -> list[tuple[str, int]]:
    """Undated sentences that may join an entry of their article's publication day.

    Blocking, so the measure sees few sentences: the sentence must share a canonical
    entity with a day-dated event of another article on that day, counting only
    entities that are not everywhere (in at most ``RARE_ENTITY_SHARE`` of sentences).
    """
    by_day: dict[date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    dated: set[tuple[str, int]] = set()
    for e in events:
        dated.add((e.article_id, e.sentence_index))
        if e.resolved.granularity == "day":
            ids = rare.get((e.article_id, e.sentence_index), frozenset())
            by_day[e.resolved.start][e.article_id] |= ids
    out: list[tuple[str, int]] = []
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None or article.published not in by_day:
            continue
        others: set[str] = set()
        for aid, day_ids in by_day[article.published].items():
            if aid != article.id:
                others |= day_ids
        bounds = _paragraph_bounds(analysis)
        for s in analysis.sentences:
            key = (article.id, s.index)
            if key in dated or not (rare.get(key, frozenset()) & others):
                continue
            text = article.text[s.start : s.end]
            a, b = bounds[s.paragraph]
            if (
                not _TWEET_SIGNATURE.match(text)
                and is_past_report(text)
                and not is_page_furniture(text, article.text[a:b], ())
            ):
                out.append(key)
    return out


def _attach_implicit(
    drafts: list[_Draft],
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    candidates: Sequence[tuple[str, int]],
    scores: _Scores,
    rare: Mapping[tuple[str, int], frozenset[str]],
) -> None:
    """Each candidate joins the entry it matches best (single link to a dated mention)
    among the entries it shares a rare entity with (words alone, "two hours" in a
    sentence about the distance from Kyiv to the border, do not make it the same
    happening as "met Zelensky for two hours"); per article and entry only the best
    candidate is kept."""
    shared = [
        frozenset().union(*(rare.get((m[1], m[2]), frozenset()) for m in d.members)) for d in drafts
    ]
    best: dict[tuple[int, str], tuple[float, int]] = {}  # (draft, article) -> score, sentence
    for aid, index in candidates:
        article = articles[aid]
        unit = scores.index[(aid, index)]
        choice: tuple[float, int] | None = None
        for n, draft in enumerate(drafts):
            if (
                draft.date.granularity != "day"
                or draft.date.start != article.published
                or aid in draft.articles()
                or not rare.get((aid, index), frozenset()) & shared[n]
            ):
                continue
            top = max(scores.score(unit, u) for u in draft.units())
            if top >= IMPLICIT_THRESHOLD and (choice is None or top > choice[0]):
                choice = (top, n)
        if choice is not None:
            key = (choice[1], aid)
            if key not in best or choice[0] > best[key][0]:
                best[key] = (choice[0], index)
    for (n, aid), (_, index) in sorted(best.items()):
        s = analyses[aid].sentences[index]
        drafts[n].members.append(
            (scores.index[(aid, index)], aid, index, articles[aid].text[s.start : s.end], None)
        )


def _entry(draft: _Draft, scores: _Scores) -> TimelineEntry:
    units = draft.units()
    explicit = [x for x, m in enumerate(draft.members) if m[4] is not None]

    def centrality(x: int) -> float:
        return sum(scores.score(units[x], u) for u in units)

    central = max(explicit or range(len(units)), key=centrality)
    member = draft.members[central]
    order = sorted(range(len(draft.members)), key=lambda x: (draft.members[x][4] is None, x))
    mentions = tuple(
        TimelineMention(
            draft.members[x][1], draft.members[x][2], draft.members[x][3], draft.members[x][4]
        )
        for x in order
    )
    return TimelineEntry(draft.date, make_title(member[3], member[4]), mentions)


_LEAD_DATE = re.compile(r"^\s*(?:(?:later|earlier)\s+)?(?:on\s+)?$", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r",?\s*(?:[\"”’']\s*)?,?\s+(?:according to [^,]+|[A-Z][\w.’'-]*(?:\s+[\w.’'-]+){0,7}\s+"
    r"(?:said|says|told [^,.]+|tweeted|added|noted|announced)(?:\s+(?:on|in)\s+[^,.]+)?)\.?\s*$"
)


_DATELINE = re.compile(r"^[A-Z][\w ,.]{0,40}\([A-Z][\w/&.-]{1,12}\)\s*[:—–-]\s*")
_REPORTED = re.compile(
    r"^.{0,60}?\b(?:revealed|reported|said|announced|indicated|told\s+\w+)\s+that\s+",
)


def _lead_expression(text: str, expression: str) -> str | None:
    """``text`` without a leading date phrase ("since January 5, ..."), else None."""
    expr = re.sub(r"[\s\u00a0]+", " ", expression)
    pos = text.find(expr)
    if pos >= 0 and re.fullmatch(r"\s*(?:since|on|from|until|by|in)?\s*", text[:pos]):
        rest = text[pos + len(expr) :].lstrip(" ,")
        return rest or None
    return None


def make_title(sentence: str, expression: str | None = None, limit: int = TITLE_CHARS) -> str:
    """A short title from a sentence: its date phrase and trailing attribution cut, and
    at most ``limit`` characters, cut at a clause boundary where possible."""
    text = re.sub(r"[\s\u00a0]+", " ", sentence).strip()
    if expression:
        expr = re.sub(r"[\s\u00a0]+", " ", expression)
        pos = text.find(expr)
        if pos >= 0 and _LEAD_DATE.match(text[:pos]):
            rest = text[pos + len(expr) :].lstrip(" ,")
            if rest:
                text = rest[0].upper() + rest[1:]
    text = _DATELINE.sub("", text)
    if (m := _REPORTED.match(text)) and len(text) - m.end() > 30:
        rest = text[m.end() :]
        if expression and (lead := _lead_expression(rest, expression)):
            rest = lead
        text = rest[0].upper() + rest[1:]
    text = _ATTRIBUTION.sub("", text).strip().rstrip(".,;:")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    for mark in (";", " — ", ", ", " that ", " as ", " and "):
        at = cut.rfind(mark)
        if at >= limit // 2:
            return cut[:at].rstrip(" ,;—") + "…"
    at = cut.rfind(" ")
    return (cut[:at] if at > 0 else cut).rstrip(" ,;—") + "…"


def timeline_export(entries: Sequence[TimelineEntry]) -> list[dict[str, Any]]:
    """The export contract's ``timeline`` section.

    ``[{"date", "granularity", "title", "mentions": [{"article_id", "sentence",
    "expression"}]}]``: ``date`` is "YYYY-MM-DD" for day, weekend (its Saturday) and week
    (its Monday), "YYYY-MM" for month, "YYYY" for year; ``expression`` is null for a
    sentence dated by its article's publication day.
    """
    out: list[dict[str, Any]] = []
    for entry in entries:
        d = entry.date
        if d.granularity == "month":
            stamp = f"{d.start.year:04d}-{d.start.month:02d}"
        elif d.granularity == "year":
            stamp = f"{d.start.year:04d}"
        else:
            stamp = d.start.isoformat()
        out.append(
            {
                "date": stamp,
                "granularity": d.granularity,
                "title": entry.title,
                "mentions": [
                    {"article_id": m.article_id, "sentence": m.sentence, "expression": m.expression}
                    for m in entry.mentions
                ],
            }
        )
    return out
