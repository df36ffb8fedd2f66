"""Dates as a news reader resolves them: "said Monday" means a day, "last week" a week.

Owns: finding temporal expressions in a sentence (a regex finder of its own, merged
with the NER model's DATE spans, which miss "on Feb. 5"-style and weekday phrasing
and include durations), and resolving each against the article's publication date
into a ``ResolvedDate`` that keeps its real granularity. Must not: import spaCy or
Textual, or read the store; callers pass plain strings, dates and spans.

Rules (each has a table-driven test in ``tests/test_dates.py``):

* **weekday** ("on Tuesday", "said Monday", "Sunday evening"): the nearest such day
  around publication, in the direction of the sentence's tense. Future (will, would,
  is expected, plans to, set to, is scheduled, is heading, "to meet" ...) → the first
  such day on or after publication; present (a scheduling verb: opens, begins,
  launches, holds, follows, goes on sale, "launch day is Tuesday"; or a past plan: "was
  due to", "was set to") → the nearest such day, three days either way; past or
  unmarked → the last such day on or before the *horizon* (publication, or publication
  + 1 day for live pages: see ``find_dates``). "last Monday"/"next Monday" are always
  before/after publication. Tense is read in the expression's own clause first, then
  in the sentence's main clauses ("that", "which", "who" clauses are reported content
  and do not set the tense); within a clause the nearest marker *before* the
  expression wins (the verb an adverbial of time belongs to comes first: "dumped rain
  on Tuesday and more was expected Wednesday"), else the first after it (a fronted
  date: "On Tuesday, Scholz is heading ..."). An infinitive or participle ("to play",
  "be allowed") has no tense of its own; "decided to"/"agreed to" narrate the past.
* **month and day without a year** ("February 16", "Feb. 5", "since January 5"): the
  year the same sentence gives explicitly ("in August 2016 ... on January 5"), when it
  gives exactly one; else the year that puts the day nearest to publication, unless
  that lies more than ``FAR_DAYS`` the wrong side of publication for the tense (past:
  "what he was doing on March 10" in November is the March before, not after; future
  or present: the next one).
* **full dates** ("February 14, 2022", "14 February 2022", "2022-02-14"): that day.
* **relative spans keep their granularity**: "yesterday", "today", "tomorrow",
  "earlier in the day" → day; "last/this/next week", "later this week", "later in the
  week" → week (start = that week's Monday); "last/this/next month" → month; "in
  June", "since June" → month, the last June on or before publication (next one when
  the tense is future); "in 2008", "last year" → year; "February 2022" → month. A bare
  year is an attribute ("the 1986 disaster"), not an event: it needs "in", "since" ...
* **the weekend** ("over the weekend", "this weekend") is its own granularity,
  ``"weekend"``, starting on the Saturday (end Sunday): before a Monday publication it
  is the weekend just past. A timeline may file it under a Saturday that falls inside.
* **"today", "yesterday", "tomorrow", "tonight" inside a quotation** are not events
  ("questions that demand a solution today"; a Friday statement quoted on Monday says
  "yesterday" of Thursday): they count from when the words were said; outside quotes
  they count from publication. A capitalised "Today" inside a sentence is a name ("USA
  Today"), and "today's" means nowadays ("today's landscape"): not dates.
* **expressions that name no day**: a weekday after "a", "every", "each", "any" ("on a
  Monday"); "the next year", "the following week" (counted from another date of the
  story, which this module does not know: say nothing rather than count from
  publication); the end of a range ("18-24 November").
* **durations and vague spans are not events**: "for months", "nearly eight years",
  "the coming days", "a couple of months", "hours or days", "30 years", "two-day",
  "the past year", "in recent days", "the near future", "the day" → ``None``.
* **month without a year** ("in June", "late January"): past → the last such month on
  or before publication, future → the next, present ("goes on sale in late January",
  "was due to be released in September") → the nearest.

Why one module of ~680 lines: the finder and the resolver share the expression grammar
and the tense rules, and the table-driven tests read them as one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Literal

Granularity = Literal["day", "weekend", "week", "month", "year"]
GRANULARITY_ORDER: dict[str, int] = {"day": 0, "weekend": 1, "week": 2, "month": 3, "year": 4}
"""Finer first: entries with the same start sort day < weekend < week < month < year."""

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A temporal expression resolved against a publication date."""

    expression: str
    start: date
    granularity: Granularity

    @property
    def end(self) -> date:
        """The last day the date covers."""
        g = self.granularity
        if g == "day":
            return self.start
        if g == "weekend":
            return self.start + timedelta(days=1)
        if g == "week":
            return self.start + timedelta(days=6)
        if g == "month":
            nxt = _add_months(self.start, 1)
            return nxt - timedelta(days=1)
        return date(self.start.year, 12, 31)

    def contains(self, other: ResolvedDate) -> bool:
        return self.start <= other.start and other.end <= self.end

    def label(self) -> str:
        g = self.granularity
        if g == "day":
            return self.start.isoformat()
        if g == "weekend":
            return f"weekend of {self.start.isoformat()}"
        if g == "week":
            return f"week of {self.start.isoformat()}"
        if g == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.year:04d}"

    @property
    def key(self) -> tuple[date, int]:
        """Sort key: by start, finer granularity first."""
        return self.start, GRANULARITY_ORDER[self.granularity]

    def same_date(self, other: ResolvedDate) -> bool:
        return self.start == other.start and self.granularity == other.granularity


