"""Quantities as a reader compares them: a value, what it counts, and how exactly it is said.

Owns: ``quantities`` (every quantity stated in a sentence: digits "130,000", number
words "eight", fractions "a third", money "$6.5bn" / "€433 million" / "150 million
euros", percentages, durations "15 minutes", ages "48-year-old" / "Assange, 47",
counts "22 games", measures "355 horsepower") and ``compatible`` (whether two
statements of one quantity agree). Must not: import spaCy or Textual, or decide which
quantities are about the same thing (``reader.analysis.disagreements`` does that).

Rules:

- **What it counts** (``Quantity.unit``): a currency code for money (a symbol or code
  before, a currency word after); "%" for percent / per cent; "age" for "N-year-old",
  "aged N" and "Name, N,"; "duration" for seconds ... years (the value in seconds);
  otherwise the noun right after the number (joined by a hyphen or not: "275-horsepower",
  "16-inch", "22 launch titles" looks up to three words ahead), mapped through
  ``vocabulary.QUANTITY_NOUNS`` ("soldiers" -> troops, "hp" -> horsepower), else the noun
  itself. A number with nothing counted is left out: it cannot be compared.
- **How exactly** (``bound``): "more than", "over", "at least" -> "more"; "less than",
  "under", "up to", "as many as" -> "less"; "about", "some", "nearly", "an estimated"
  -> "about"; none -> "". ``precision`` is the step of the figure as written ("40" -> 10,
  "39" -> 1, "6.5 million" -> 100,000, "five" -> 1).
- **Not quantities**: years (1900-2100 without a unit), days of a month ("February
  16"), clock times ("2 a.m.", "4:25"), scores and ranges ("6-3", "7-6 (5)"), ordinals
  ("14th"), model names ("A400M", "i9", "RAV4"), list numbering ("2. Never ...").
- **Agreement** (``compatible``): equal values agree; so do values that round to each
  other at the coarser one's precision ("39%" / "about 40%", "$9.99" / "$10"), a
  price and its whole-unit truncation ("$129.99" / "$129"), a value inside a bound
  ("more than 100,000" / "130,000"; "less than 10 minutes" / "15 minutes" do not), and
  "about" figures within ``ABOUT`` of each other.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from reader.analysis.vocabulary import (
    ENGLISH_STOP_WORDS,
    FRACTION_WORDS,
    NUMBER_WORDS,
    QUANTITY_NOUNS,
)

ABOUT = 0.1
""""About 40" agrees with anything within 10% of 40."""

_CURRENCY_BEFORE = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "can$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
}
_CURRENCY_AFTER = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
}
_MAGNITUDE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_DURATION = {
    "second": 1,
    "seconds": 1,
    "minute": 60,
    "minutes": 60,
    "hour": 3600,
    "hours": 3600,
    "day": 86400,
    "days": 86400,
    "week": 604800,
    "weeks": 604800,
    "month": 2629800,
    "months": 2629800,
    "year": 31557600,
    "years": 31557600,
}
_BOUNDS = (
    ("more", r"more than|over|at least|upwards of|above|in excess of|no fewer than|no less than"),
    (
        "less",
        r"less than|fewer than|under|below|up to|at most|no more than|as many as|as much as"
        r"|a maximum of|maximum of",
    ),
    (
        "about",
        r"about|around|some|roughly|approximately|nearly|almost|an estimated|estimated|close to"
        r"|just over|just under|more or less|circa|~",
    ),
)
_BOUND_BEFORE = [
    (kind, re.compile(rf"(?:^|\W)(?:{words})\s*$", re.IGNORECASE)) for kind, words in _BOUNDS
]
_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NUMBER_WORD_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FRACTION_ALT = "|".join(sorted(FRACTION_WORDS, key=len, reverse=True))
_CURRENCY_SIGN = re.compile(r"((?:can|us|au|a|c)?\$|€|£|¥|\b(?:usd|eur|gbp))\s?$", re.IGNORECASE)
"""A currency right before a figure (searched on the few characters before it: a pattern
that starts at the digits is several times faster than one with an optional prefix)."""
_FIGURE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mag>thousand|million|billion|trillion|mn|bn|tn|[kmb])(?![\w]))?",
    re.IGNORECASE,
)
_WORDED = re.compile(
    rf"\b(?:(?P<tens>{_NUMBER_WORD_ALT})[- ](?P<ones>one|two|three|four|five|six|seven|eight|nine)"
    rf"|(?P<word>{_NUMBER_WORD_ALT})|(?P<art>an?)(?=[- ](?:{_FRACTION_ALT}|dozen)\b))\b"
    rf"(?:[- ](?P<frac>{_FRACTION_ALT})\b)?"
    r"(?:\s(?P<mag>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_WORD_SET = tuple((frozenset(NUMBER_WORDS) - {"one"}) | frozenset(FRACTION_WORDS))
"""A cheap substring test before the number-word pattern (most sentences hold no number
word; "one" alone is never kept, and "twenty-one", "one-third" hold another word)."""
_AFTER_WORD = re.compile(r"[\s-]*([A-Za-z%][A-Za-z'’-]*)")
_AGE_HYPHEN = re.compile(r"^-?\s?(?:years?|yr)[- ]old\b", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^\s(?:years?)\sold\b", re.IGNORECASE)
_AGED_BEFORE = re.compile(r"\baged\s*$", re.IGNORECASE)
_NAME_COMMA_BEFORE = re.compile(r"([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)*),\s*$")
_PERCENT_AFTER = re.compile(r"^\s?(?:%|percent\b|per cent\b|pc\b)", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s?(?:a\.?m\.?|p\.?m\.?|gmt|utc|bst|et|pt)(?!\w)|^:\d", re.IGNORECASE)
_SCORE_AFTER = re.compile(r"^[-–]\d")
_SCORE_BEFORE = re.compile(r"\d\s?[-–]$|\d\s\($")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity stated in a text."""

    value: float  # with its magnitude applied; durations in seconds; fractions as 0.33...
    unit: str  # "USD", "%", "age", "duration", "fraction", or what is counted ("troops")
    bound: str  # "", "about", "more", "less"
    precision: float  # the step of the figure as written
    start: int
    end: int
    text: str
    subject: tuple[int, int] | None = (
        None  # the name it is about when the text says ("Assange, 47")
    )


