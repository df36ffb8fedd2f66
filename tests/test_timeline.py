"""The timeline built from the five seeds: events, merging across outlets, export."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.analysis.timeline import (
    TimelineEntry,
    build_timeline,
    find_events,
    is_page_furniture,
    make_title,
    timeline_export,
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from reader.analysis.cache import ensure_analyses
    from reader.analysis.entities import link_entities
    from reader.ingest.seeds import import_seeds
    from reader.store import Store

    store = Store(Path(tmp_path_factory.mktemp("timeline")) / "t.db")
    import_seeds(store)
    articles = store.all_articles()
    analyses = ensure_analyses(store, articles)
    return articles, analyses, link_entities(articles, analyses)


@pytest.fixture(scope="module")
def timeline(seeds) -> list[TimelineEntry]:  # type: ignore[no-untyped-def]
    return build_timeline(*seeds)


@pytest.fixture(scope="module")
def outlet(seeds) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {a.id: a.outlet for a in seeds[0]}


def entry_with(timeline: list[TimelineEntry], label: str, *words: str) -> TimelineEntry:
    """The entry on ``label`` that has a mention containing all ``words``."""
    for entry in timeline:
        if entry.date.label() == label and any(
            all(w in m.sentence for w in words) for m in entry.mentions
        ):
            return entry
    raise AssertionError(f"no entry on {label} with {words}")


def outlets_of(entry: TimelineEntry, outlet: dict[str, str]) -> set[str]:
    return {outlet[a] for a in entry.article_ids}


CASES = [
    (
        "embassy-relocation",
        "2022-02-14",
        ("relocat",),
        {"DW", "JEN", "RFE/RL", "The Washington Post"},
    ),
    ("scholz-in-kyiv", "2022-02-14", ("Scholz met",), {"RFE/RL", "DW", "The Washington Post"}),
    ("lavrov-televised-exchange", "2022-02-14", ("Lavrov",), {"DW", "The Washington Post"}),
    (
        "scholz-to-moscow",
        "2022-02-15",
        ("Scholz", "Moscow"),
        {"DW", "RFE/RL", "The Washington Post"},
    ),
    ("unity-day", "2022-02-16", ("February 16",), {"DW", "RFE/RL"}),
    ("biden-putin-call", "2022-02-12", ("Biden", "Putin"), {"JEN", "The Washington Post"}),
    ("kremlin-evacuation-since", "2022-01-05", ("January 5",), {"AFP via French-language outlet"}),
    (
        "blinken-expected-in-kiev",
        "2022-01-19",
        ("Blinken", "expected"),
        {"AFP via French-language outlet"},
    ),
    (
        "pentagon-accusations-friday-before",
        "2022-01-14",
        ("Pentagon",),
        {"AFP via French-language outlet"},
    ),
]


@pytest.mark.parametrize(
    ("label", "words", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_seed_happenings_land_on_their_dates(
    timeline: list[TimelineEntry],
    outlet: dict[str, str],
    label: str,
    words: tuple[str, ...],
    expected: set[str],
) -> None:
    entry = entry_with(timeline, label, *words)
    assert expected <= outlets_of(entry, outlet)
    assert len(entry.title) <= 80


def test_scholz_in_kyiv_takes_only_sentences_about_it(
    timeline: list[TimelineEntry], outlet: dict[str, str]
) -> None:
    """JEN's "Kyiv is only two hours from the Ukraine-Belarus border" shares words
    ("two hours", "Ukrainian") with "Scholz met ... Zelenskiy for two hours" but no
    person, place or organisation: an undated sentence needs one to join an entry."""
    entry = entry_with(timeline, "2022-02-14", "Scholz met")
    assert outlets_of(entry, outlet) == {"RFE/RL", "DW", "The Washington Post"}
    assert not any("two hours from" in m.sentence for m in entry.mentions)


def test_biden_putin_call_is_a_day_with_both_expressions(timeline: list[TimelineEntry]) -> None:
    entry = entry_with(timeline, "2022-02-12", "Biden", "Putin")
    assert entry.date.granularity == "day"
    assert {m.expression for m in entry.mentions} >= {"on Saturday", "over the weekend"}


def test_no_entry_joins_two_distant_sentences_of_one_article(
    timeline: list[TimelineEntry],
) -> None:
    for entry in timeline:
        by_article: dict[str, list[int]] = {}
        for m in entry.mentions:
            by_article.setdefault(m.article_id, []).append(m.sentence_index)
        for indexes in by_article.values():
            assert max(indexes) - min(indexes) <= 3 or len(indexes) == 1


def test_sorted_by_date_finer_first(timeline: list[TimelineEntry]) -> None:
    keys = [e.date.key for e in timeline]
    assert keys == sorted(keys)


def test_live_page_tuesday_entries_are_the_next_day(seeds) -> None:  # type: ignore[no-untyped-def]
    articles, analyses, _ = seeds
    dw = next(a for a in articles if a.outlet == "DW")
    events = find_events([dw], analyses)
    belarus = next(e for e in events if "leave Belarus" in e.sentence_text)
    assert belarus.resolved.label() == "2022-02-15"
    assert not any(e.sentence_text.strip() == "February 14, 2022" for e in events)


def test_tweet_signatures_are_not_events(seeds) -> None:  # type: ignore[no-untyped-def]
    events = find_events(seeds[0], seeds[1])
    assert not any("(@SecBlinken)" in e.sentence_text for e in events)


def test_report_date_gives_way_to_the_happening(seeds) -> None:  # type: ignore[no-untyped-def]
    events = find_events(seeds[0], seeds[1])
    nyt = [e for e in events if "New York Times revealed" in e.sentence_text]
    assert [e.resolved.label() for e in nyt] == ["2022-01-05"]


def test_fast_enough(seeds) -> None:  # type: ignore[no-untyped-def]
    build_timeline(*seeds)  # warm imports
    start = time.perf_counter()
    build_timeline(*seeds)
    assert time.perf_counter() - start < 0.5  # ~0.12 s measured; slack for loaded CI


def test_titles_are_short_and_trimmed() -> None:
    title = make_title(
        "Kyiv, Ukraine (JEN): The United States is closing its embassy in the Ukrainian capital "
        'of Kyiv and "temporarily relocating" its diplomatic operations to Lviv.',
        "on Monday",
    )
    assert title.startswith("The United States is closing its embassy")
    assert len(title) <= 80
    assert make_title("On Tuesday, Scholz is heading to Moscow.", "On Tuesday") == (
        "Scholz is heading to Moscow"
    )


def test_export_shape(timeline: list[TimelineEntry]) -> None:
    data = timeline_export(timeline)
    assert len(data) == len(timeline)
    by_granularity = {d["granularity"]: d for d in data}
    assert by_granularity["day"]["date"].count("-") == 2
    assert by_granularity["week"]["date"].count("-") == 2
    assert by_granularity["month"]["date"].count("-") == 1
    assert by_granularity["year"]["date"].isdigit()
    week = next(d for d in data if d["granularity"] == "week")
    from datetime import date

    assert date.fromisoformat(week["date"]).weekday() == 0
    for d in data:
        assert set(d) == {"date", "granularity", "title", "mentions"}
        for m in d["mentions"]:
            assert set(m) == {"article_id", "sentence", "expression"}


def test_no_spacy_or_textual_imported_by_the_modules() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reader.analysis.timeline, reader.analysis.dates; "
        "print('spacy' in sys.modules, 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# (rule, sentence, its paragraph or None for the sentence alone): page furniture, no event.
FURNITURE = [
    (
        "related-links-list-item",
        "- Rams top Bears as offenses struggle Neither the Rams nor Bears could get much "
        "going offensively on Sunday night",
        None,
    ),
    (
        "headline-and-teaser-run-together",
        "Armenia named most popular spot for Russian travelers in 2019  Armenia has been "
        "named the most popular destination among Russians in 2019, Biletix reveals.",
        None,
    ),
    (
        "title-case-headline",
        "Stadia Is Essentially A Beta Version Until 2020, But The Price Tag Isn't Cheap",
        None,
    ),
    ("byline-date", "- Published 18 November 2019", None),
    ("timestamp-line", "기사입력 :[ 2018-08-25 15:24 ]", None),
    (
        "call-to-action",
        "Sign up for The Water Coolest today to get the free daily newsletter.",
        None,
    ),
    ("caption", "(Graphic: Reuters) Troops arrived on Monday.", None),
]
NOT_FURNITURE = [
    (
        "bullet-that-is-a-sentence",
        "- Ideally, Vernon would come back from his knee injury this week, but when he'll "
        "return is still a question mark.",
    ),
    ("short-news-sentence", "The death occurred Saturday."),
    ("dateline-then-news", "VIENNA — The house will be turned into a police station on Tuesday."),
    ("seed-sentence", "Biden also held an hour-long call Sunday with Zelensky."),
]


def _date_spans(sentence: str) -> list[tuple[int, int]]:
    from datetime import date

    from reader.analysis.dates import find_dates

    return [(a, b) for a, b, _ in find_dates(sentence, date(2019, 11, 19))]


@pytest.mark.parametrize(
    ("sentence", "paragraph"), [pytest.param(s, p, id=r) for r, s, p in FURNITURE]
)
def test_page_furniture_is_no_event(sentence: str, paragraph: str | None) -> None:
    assert is_page_furniture(sentence, paragraph or sentence, _date_spans(sentence))


@pytest.mark.parametrize("sentence", [pytest.param(s, id=r) for r, s in NOT_FURNITURE])
def test_news_sentences_are_not_furniture(sentence: str) -> None:
    assert not is_page_furniture(sentence, sentence, _date_spans(sentence))