# --- the finder -----------------------------------------------------------------------

_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?"
    r"|dec\.?)"
)
_MON_FIND = _MON.replace("|may|", "|(?-i:May)|")  # "Russia may ..." is no month
_ORD = r"(?:st|nd|rd|th)?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_S = r"[\s\u00a0]+"

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
    ("full", rf"\b(?:{_WD},?{_S})?{_MON_FIND}{_S}\d{{1,2}}{_ORD},?{_S}\d{{4}}\b"),
    ("full_dmy", rf"\b(?:{_WD},?{_S})?\d{{1,2}}{_ORD}{_S}(?:of{_S})?{_MON_FIND}{_S}\d{{4}}\b"),
    ("month_day", rf"\b(?:{_WD},?{_S})?{_MON_FIND}{_S}\d{{1,2}}{_ORD}(?![\d,.]?\d)\b"),
    ("day_month", rf"\b(?:{_WD},?{_S})?\d{{1,2}}{_ORD}{_S}(?:of{_S})?{_MON_FIND}(?![a-z])"),
    (
        "month_year",
        rf"\b(?:(?:in|since|by|until|from|during|early|late|mid-?){_S})?"
        rf"{_MON_FIND}{_S}\d{{4}}\b",
    ),
    (
        "rel_week",
        rf"\b(?:(?:later|earlier){_S}(?:this|in{_S}the){_S}week|(?:last|this|next)"
        rf"{_S}week)\b",
    ),
    ("weekend", rf"\b(?:(?:over|at|during|on){_S})?(?:the|this|last|next){_S}weekend\b"),
    ("rel_month", rf"\b(?:last|this|next){_S}month\b"),
    ("rel_year", rf"\b(?:last|this|next){_S}year\b"),
    (
        "rel_day",
        rf"\b(?:yesterday|today|tonight|tomorrow|(?:earlier|later){_S}in{_S}the{_S}day"
        rf"|this{_S}(?:morning|afternoon|evening))\b",
    ),
    ("weekday", rf"\b(?:(?:last|next|this|on|from|until|by|since){_S})?{_WD}{_PART}\b"),
    (
        "month",
        rf"\b(?:in|since|by|until|from|during|early|late|mid-?|last|next|this){_S}{_MON_FIND}"
        rf"(?!\w)(?!\.\w)(?!{_S}\d)",  # "in February." ends a sentence
    ),
    (
        "year",
        rf"\b(?:in|since|by|until|from|during|before|after){_S}(?:1[89]\d\d|20\d\d)\b"
        r"(?![\d%])",
    ),
]
_FINDER = re.compile("|".join(f"(?P<{n}>{p})" for n, p in _PATTERNS), re.IGNORECASE)
_TRIGGER = re.compile(
    rf"\b(?:{_WD}|{_MON_FIND}|\d{{1,4}}(?:st|nd|rd|th)?|week|weekend|month|year|yesterday|today"
    r"|tonight|tomorrow|day|morning|afternoon|evening)(?![\w-])",
    re.IGNORECASE,
)
_WORD_START = re.compile(r"(?<![\w'’.-])[\w]")
_LOOKBACK_WORDS = 4


