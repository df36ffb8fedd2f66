"""The timeline on real articles (the development corpus, read where it lives): dates
right, page furniture left out, the publisher's own publication day."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from truth_timeline import DEVELOPMENT, HELD_OUT, judge, shown


@pytest.mark.parametrize("clusters", [DEVELOPMENT, HELD_OUT], ids=["development", "held-out"])
def test_dates_right_and_no_non_events(truth_corpus, clusters) -> None:  # type: ignore[no-untyped-def]
    counts = judge(truth_corpus, clusters)
    assert counts["unjudged"] == 0, counts["details"]
    assert counts["nonevents"] == 0, counts["details"]
    assert counts["wrong"] <= 0.05 * (counts["right"] + counts["wrong"]), counts["details"]


def _dates_of(corpus, cluster: str, article: str, phrase: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        m["shown"]
        for m in shown(corpus, cluster)
        if m["article"] == article and phrase in m["sentence"]
    ]


def test_earlier_in_the_day_continues_the_named_day(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    # CBS News published on Wednesday its report of Tuesday's hearing.
    assert truth_corpus.article_of["thirdhearing-cbsnews"].published == date(2019, 11, 20)
    dates = _dates_of(truth_corpus, "thirdhearing", "thirdhearing-cbsnews", "earlier in the day")
    assert dates == ["2019-11-19"]


def test_related_links_and_promos_are_not_on_the_timeline(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    assert _dates_of(truth_corpus, "garrett", "garrett-cbssports", "Playoff picture") == []
    assert _dates_of(truth_corpus, "swiftamas", "swiftamas-dealbreaker", "Sign up") == []
    assert _dates_of(truth_corpus, "stadia", "stadia-digg", "Beta Version Until") == []


def test_future_tense_resolves_forward(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    # BBC, Tuesday 19 November: the American Music Awards "on Sunday" are the 24th.
    assert _dates_of(truth_corpus, "swiftamas", "swiftamas-bbc", "American Music Awards on") == [
        "2019-11-24"
    ]


def test_publication_day_is_the_publishers(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    # 7:04 pm ET on 18 November, stamped 00:04 UTC on the 19th.
    assert truth_corpus.article_of["garrett-wsj"].published == date(2019, 11, 18)
