"""Quantities with what they count (reader/analysis/amounts.py), on real sentences.

Seed phrases come from the seeds shipped in ``seeds/``; the few corpus phrases are short
phrases of the development corpus's articles (the articles themselves are not here).
"""

from __future__ import annotations

import pytest

from reader.analysis.amounts import Quantity, compatible, quantities

FOUND = [
    # (rule, text, [(value, unit, bound)])
    (
        "money-symbol-and-magnitude",
        "Ukraine would be loaned $490 million (€433 million).",
        [(490e6, "USD", ""), (433e6, "EUR", "")],
    ),
    (
        "money-currency-word-after",
        "Germany was extending a new credit of 150 million euros to Ukraine.",
        [(150e6, "EUR", "")],
    ),
    ("money-short-magnitude", "a deal worth $6.5bn", [(6.5e9, "USD", "")]),
    (
        "count-with-bound-more",
        "Russia has reportedly massed more than 100,000 troops near its border",
        [(100_000, "troops", "more")],
    ),
    (
        "count-with-bound-about",
        "Russia has amassed some 130,000 troops and large quantities of military equipment",
        [(130_000, "troops", "about")],
    ),
    (
        "noun-mapped-soldiers-to-troops",
        "an estimated 130,000 soldiers amassed",
        [(130_000, "troops", "about")],
    ),
    (
        "number-word",
        "Seventy troops arrived on an A400M German Luftwaffe plane",
        [(70, "troops", "")],
    ),
    ("age-hyphenated", "The 48-year-old Australian was evicted in April", [(48, "age", "")]),
    ("age-after-a-name", "to extradite Assange, 47, over his alleged role", [(47, "age", "")]),
    ("duration-in-seconds", "sentenced to 50 weeks in jail", [(50 * 7 * 86400, "duration", "")]),
    (
        "duration-number-word",
        "go from zero to 60 mph in five seconds",
        [(60, "mph", ""), (5, "duration", "")],
    ),
    ("percent", "a 2-liter engine that’s 20% more powerful", [(2, "liter", ""), (20, "%", "")]),
    ("measure-hyphenated", "It has a rear-mounted 275-horsepower motor", [(275, "horsepower", "")]),
    ("measure-abbreviated", "Add in a 101 hp coaxial drive", [(101, "horsepower", "")]),
    ("fraction", "a death toll of a third of the population", [(1 / 3, "fraction", "")]),
    ("not-a-date", "declared Wednesday, February 16, a national Unity Day", []),
    ("not-a-score", "Nadal defeated Khachanov 6-3, 7-6 (7) to level the series", []),
    ("not-a-clock-time", "ended close to 2 a.m. local time (0100 GMT) on Wednesday", []),
    ("not-a-model-name", "arrived on an A400M German Luftwaffe plane", []),
    ("not-a-year", "seeking refuge at the Ecuadorean embassy in London in 2012", []),
    ("not-list-numbering", "2. Never urged Ukraine to investigate Joe Biden", []),
]


@pytest.mark.parametrize(("text", "expected"), [r[1:] for r in FOUND], ids=[r[0] for r in FOUND])
def test_quantities(text: str, expected: list[tuple[float, str, str]]) -> None:
    got = [(q.value, q.unit, q.bound) for q in quantities(text)]
    assert [u for _, u, _ in got] == [u for _, u, _ in expected]
    for (value, _, bound), (want, _, want_bound) in zip(got, expected, strict=True):
        assert value == pytest.approx(want) and bound == want_bound


def _q(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


COMPATIBLE = [
    # (rule, one side, other side, agree?)
    (
        "equal-in-words-and-digits",
        "zero to 60 in five seconds",
        "0-60 could arrive in 5.0 seconds",
        True,
    ),
    ("rounding-equal", "a turnout of 39%", "a turnout of about 40%", True),
    ("rounded-price", "the $9.99 monthly rate", "the $10-a-month Stadia Pro subscription", True),
    ("truncated-price", "a $129.99 Premiere Edition", "those who anted up $129 for it", True),
    ("value-inside-a-bound", "more than 100,000 troops", "some 130,000 troops", True),
    (
        "value-outside-a-bound",
        "deliberated for less than 10 minutes",
        "deliberated for just 15 minutes",
        False,
    ),
    ("ages-a-year-apart", "The 48-year-old Australian", "extradite Assange, 47, over", False),
    ("power-ratings", "giving the car 355 horsepower", "would offer 335 horsepower", False),
    ("different-units-never-agree", "149 horsepower", "151 PS", False),
    ("two-currencies-never-agree", "€150 million", "$170 million", False),
]


@pytest.mark.parametrize(
    ("one", "other", "agree"), [r[1:] for r in COMPATIBLE], ids=[r[0] for r in COMPATIBLE]
)
def test_compatible(one: str, other: str, agree: bool) -> None:
    a, b = _q(one), _q(other)
    assert compatible(a, b) is agree and compatible(b, a) is agree