def _step(raw: str, magnitude: float) -> float:
    """The step of a figure as written: "40" -> 10, "39" -> 1, "6.5" -> 0.1 (times magnitude)."""
    digits = raw.replace(",", "")
    if "." in digits:
        return 10 ** -len(digits.split(".")[1]) * magnitude
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return 10.0**zeros * magnitude


def _bound(text: str, start: int) -> str:
    before = text[max(start - 24, 0) : start]
    for kind, pattern in _BOUND_BEFORE:
        if pattern.search(before):
            return kind
    return ""


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """What the number counts, from the words right after it, and where that ends."""
    rest = text[end : end + 60]
    if m := _PERCENT_AFTER.match(rest):
        return "%", end + m.end()
    if m := _AGE_HYPHEN.match(rest) or _AGE_AFTER.match(rest):
        return "age", end + m.end()
    words = []
    pos = end
    for _ in range(3):
        m = _AFTER_WORD.match(text, pos)
        if not m or (pos > end and not text[pos : m.start(1)].strip(" -") == ""):
            break
        words.append((m.group(1), m.end()))
        pos = m.end()
    lowered = [(w.lower().strip("'’"), e) for w, e in words]
    for n, (word, e) in enumerate(lowered):
        if n == 0 and word in _CURRENCY_AFTER:
            return _CURRENCY_AFTER[word], e
        if n == 0 and word in _DURATION:
            return "duration", e
        if word in ENGLISH_STOP_WORDS or word in _DURATION:
            break  # "60 in five seconds": what follows is another phrase
        pair = " ".join(w for w, _ in lowered[n : n + 2])
        if n + 1 < len(lowered) and pair in QUANTITY_NOUNS:
            return QUANTITY_NOUNS[pair], lowered[n + 1][1]
        if word in QUANTITY_NOUNS:
            return QUANTITY_NOUNS[word], e
    if lowered:
        word, e = lowered[0]
        if (
            word.isalpha()
            and word not in ENGLISH_STOP_WORDS
            and word not in _MAGNITUDE
            and (not words[0][0][:1].isupper() or (words[0][0].isupper() and len(word) <= 4))
            and word not in ("times", "percent", "per", "th", "st", "nd", "rd")
        ):
            return word.rstrip("s") if len(word) > 3 and word.endswith("s") else word, e
    return None, end


@lru_cache(maxsize=16_384)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity stated in ``text`` with what it counts (see the module doc). Cached."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    if _DIGIT.search(text):
        for m in _FIGURE.finditer(text):
            q = _from_figure(text, m)
            if q is not None:
                found.append(q)
                taken.append((m.start(), m.end()))
    low = text.lower()
    if not any(word in low for word in _WORD_SET):
        found.sort(key=lambda q: q.start)
        return tuple(found)
    for m in _WORDED.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        q = _from_words(text, m)
        if q is not None:
            found.append(q)
    found.sort(key=lambda q: q.start)
    return tuple(found)