def _regex_spans(text: str) -> list[tuple[int, int]]:
    """The finder's matches, tried only at the few word starts before a trigger word.

    The same result as ``_FINDER.finditer`` (leftmost, non-overlapping), several times
    faster: most sentences hold no date, and the alternation is long.
    """
    triggers = [m.start() for m in _TRIGGER.finditer(text)]
    if not triggers:
        return []
    starts = [m.start() for m in _WORD_START.finditer(text)]
    candidates: set[int] = set()
    for t in triggers:
        k = bisect_right(starts, t)
        candidates.update(starts[max(0, k - 1 - _LOOKBACK_WORDS) : k])
        candidates.add(t)
    spans: list[tuple[int, int]] = []
    last_end = -1
    for pos in sorted(candidates):
        if pos < last_end:
            continue
        if m := _FINDER.match(text, pos):
            spans.append(m.span())
            last_end = m.end()
    return spans


_DROP_LEAD = re.compile(r"^(?:on|from|until|by)[\s\u00a0]+", re.IGNORECASE)


# --- tense ----------------------------------------------------------------------------

_FUTURE = re.compile(
    r"\b(?:will|shall|would|won't|wo\s+not)\b|\w'll\b"
    r"|\b(?:is|are|'s)\s+(?:expected|due|set|scheduled|slated|poised|going|planning"
    r"|heading|travell?ing|leaving|flying|meeting|visiting)\b"
    r"|\b(?:expected|scheduled|set|plans?|planned|planning|going|due|intends?)"
    r"\s+to\b"
    r"|\bto\s+(?:meet|visit|travel|leave|fly|arrive|attend|hold|host|go|head|start|begin|"
    r"sign|return|speak|talk|announce|join|resume)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|has|have|did|met|spoke|held|made|sent|gave|took|went|came|"
    r"left|began|begun|brought|wrote|saw|got|ran|led|fell|rose|won|lost|put|set\s+up|"
    r"[a-z]+ed)\b"
)
_PAST_PLAN = re.compile(
    r"\b(?:was|were)\s+(?:expected|due|set|scheduled|slated|poised|going|planning)\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(?:opens?|begins?|starts?|launch(?:es)?|goes\s+on\s+sale|holds?|hosts?|takes?\s+place"
    r"|kicks?\s+off|arrives?|returns?|follows?|faces?|plays?|visits?|testif(?:y|ies)|airs?"
    r"|premieres?|debuts?)\b"
    r"|\b(?:is|are)(?=\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b)",
    re.IGNORECASE,
)
"""Present tense of scheduling verbs ("The show opens to the public on Friday", "goes on
sale in late January", "launch day is Tuesday"), and a past plan ("was due to be released
in September", "was set to begin Wednesday"): the date names the occurrence nearest the
report, whichever side of it, so it resolves to the nearest such day or month."""
_BOUNDARY = re.compile(
    r"[,;:—–“”\"()]|\s-\s|\b(?:that|which|who|whom|whose|where|while|but|although|because)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(r"\s*(?:that|which|who|whom|whose|where)\b", re.IGNORECASE)

Tense = Literal["past", "future", "present"]


def sentence_tense(sentence: str, start: int, end: int) -> Tense | None:
    """The tense that governs the expression at ``sentence[start:end]`` (None: unmarked)."""
    markers = [mk for mk in _markers(sentence) if mk[1] <= start or mk[0] >= end]
    if not markers:
        return None
    cuts = [0, *(m.start() for m in _BOUNDARY.finditer(sentence)), len(sentence)]
    clauses = [(a, b) for a, b in pairwise(cuts) if b > a]
    own = next(((a, b) for a, b in clauses if a <= start < b), (0, len(sentence)))
    main = [
        (a, b)
        for a, b in clauses
        if (a, b) == own or not _SUBORDINATE.match(sentence, a + _lead_len(sentence[a:b]))
    ]

    def nearest(spans: Sequence[tuple[int, int]]) -> Tense | None:
        inside = [mk for mk in markers if any(a <= mk[0] < b for a, b in spans)]
        if not inside:
            return None
        # The verb a temporal adverbial belongs to usually comes before it ("dumped rain on
        # Tuesday and more was expected Wednesday"); a fronted date takes the verb after.
        before = [mk for mk in inside if mk[1] <= start]
        if before:
            return max(before, key=lambda mk: mk[1])[2]
        return min(inside, key=lambda mk: mk[0])[2]

    return nearest([own]) or nearest(main)


_SPEECH = (
    r"(?:said|says|told\s+[\w\s]{1,30}?|tweeted|wrote|announced|revealed|indicated|stated"
    r"|reported|added)"
)
_REPORT_BEFORE = re.compile(rf"\b{_SPEECH}(?:\s+in\s+an?\s+\w+)?\s*$", re.IGNORECASE)
_REPORT_AFTER = re.compile(rf"^\s*,?\s*(?:the\s+)?(?:[A-Z][\w.]*\s+){{0,4}}{_SPEECH}\b")


def is_report_date(sentence: str, start: int, end: int) -> bool:
    """Whether the date at ``sentence[start:end]`` dates the report, not the happening:
    "Ned Price said in a statement on Tuesday", "Tuesday, the New York Times revealed"."""
    before = re.sub(r"\s*(?:on|in)?\s*$", "", sentence[:start])
    return bool(_REPORT_BEFORE.search(before) or _REPORT_AFTER.match(sentence[end:]))


def is_past_report(sentence: str) -> bool:
    """A sentence that narrates (a past-tense marker, not a quotation opening it)."""
    text = sentence.lstrip()
    if text[:1] in "\"“'‘":
        return False
    return any(kind == "past" for _, _, kind in _markers(text))


def _markers(sentence: str) -> list[tuple[int, int, Tense]]:
    markers: list[tuple[int, int, Tense]] = []
    taken: list[tuple[int, int]] = []
    for m in _PAST_PLAN.finditer(sentence):  # "was due to": nearest, like the present
        markers.append((m.start(), m.end(), "present"))
        taken.append((m.start(), m.end() + 3))  # and its "to"
    for m in _FUTURE.finditer(sentence):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            markers.append((m.start(), m.end(), "future"))
            taken.append(m.span())
    for m in _PAST.finditer(sentence):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            if not _NON_FINITE_BEFORE.search(sentence, 0, m.start()):
                markers.append((m.start(), m.end(), "past"))
            taken.append(m.span())
    for m in _PRESENT.finditer(sentence):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            if not _NON_FINITE_BEFORE.search(sentence, 0, m.start()):
                markers.append((m.start(), m.end(), "present"))
    return markers


_NON_FINITE_BEFORE = re.compile(r"\b(?:to|be|been|being)\s+$", re.IGNORECASE)
"""An infinitive or a participle ("will be allowed to play") carries no tense of its
own: the auxiliary before it does."""


def _lead_len(text: str) -> int:
    """Length of leading punctuation and spaces of a clause (the boundary itself)."""
    n = 0
    while n < len(text) and (text[n] in ',;:—–“”"()-' or text[n].isspace()):
        n += 1
    return n


# --- resolution -----------------------------------------------------------------------


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


FAR_DAYS = 31
"""A month and day more than this from publication must agree with the tense."""


def _month_day_year(
    month: int, day: int, published: date, tense: Tense | None, year: int | None = None
) -> date | None:
    """The day a month and day without a year names (see ``resolve_date``)."""
    if year is not None:
        return _safe_date(year, month, day)
    candidates = []
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    best = min(candidates, key=lambda c: abs((c - published).days))
    if tense == "past" and (best - published).days > FAR_DAYS:
        return max((c for c in candidates if c <= published), default=best)
    if tense in ("future", "present") and (published - best).days > FAR_DAYS:
        return min((c for c in candidates if c >= published), default=best)
    return best


def _weekday_date(
    weekday: int, published: date, horizon: date, tense: Tense | None, modifier: str
) -> date:
    if modifier == "last":
        back = (published.weekday() - weekday) % 7 or 7
        return published - timedelta(days=back)
    if modifier == "next":
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    if tense == "future":
        return published + timedelta(days=(weekday - published.weekday()) % 7)
    if tense == "present":  # the nearest such day, three days either way at most
        ahead = (weekday - published.weekday()) % 7
        return published + timedelta(days=ahead if ahead <= 3 else ahead - 7)
    return horizon - timedelta(days=(horizon.weekday() - weekday) % 7)


def _clean(expression: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", expression.strip())


def _norm(expression: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", expression.strip().lower())


_FULL_MDY = re.compile(rf"^(?:{_WD},? )?({_MON}) (\d{{1,2}}){_ORD},? (\d{{4}})$")
_FULL_DMY = re.compile(rf"^(?:{_WD},? )?(\d{{1,2}}){_ORD} (?:of )?({_MON}) (\d{{4}})$")
_MD = re.compile(
    rf"^(?:(?:on|since|by|until|from|earlier on|later on) )?(?:{_WD},? )?"
    rf"({_MON}) (\d{{1,2}}){_ORD}$"
)
_DM = re.compile(
    rf"^(?:(?:on|since|by|until|from) )?(?:{_WD},? )?(\d{{1,2}}){_ORD} "
    rf"(?:of )?({_MON})$"
)
_MY = re.compile(rf"^(?:(?:in|since|by|until|from|during|early|late|mid-?) ?)?({_MON}) (\d{{4}})$")
_WEEKDAY = re.compile(
    rf"^(?:(last|next|this|on|from|until|by|since|later on|earlier on) )?"
    rf"({_WD})(?: (?:morning|afternoon|evening|night))?$"
)
_MONTH = re.compile(rf"^(in|since|by|until|from|during|early|late|mid-?|last|next|this) ?({_MON})$")
_YEAR = re.compile(r"^(?:in|since|by|until|from|during|before|after) (1[89]\d\d|20\d\d)$")
_REL_WEEK = re.compile(r"^(?:(later|earlier) (?:this|in the) week|(last|this|next) week)$")
_WEEKEND = re.compile(r"^(?:(?:over|at|during|on) )?(the|this|last|next) weekend$")
_REL = re.compile(r"^(?:(last|this|next) (month|year))$")
_REL_DAY = {
    "yesterday": -1,
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "earlier in the day": 0,
    "later in the day": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
}


def resolve_date(
    expression: str,
    published: date,
    sentence: str = "",
    *,
    horizon: date | None = None,
    position: int | None = None,
    year: int | None = None,
) -> ResolvedDate | None:
    """Resolve one temporal expression against the publication date (None: not an event).

    ``sentence`` gives the tense for weekdays, months and weekends; ``position`` is the
    expression's offset in it (found by search when omitted). ``horizon`` is the latest
    day the article's past tense may refer to (default: ``published``). ``year`` is an
    explicit year the sentence gives for a month and day written without one.
    """
    horizon = horizon or published
    text = _norm(expression)
    if not text:
        return None

    def tense() -> Tense | None:
        if not sentence:
            return None
        pos = sentence.find(expression) if position is None else position
        if pos < 0:
            return None
        return sentence_tense(sentence, pos, pos + len(expression))

    def made(start: date | None, granularity: Granularity) -> ResolvedDate | None:
        return ResolvedDate(_clean(expression), start, granularity) if start else None

    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        try:
            return made(date(int(m[1]), int(m[2]), int(m[3])), "day")
        except ValueError:
            return None
    if m := _FULL_MDY.match(text):
        return made(_safe_date(int(m[3]), _month_number(m[1]), int(m[2])), "day")
    if m := _FULL_DMY.match(text):
        return made(_safe_date(int(m[3]), _month_number(m[2]), int(m[1])), "day")
    if m := _MD.match(text):
        month = _month_number(m[1])
        found = _month_day_year(month, int(m[2]), published, tense(), year) if month else None
        return made(found, "day")
    if m := _DM.match(text):
        month = _month_number(m[2])
        found = _month_day_year(month, int(m[1]), published, tense(), year) if month else None
        return made(found, "day")
    if m := _MY.match(text):
        return made(_safe_date(int(m[2]), _month_number(m[1]), 1), "month")
    if text in _REL_DAY:
        return made(published + timedelta(days=_REL_DAY[text]), "day")
    if m := _WEEKDAY.match(text):
        weekday = _WEEKDAYS.index(m[2])
        modifier = m[1] or ""
        t = tense() if modifier not in ("last", "next") else None
        return made(_weekday_date(weekday, published, horizon, t, modifier), "day")
    if m := _REL_WEEK.match(text):
        which = m[2] or "this"
        offset = {"last": -7, "next": 7}.get(which, 0)
        return made(_monday(published + timedelta(days=offset)), "week")
    if m := _WEEKEND.match(text):
        which = m[1]
        t = "past" if which == "last" else "future" if which == "next" else tense()
        saturday = 5
        if t == "future":
            start = published + timedelta(days=(saturday - published.weekday()) % 7)
            if published.weekday() == 6:  # a Sunday's "this weekend" is the one under way
                start = published - timedelta(days=1)
        else:
            start = published - timedelta(days=(published.weekday() - saturday) % 7)
        return made(start, "weekend")
    if m := _REL.match(text):
        offset = {"last": -1, "this": 0, "next": 1}[m[1]]
        if m[2] == "month":
            return made(_add_months(published.replace(day=1), offset), "month")
        return made(date(published.year + offset, 1, 1), "year")
    if m := _MONTH.match(text):
        month = _month_number(m[2])
        if month is None:
            return None
        prep = m[1]
        t = "past" if prep in ("last", "since") else "future" if prep == "next" else tense()
        in_year = published.year
        if t == "future":
            in_year += month < published.month
        elif t == "present":  # the nearest such month
            if month - published.month > 6:
                in_year -= 1
            elif published.month - month > 5:
                in_year += 1
        else:
            in_year -= month > published.month
        return made(date(in_year, month, 1), "month")
    if m := _YEAR.match(text):
        return made(date(int(m[1]), 1, 1), "year")
    return _absolute(expression)


def _safe_date(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(expression: str) -> ResolvedDate | None:
    """Last resort for absolute dates the patterns missed (a month name and a year)."""
    text = _norm(expression)
    if not re.search(r"\b(?:1[89]|20)\d\d\b", text) or not re.search(_MON, text):
        return None
    if re.search(r"\b(?:years?|months?|weeks?|days?|since|until|between|and|to)\b", text):
        return None
    from dateutil import parser

    try:
        first = parser.parse(expression, default=datetime(2000, 1, 1))
        last = parser.parse(expression, default=datetime(2000, 1, 28))
    except (ValueError, OverflowError):
        return None
    if first.year != last.year or first.month != last.month:
        return None
    if first.day != last.day:  # the expression names no day
        return ResolvedDate(_clean(expression), first.date(), "month")
    return ResolvedDate(_clean(expression), first.date(), "day")


_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"
_DEICTIC = re.compile(r"^(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))$")
"""Days counted from when the words were said: inside a quotation that is not the
publication day (a statement of Friday quoted on Monday says "yesterday" of Thursday)."""
_GENERIC_BEFORE = re.compile(r"\b(?:an?|every|each|any|the\s+same)\s+$", re.IGNORECASE)
"""Before a weekday: no particular day ("on a Monday", "every Friday")."""
_ANAPHORIC_BEFORE = re.compile(r"\b(?:the|that)\s+$", re.IGNORECASE)
"""Before "next year", "following week": counted from another date of the story, not
from publication ("The next year, the Taliban released two videos")."""
_RANGE_BEFORE = re.compile(r"\d\s*[-–]\s*$")
"""Before a day: the end of a range ("18-24 November"), not a happening's day."""
_YEAR_IN = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _inside_quotes(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    if before.count(_QUOTE_OPEN) > before.count(_QUOTE_CLOSE):
        return True
    return before.count('"') % 2 == 1


def find_dates(
    sentence_text: str,
    published: date,
    date_spans: Iterable[tuple[int, int]] = (),
    *,
    horizon: date | None = None,
) -> list[tuple[int, int, ResolvedDate]]:
    """The resolved dates of a sentence: ``(start, end, ResolvedDate)``, in text order.

    ``date_spans`` are the NER model's DATE spans (offsets into ``sentence_text``); the
    regex finder's matches win where they overlap, the model's other spans are tried
    too (durations among them resolve to None and are dropped). ``horizon`` is the
    latest day the past tense may mean (a live page's next day; default publication).
    """
    found = _regex_spans(sentence_text)
    for start, end in date_spans:
        if not any(a < end and start < b for a, b in found):
            found.append((start, end))
    year = _sentence_year(sentence_text, found, published)
    out: list[tuple[int, int, ResolvedDate]] = []
    for start, end in sorted(found):
        expression = sentence_text[start:end]
        if _not_a_date(sentence_text, start, end):
            continue
        resolved = resolve_date(
            expression, published, sentence_text, horizon=horizon, position=start, year=year
        )
        if resolved is not None:
            out.append((start, end, resolved))
    return out


def _not_a_date(sentence: str, start: int, end: int) -> bool:
    """Expressions that look like dates and name none (see the rules in find_dates)."""
    expression = sentence[start:end]
    core = _norm(_DROP_LEAD.sub("", expression))
    before = sentence[:start]
    if _DEICTIC.match(core) and _inside_quotes(sentence, start):
        return True
    if core.startswith("today"):
        # "USA Today", "the Today show": a name; "today's landscape": nowadays.
        if expression[:1] == "T" and before.strip() and before.rstrip()[-1:] not in '.:;!?"“(':
            return True
        if sentence[end : end + 2] in ("'s", "’s"):
            return True
    if re.match(_WD, core) and _GENERIC_BEFORE.search(before):
        return True
    if re.match(r"(?:next|following) (?:year|month|week)$", core) and _ANAPHORIC_BEFORE.search(
        before
    ):
        return True
    return bool(re.match(r"\d", core) and _RANGE_BEFORE.search(before))


def _sentence_year(sentence: str, spans: Iterable[tuple[int, int]], published: date) -> int | None:
    """The one explicit year the sentence's own dates give ("in 2016", "May 2019",
    "June 5, 2019"), for a month and day it writes without one; None when there are none
    or several."""
    years = set()
    for start, end in spans:
        expression = sentence[start:end]
        if _YEAR_IN.search(expression) and (resolved := resolve_date(expression, published)):
            years.add(resolved.start.year)
    return years.pop() if len(years) == 1 else None
