"""Framing summary on the four same-event seeds (table-driven, real text)."""

from __future__ import annotations

import pytest

from reader.analysis.alignment import align_story
from reader.analysis.framing import build_framing, framing_export, framing_markdown

OUTLETS = ("DW", "JEN", "RFE/RL", "The Washington Post")


@pytest.fixture(scope="module")
def story(feb14_story):  # type: ignore[no-untyped-def]
    articles, analyses, index = feb14_story
    alignment = align_story(articles, analyses, index)
    return articles, alignment, build_framing(articles, analyses, index, alignment)


def _outlet(articles, aid: str) -> str:  # type: ignore[no-untyped-def]
    return next(a.outlet for a in articles if a.id == aid)


SPEAKERS = [
    # (rule, outlet, a phrase of the quote, speaker)
    ("x-said", "DW", "We also continue our sincere efforts", "Antony Blinken"),
    (
        "he-added-previous-sentence",
        "DW",
        "The path for diplomacy remains available",
        "Antony Blinken",
    ),
    ("said-x", "JEN", "We remain engaged with the Russian government", "Antony Blinken"),
    ("the-statement-read", "JEN", "I have ordered these measures for one reason", "Antony Blinken"),
    ("x-added-colon", "The Washington Post", "I have already said more than once", "Sergei Lavrov"),
    ("according-to-x", "The Washington Post", "very dangerous expansion of NATO", "Dmitry Peskov"),
    (
        "he-said-continues-quote",
        "The Washington Post",
        "All of those things could change",
        "Ned Price",
    ),
    ("he-said-across-paragraphs", "RFE/RL", "The embassy will remain engaged", "Antony Blinken"),
    ("x-said-then-said-colon", "RFE/RL", "little to no warning", "John Kirby"),
    ("x-told", "RFE/RL", "We are ready for a serious dialogue", "Olaf Scholz"),
    (
        "unattributed-takes-paragraph-speaker",
        "DW",
        "We will make this into Unity Day",
        "Volodymyr Zelenskyy",
    ),
    (
        "role-resolves-to-person",
        "DW",
        "deeply worried by the heightened tensions",
        "Antonio Guterres",
    ),
    (
        "the-video-said",
        "The Washington Post",
        "They frighten us with a great war",
        "Volodymyr Zelenskyy",
    ),
]


@pytest.mark.parametrize(
    ("outlet", "phrase", "speaker"), [r[1:] for r in SPEAKERS], ids=[r[0] for r in SPEAKERS]
)
def test_quote_speakers(story, outlet: str, phrase: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    articles, _, framing = story
    found = [
        q for q in framing.quotes if _outlet(articles, q.article_id) == outlet and phrase in q.text
    ]
    assert found, f"no quote with {phrase!r}"
    assert found[0].speaker == speaker


def test_scare_quotes_are_not_quotes(story) -> None:  # type: ignore[no-untyped-def]
    _articles, _, framing = story
    texts = {q.text for q in framing.quotes}
    assert "cool down" not in texts  # JEN: efforts to 'cool down' (unattributed phrase)


def test_speaker_counts_per_outlet(story) -> None:  # type: ignore[no-untyped-def]
    _articles, _, framing = story
    jen = next(o for o in framing.outlets if o.outlet == "JEN")
    top = jen.speakers[0]
    assert top.speaker == "Antony Blinken" and top.quotes >= 5 and top.words > 100


def test_troop_counts_agree_when_one_is_a_bound(story) -> None:  # type: ignore[no-untyped-def]
    """JEN's "more than 100,000 troops" is a bound that the others' "some 130,000" / "more
    than 130,000" satisfy: not a disagreement (it used to be flagged as one)."""
    _, _, framing = story
    assert not [d for d in framing.numbers if d.what.startswith("troops")]
    assert not framing.disagreements


def test_loan_amounts_in_two_currencies_agree(story) -> None:  # type: ignore[no-untyped-def]
    _, _, framing = story
    assert not [d for d in framing.numbers if d.what.startswith("money")]


NAMING = [
    (
        "kyiv-kiev",
        "Kyiv",
        {"Kyiv": {"DW", "JEN", "RFE/RL", "The Washington Post"}, "Kiev": {"JEN"}},
    ),
    (
        "zelensky-transliterations",
        "Volodymyr Zelenskyy",
        {"Zelensky": {"The Washington Post"}, "Zelenskiy": {"RFE/RL"}, "Zelenskyy": {"DW"}},
    ),
]


@pytest.mark.parametrize(
    ("entity", "variants"), [r[1:] for r in NAMING], ids=[r[0] for r in NAMING]
)
def test_naming_choices(story, entity: str, variants: dict[str, set[str]]) -> None:  # type: ignore[no-untyped-def]
    articles, _, framing = story
    choice = next(c for c in framing.naming if c.entity == entity)
    got = {w: {_outlet(articles, a) for a in aids} for w, aids in choice.variants.items()}
    assert got == variants


def test_possessives_and_titles_are_not_naming_choices(story) -> None:  # type: ignore[no-untyped-def]
    _, _, framing = story
    names = {c.entity for c in framing.naming}
    assert "Ukraine" not in names  # "Ukraines" (WaPo's possessive without apostrophe)
    assert "Antony Blinken" not in names  # "Blinken" / "Antony Blinken" / "@SecBlinken"


LEDES = [
    ("skips-page-furniture", "DW", "The US has said it will temporarily relocate its embassy"),
    ("skips-photo-caption", "JEN", "Kyiv, Ukraine (JEN): The United States is closing"),
    ("skips-title-line", "The Washington Post", "Blinken called the relocation"),
    ("first-sentence", "RFE/RL", "The United States has announced the relocation"),
]


@pytest.mark.parametrize(("outlet", "start"), [r[1:] for r in LEDES], ids=[r[0] for r in LEDES])
def test_ledes(story, outlet: str, start: str) -> None:  # type: ignore[no-untyped-def]
    _, _, framing = story
    o = next(o for o in framing.outlets if o.outlet == outlet)
    assert o.lede.startswith(start)


def test_own_and_left_out(story) -> None:  # type: ignore[no-untyped-def]
    _articles, _alignment, framing = story
    wapo = next(o for o in framing.outlets if o.outlet == "The Washington Post")
    assert any("national police would guard" in m.text for m in wapo.unique)
    assert all(m.article_id == wapo.article_id for m in wapo.unique)
    # WaPo leaves out Blinken's "dramatic acceleration", which DW, JEN and RFE/RL carry.
    assert any(any("dramatic acceleration" in m.text for m in g.members) for g in wapo.left_out)
    for g in wapo.left_out:
        assert wapo.article_id not in g.article_ids


def test_export_and_markdown(story) -> None:  # type: ignore[no-untyped-def]
    articles, alignment, framing = story
    data = framing_export(framing)
    assert {"quotes", "numbers", "naming", "unique", "disagreements"} <= data.keys()
    assert {"article_id", "speaker", "text"} <= data["quotes"][0].keys()
    assert data["numbers"] == [] and data["disagreements"] == []  # see test_disagreements.py
    kyiv = next(n for n in data["naming"] if n["entity"] == "Kyiv")
    assert set(kyiv["variants"]) == {"Kyiv", "Kiev"}
    md = framing_markdown(articles, alignment, framing)
    for outlet in OUTLETS:
        assert f"## {outlet}" in md
    assert "## Where the outlets disagree" not in md and "## Naming" in md