def _from_figure(text: str, m: re.Match[str]) -> Quantity | None:
    raw = m.group("num")
    sign = _CURRENCY_SIGN.search(text, max(m.start() - 6, 0), m.start())
    start = sign.start() if sign else m.start("num")
    before = text[max(start - 12, 0) : start]
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._/:"):
        return None  # part of a name, an id or a time ("A400M", "site-47", "4:25")
    if m.end() < len(text) and (text[m.end()].isalpha() and not m.group("mag")):
        if not re.match(r"[a-z]{1,3}\b", text[m.end() :], re.IGNORECASE) or re.match(
            r"(?:th|st|nd|rd)\b", text[m.end() :], re.IGNORECASE
        ):
            return None  # "14th", "2K20", "5500M"
    if re.search(rf"\b(?:{_MONTH_WORDS})\.?\s*$", before, re.IGNORECASE):
        return None  # "February 16"
    after = text[m.end() : m.end() + 12]
    if re.match(rf"\s(?:{_MONTH_WORDS})\b", after, re.IGNORECASE):
        return None  # "16 February"
    if _CLOCK_AFTER.match(after) or _SCORE_AFTER.match(after) or _SCORE_BEFORE.search(before):
        return None
    if re.match(r"\.\s+[A-Z]", text[m.end() : m.end() + 3]) and start < 3:
        return None  # "2. Never urged ..." (list numbering)
    value = float(raw.replace(",", ""))
    mag_word = (m.group("mag") or "").lower()
    currency = _CURRENCY_BEFORE.get(sign.group(1).lower()) if sign else None
    if mag_word in ("m", "b", "k") and currency is None:
        mag_word = ""  # "70 m" is metres, "5500M" a model
        if m.group("mag"):
            return None
    magnitude = _MAGNITUDE.get(mag_word, 1.0)
    unit, unit_end = _unit_after(text, m.end())
    if currency is not None and sign:
        unit_end = m.end()  # "$9.99 monthly": the amount is "$9.99"
    if currency is None and unit in _CURRENCY_AFTER.values():
        currency = unit
    subject = None
    if currency:
        unit = currency
    elif unit is None:
        if _AGED_BEFORE.search(before):
            unit = "age"
        elif (
            (name := _NAME_COMMA_BEFORE.search(text[:start]))
            and re.match(r"\s*[,)]", text[m.end() :])
            and value < 120
            and "." not in raw
        ):
            unit, subject = "age", (name.start(1), name.end(1))  # "Assange, 47,"
    if unit is None:
        return None
    if (
        unit not in ("age", "duration", "%")
        and not currency
        and 1900 <= value <= 2100
        and "," not in raw
    ):
        return None  # a year ("2020 models")
    if unit == "duration":
        word = re.match(r"[\s-]*([A-Za-z]+)", text[m.end() :])
        value *= _DURATION.get(word.group(1).lower(), 1) if word else 1
        magnitude *= _DURATION.get(word.group(1).lower(), 1) if word else 1
    return Quantity(
        value * (magnitude if unit != "duration" else 1),
        unit,
        _bound(text, start),
        _step(raw, magnitude),
        start,
        max(m.end(), unit_end),
        text[start : max(m.end(), unit_end)].strip(),
        subject,
    )


def _from_words(text: str, m: re.Match[str]) -> Quantity | None:
    if m.group("tens"):
        value = float(NUMBER_WORDS[m.group("tens").lower()] + NUMBER_WORDS[m.group("ones").lower()])
    elif m.group("word"):
        value = float(NUMBER_WORDS[m.group("word").lower()])
    else:
        value = 1.0  # "a third", "a dozen"
    if value == 1 and not m.group("frac") and m.group("word"):
        return None  # "one" is too often not a count ("one of the largest")
    magnitude = _MAGNITUDE.get((m.group("mag") or "").lower(), 1.0)
    end = m.end()
    if m.group("frac"):
        frac = FRACTION_WORDS[m.group("frac").lower()]
        return Quantity(
            value * frac,
            "fraction",
            _bound(text, m.start()),
            frac,
            m.start(),
            end,
            text[m.start() : end],
        )
    unit, unit_end = _unit_after(text, end)
    if unit is None:
        return None
    value *= magnitude
    if unit == "duration":
        word = re.match(r"[\s-]*([A-Za-z]+)", text[end:])
        seconds = _DURATION.get(word.group(1).lower(), 1) if word else 1
        value *= seconds
        magnitude *= seconds
    return Quantity(
        value,
        unit,
        _bound(text, m.start()),
        magnitude,
        m.start(),
        unit_end,
        text[m.start() : unit_end].strip(),
    )


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two statements of one quantity agree (see the module doc)."""
    if a.unit != b.unit:
        return False
    x, y = a.value, b.value
    if math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
        return True
    for p, q in ((a, b), (b, a)):
        if p.bound == "more" and q.value >= p.value:
            return True
        if p.bound == "less" and q.value <= p.value:
            return True
    if a.bound in ("more", "less") or b.bound in ("more", "less"):
        return False
    if a.bound == "about" or b.bound == "about":
        if abs(x - y) <= ABOUT * max(abs(x), abs(y)):
            return True
    if abs(x - y) < max(a.precision, b.precision) / 2:
        return True  # "39%" rounds to "40%"
    # A price and its truncation to whole units ("$129.99" / "$129").
    fine, whole = (a, b) if a.precision < b.precision else (b, a)
    return (
        whole.precision >= 1
        and math.floor(fine.value / whole.precision) * whole.precision == whole.value
    )
