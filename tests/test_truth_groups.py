"""Groups on real articles (the development corpus, read where it lives): sentences shown
as one claim are one claim, and a group the analysis is not sure of says so ("≈")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from truth_groups import DEVELOPMENT, HELD_OUT, judge


@pytest.mark.parametrize("clusters", [DEVELOPMENT, HELD_OUT], ids=["development", "held-out"])
def test_every_group_shown_was_judged_and_none_lost(truth_corpus, clusters) -> None:  # type: ignore[no-untyped-def]
    counts = judge(truth_corpus, clusters)
    assert counts["unjudged"] == 0, counts["details"]
    assert counts["missing"] == 0, counts["details"]


def test_no_false_sameness_is_stated_as_sure_on_the_development_clusters(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """The three development pairs that say different things (DW's Lviv embassy move and
    AFP's January departures; two Kirby statements; Blinken's call with Kuleba and a
    planned meeting) are all shown "≈ matched loosely"."""
    counts = judge(truth_corpus, DEVELOPMENT)
    assert counts["wrong"] == 3
    assert counts["sure_wrong"] == 0, counts["details"]
    assert counts["sure_right"] >= 30


def test_a_shared_subject_is_not_stated_as_a_shared_claim(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """thirdhearing: "I was not on the July 25 phone call" and "both witnesses testified
    the July 25 transcript was 'accurate'" share the call and its date, not a claim."""
    alignment = truth_corpus.cluster_analysis("thirdhearing").alignment
    group = next(
        g for g in alignment.groups if any("I was not on the July 25" in m.text for m in g.members)
    )
    assert group.loose
