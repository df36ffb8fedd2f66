"""Disagreements between outlets (reader/analysis/disagreements.py), on real articles.

The development corpus's clusters (read at test time, skipped when missing) give the
real cases: the one disagreement a cluster has is found with the sentence on each side,
and clusters whose numbers only look different (rounded prices, a bound and a value,
one figure in two units) raise nothing. Seed rows change one figure of a real seed
sentence in place (same length, so the cached analysis still fits) to make a date
disagree, and check that the unchanged ones agree.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from reader.analysis.alignment import align_story
from reader.analysis.disagreements import find_disagreements
from reader.analysis.framing import build_framing, framing_export, framing_markdown

FOUND = [
    # (rule, cluster, about, {article key: value as written})
    (
        "age-of-one-person",
        "assange",
        "age of Julian Assange",
        {"assange-bbc": "48-year-old", "assange-albawaba": "47"},
    ),
    (
        "same-figure-corroborated-by-another",
        "laautoshow",
        "horsepower",
        {"laautoshow-ctpost": "355 horsepower", "laautoshow-slashgear": "335 horsepower"},
    ),
]


def _story(truth_corpus, cluster: str):  # type: ignore[no-untyped-def]
    story = truth_corpus.cluster_analysis(cluster)
    return story, find_disagreements(story.articles, story.analyses, story.index, story.alignment)


@pytest.mark.parametrize(
    ("cluster", "about", "values"), [r[1:] for r in FOUND], ids=[r[0] for r in FOUND]
)
def test_real_disagreements_found(
    truth_corpus, cluster: str, about: str, values: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    _, found = _story(truth_corpus, cluster)
    assert len(found) == 1
    d = found[0]
    assert d.kind == "number" and d.about.startswith(about)
    got = {truth_corpus.key_of[v.article_id]: v.value for v in d.values}
    assert got == values
    for v in d.values:  # the evidence: the sentence on each side holds the value
        assert v.value in v.sentence


NOTHING = [
    # (rule, cluster): looks different, is not
    (
        "bound-and-value-and-another-month",
        "seeds",
    ),  # "more than 100,000" / 130,000; January's count
    ("rounded-and-truncated-prices", "stadia"),  # $9.99 / $10-a-month, $129.99 / $129
    ("list-price-and-discounted-prices", "macbookpro16"),  # $2,400 / "$2,199 with code"
    ("statements-and-reports", "swiftamas"),
    ("opinion-pieces", "princeandrew"),
    ("stats-table-and-news", "garrett"),
    ("different-matches", "daviscup"),
    ("witness-testimony", "thirdhearing"),
    ("different-events-control", "afghanistan"),
    ("different-events-control-2", "impeachmixed"),
]


@pytest.mark.parametrize("cluster", [r[1] for r in NOTHING], ids=[r[0] for r in NOTHING])
def test_no_false_flags(truth_corpus, cluster: str) -> None:  # type: ignore[no-untyped-def]
    _, found = _story(truth_corpus, cluster)
    assert found == ()


def test_versions_of_one_outlet_are_never_compared(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    story = truth_corpus.cluster_analysis("assange")
    bbc = truth_corpus.article_of["assange-bbc"]
    articles = [dataclasses.replace(a, outlet=bbc.outlet) for a in story.articles]
    assert find_disagreements(articles, story.analyses, story.index, story.alignment) == ()


def test_articles_about_different_moments_are_not_compared(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    story = truth_corpus.cluster_analysis("assange")
    later = [
        dataclasses.replace(a, published=a.published + timedelta(days=40))
        if truth_corpus.key_of[a.id] == "assange-albawaba" and a.published
        else a
        for a in story.articles
    ]
    assert find_disagreements(later, story.analyses, story.index, story.alignment) == ()


def _feb14_with(feb14_story, outlet: str, old: str, new: str):  # type: ignore[no-untyped-def]
    articles, analyses, index = feb14_story
    assert len(old) == len(new)
    changed = []
    for a in articles:
        if a.outlet == outlet:
            assert old in a.text
            a = dataclasses.replace(a, text=a.text.replace(old, new))
        changed.append(a)
    return changed, analyses, index


def test_weekday_and_date_of_one_day_agree(feb14_story) -> None:  # type: ignore[no-untyped-def]
    articles, analyses, index = feb14_story
    alignment = align_story(articles, analyses, index)
    found = find_disagreements(articles, analyses, index, alignment)
    assert not [d for d in found if d.kind == "date"]  # "On Tuesday" / "on February 15"


def test_dates_that_differ_are_a_disagreement(feb14_story) -> None:  # type: ignore[no-untyped-def]
    articles, analyses, index = _feb14_with(
        feb14_story, "RFE/RL", "meet on February 15", "meet on February 18"
    )
    alignment = align_story(articles, analyses, index)
    # "Scholz is heading to Moscow for talks with Putin" and "... to meet on February 18
    # with ... Putin" share names and "talks": a group matched loosely, which may join two
    # events (a meeting and the next one), so its dates are not compared ...
    (moscow,) = [g for g in alignment.groups if any("fly to Moscow" in m.text for m in g.members)]
    assert moscow.loose
    found = find_disagreements(articles, analyses, index, alignment)
    assert not [d for d in found if d.kind == "date"]
    # ... and once the alignment is sure the sentences make one claim, they are.
    sure = dataclasses.replace(
        alignment,
        groups=tuple(
            dataclasses.replace(g, loose=False) if g is moscow else g for g in alignment.groups
        ),
    )
    dates = [d for d in find_disagreements(articles, analyses, index, sure) if d.kind == "date"]
    assert len(dates) == 1
    outlets = {
        next(a.outlet for a in articles if a.id == v.article_id): v.value for v in dates[0].values
    }
    assert outlets["RFE/RL"] == "February 18" and "Tuesday" in next(
        v for o, v in outlets.items() if o != "RFE/RL"
    )


def test_export_and_markdown_show_both_sides(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    story = truth_corpus.cluster_analysis("assange")
    framing = build_framing(story.articles, story.analyses, story.index, story.alignment)
    data = framing_export(framing)
    (d,) = data["disagreements"]
    assert d["kind"] == "number" and d["about"] == "age of Julian Assange"
    assert {v["number"] for v in d["values"]} == {47.0, 48.0}
    assert all({"article_id", "value", "sentence"} <= v.keys() for v in d["values"])
    # numbers keep their meaning
    assert [n["what"] for n in data["numbers"]] == ["age of Julian Assange"]
    md = framing_markdown(story.articles, story.alignment, framing)
    assert "## Where the outlets disagree" in md
    assert "48-year-old — “The 48-year-old Australian" in md and "47 — “The US wants the UK" in md
