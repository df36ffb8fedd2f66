"""Sentence alignment and word diff on the four same-event seeds (table-driven, real text)."""

from __future__ import annotations

import pytest

from reader.analysis.alignment import (
    Alignment,
    align_story,
    alignments_export,
    amounts,
    is_junk,
    quoted_spans,
)
from reader.analysis.worddiff import word_diff

OUTLETS = ("DW", "JEN", "RFE/RL", "The Washington Post")


@pytest.fixture(scope="module")
def story(feb14_story):  # type: ignore[no-untyped-def]
    """(articles in OUTLETS order, analyses, entity index, alignment) for the 14 Feb story."""
    articles, analyses, index = feb14_story
    return articles, analyses, index, align_story(articles, analyses, index)


def _group_with(alignment: Alignment, outlet_of: dict[str, str], needle: str, outlet: str):  # type: ignore[no-untyped-def]
    for group in alignment.groups:
        for m in group.members:
            if outlet_of[m.article_id] == outlet and needle in m.text:
                return group
    return None


MUST_SHOW = [
    # (rule id, a phrase in one member, that member's outlet, the outlets of the group)
    (
        "blinken-dramatic-acceleration",
        "dramatic acceleration in the buildup",
        "DW",
        {"DW", "JEN", "RFE/RL"},
    ),
    ("blinken-path-for-diplomacy", "path for diplomacy remains available", "DW", {"DW", "JEN"}),
    (
        "blinken-safety-of-our-staff",
        "for one reason — the safety of our staff",
        "JEN",
        {"JEN", "The Washington Post"},
    ),
    ("lavrov-far-from-exhausted", "far from exhausted", "RFE/RL", {"DW", "RFE/RL"}),
    ("scholz-new-loan", "150 million euros", "RFE/RL", {"DW", "RFE/RL", "The Washington Post"}),
    (
        "trudeau-lethal-aid",
        "$7.8 million in lethal equipment",
        "The Washington Post",
        {"DW", "The Washington Post"},
    ),
    ("kirby-little-to-no-warning", "little to no warning", "RFE/RL", {"DW", "RFE/RL"}),
    (
        "zelensky-unity-day-decree",
        "signed a decree declaring February 16",
        "RFE/RL",
        {"DW", "RFE/RL"},
    ),
]


@pytest.mark.parametrize(
    ("needle", "outlet", "outlets"), [r[1:] for r in MUST_SHOW], ids=[r[0] for r in MUST_SHOW]
)
def test_must_show_groups(story, needle: str, outlet: str, outlets: set[str]) -> None:  # type: ignore[no-untyped-def]
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    group = _group_with(alignment, outlet_of, needle, outlet)
    assert group is not None, f"no group holds {needle!r}"
    assert {outlet_of[m.article_id] for m in group.members} == outlets


# Every member of a must-show group is about the same thing: one phrase per outlet.
GROUP_CONTENT = [
    (
        "scholz-new-loan",
        "150 million euros",
        "RFE/RL",
        {
            "DW": "€150 million",
            "RFE/RL": "150 million euros",
            "The Washington Post": "$170 million",
        },
    ),
    (
        "trudeau-lethal-aid",
        "$7.8 million in lethal equipment",
        "The Washington Post",
        {"DW": "Can$7.8 million", "The Washington Post": "$7.8 million"},
    ),
    (
        "blinken-path-for-diplomacy",
        "path for diplomacy remains available",
        "DW",
        {"DW": "path for diplomacy", "JEN": "path for diplomacy"},
    ),
    (
        "blinken-dramatic-acceleration",
        "dramatic acceleration in the buildup",
        "DW",
        {
            "DW": "dramatic acceleration",
            "JEN": "dramatic acceleration",
            "RFE/RL": "dramatic acceleration",
        },
    ),
]


@pytest.mark.parametrize(
    ("needle", "outlet", "phrases"),
    [r[1:] for r in GROUP_CONTENT],
    ids=[r[0] for r in GROUP_CONTENT],
)
def test_groups_do_not_mix_in_unrelated_sentences(story, needle, outlet, phrases) -> None:  # type: ignore[no-untyped-def]
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    group = _group_with(alignment, outlet_of, needle, outlet)
    assert group is not None
    for m in group.members:
        assert phrases[outlet_of[m.article_id]] in m.text


def test_invariants(story) -> None:  # type: ignore[no-untyped-def]
    articles, analyses, _, alignment = story
    seen: set[tuple[str, int]] = set()
    for group in alignment.groups:
        ids = [m.article_id for m in group.members]
        assert len(ids) == len(set(ids)) >= 2, "one sentence per article, two articles at least"
        for m in group.members:
            assert (m.article_id, m.sentence_index) not in seen
            seen.add((m.article_id, m.sentence_index))
    for m in alignment.unique:
        assert (m.article_id, m.sentence_index) not in seen
    # Members carry the article's own sentence text (without an inline promo glued
    # to its start: "SEE ALSO: <headline>Foreign Minister Sergei Lavrov said ...").
    by_id = {a.id: a for a in articles}
    for group in alignment.groups:
        for m in group.members:
            sentence = analyses[m.article_id].sentence_text(
                by_id[m.article_id].text, m.sentence_index
            )
            assert sentence == m.text or (
                sentence.startswith("SEE ALSO") and sentence.endswith(m.text)
            )
    # Ordered by first appearance in the baseline (DW) first.
    baseline = articles[0].id
    firsts = [
        g.members[0].sentence_index for g in alignment.groups if g.members[0].article_id == baseline
    ]
    assert firsts == sorted(firsts)


def test_unique_sentences_are_each_outlets_own(story) -> None:  # type: ignore[no-untyped-def]
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    own = {(outlet_of[m.article_id], m.text[:40]) for m in alignment.unique}
    assert ("The Washington Post", "Price said Ukrainian national police wou") in own
    assert any(o == "DW" and t.startswith("Japan will take") for o, t in own)
    assert not any("Skip to" in t for _, t in own)


def test_export_shape(story) -> None:  # type: ignore[no-untyped-def]
    _, _, _, alignment = story
    exported = alignments_export(alignment)
    assert exported and {"id", "members"} <= exported[0].keys()
    assert {"article_id", "sentence"} <= exported[0]["members"][0].keys()


JUNK = [
    ("too-short", "Skip to content", True),
    ("heading", "Bolsonaro heads to Russia", True),
    (
        "image-credit",
        "Putin's intentions remain a mystery to Western observersImage: Alexei "
        "Nikolsky/AP/Sputnik/picture alliance",
        True,
    ),
    ("bracketed-credit", "(Whitney Shefte/The Washington Post)", True),
    ("tweet-signature", "— Ned Price (@StateDeptSpox) February 14, 2022", True),
    (
        "promo",
        "RFE/RL's Ukraine Live Briefing gives you the latest developments on Russia's "
        "invasion, Western military aid, the plight of civilians, and territorial control maps.",
        True,
    ),
    (
        "reporter-credits",
        "Dixon reported from Moscow, Morris from Berlin and Pannett from Sydney.",
        True,
    ),
    ("agency-initials", "rm, tj/wmr, jsi (AFP, AP, Reuters, dpa)", True),
    ("reporter-credit-lower-case", "Jane Doe and John Roe REPORTED FROM Kyiv.", True),
    ("click-here", "For the full statement of the embassy, click here.", True),
    ("reported-is-not-a-credit", "The embassy, officials reported from Kyiv, will close.", False),
    (
        "reporting-without-full-stop",
        "Ukrainian President Volodymyr Zelenskyy has declared "
        'Wednesday, February 16, a national "Unity Day" in a seeming act of defiance amid US '
        "predictions that a Russian invasion could occur on that date",
        False,
    ),
    ("short-quote", "“But our state today is stronger than ever.”", False),
]


@pytest.mark.parametrize(("text", "junk"), [r[1:] for r in JUNK], ids=[r[0] for r in JUNK])
def test_junk_rule(text: str, junk: bool) -> None:
    assert is_junk(text) is junk


def test_title_line_is_junk() -> None:
    title = (
        "U.S. will close American embassy in Ukraines capital as Putin appears to leave "
        "diplomatic door open"
    )
    assert is_junk(f"/{title} – The Washington Post", title)


QUOTES = [
    (
        "curly",
        "undertaken “for one reason — the safety of our staff,” and",
        ["for one reason — the safety of our staff,"],
    ),
    ("straight", 'the move is based on the "dramatic acceleration."', ["dramatic acceleration."]),
    (
        "mixed-marks",
        '"It seems to me that our possibilities are far from exhausted,” Lavrov said',
        ["It seems to me that our possibilities are far from exhausted,"],
    ),
    (
        "single-phrase",
        "due to the 'dramatic acceleration in the buildup'",
        ["dramatic acceleration in the buildup"],
    ),
    ("apostrophe-is-not-a-quote", "Russia's top diplomat says his country's", []),
    (
        "apostrophes-then-quote",
        "Russia's envoy said the West's 'hysteria over an invasion' was baseless",
        ["hysteria over an invasion"],
    ),
    (
        "opening-mark-at-start",
        "'Our possibilities are far from exhausted' he said",
        ["Our possibilities are far from exhausted"],
    ),
    (
        "open-to-end",
        '"The path for diplomacy remains available',
        ["The path for diplomacy remains available"],
    ),
]


@pytest.mark.parametrize(("text", "quoted"), [r[1:] for r in QUOTES], ids=[r[0] for r in QUOTES])
def test_quoted_spans(text: str, quoted: list[str]) -> None:
    assert [text[a:b] for a, b in quoted_spans(text)] == quoted


AMOUNTS = [
    (
        "euro-sign",
        "a new loan of €150 million ($170 million) to Kyiv",
        [(150e6, "EUR"), (170e6, "USD")],
    ),
    ("euro-word", "a new credit of 150 million euros to Ukraine", [(150e6, "EUR")]),
    ("canadian", "Can$7.8 million worth of lethal equipment", [(7.8e6, "CAD")]),
    ("count", "Russia has amassed some 130,000 troops", [(130000, None)]),
    ("date-is-not-an-amount", "on Wednesday, February 16, 2022", []),
    ("year-is-not-an-amount", "In 2008, a NATO summit agreed", []),
    ("small-number", "around 70 kilometres from the border", []),
    # A figure glued to a unit or a name is a specification, not an amount (stadia:
    # Wccftech's "1080p/1440p" and MSPoweruser's "1080p 60fps" are different claims).
    ("glued-unit", "streaming games at 1080p/1440p with high-end console settings", []),
    ("glued-model", "the RTX 2080Ti runs it at 1440p", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [r[1:] for r in AMOUNTS], ids=[r[0] for r in AMOUNTS]
)
def test_amounts(text: str, expected: list[tuple[float, str | None]]) -> None:
    assert [(a.value, a.currency) for a in amounts(text)] == expected


# --- word diff on aligned seed sentences ------------------------------------------

DW_LOAN = (
    "In an apparent bid to defuse such criticism, Scholz stressed at a press conference that his "
    "country had\u00a0been among the biggest donors to Ukraine in the past few years, "
    "pushing home the "
    "point by\u00a0announcing\u00a0a new loan\u00a0of €150 million ($170 million) to Kyiv."
)
WAPO_LOAN = "In Kyiv, Scholz announced a new, rapidly-accessible loan of about $170 million."
DW_KIRBY = (
    'He added, however, that the Pentagon thought it "entirely possible" that Putin would make '
    "the move with little to no warning."
)
RFE_KIRBY = (
    "Asked about Zelenskiy's reference to February 16 as the date of an attack, "
    "Kirby said he would "
    'not discuss specific intelligence but said: "It is entirely possible that [Putin] could move '
    'with little to no warning."'
)
DW_CANADA = (
    '"In light of the seriousness of the situation and following conversations with our Ukrainian '
    "partners, I've approved the provision of Can$7.8 million worth of lethal equipment and "
    'ammunition,"\u00a0Trudeau told a news conference.'
)
WAPO_CANADA = (
    "On Monday, Canadian Prime Minister Justin Trudeau announced his government would supply "
    "$7.8 million in lethal equipment and ammunition."
)

DIFFS = [
    # (rule, baseline, other, words the other must show as equal, as inserted/changed, as removed)
    (
        "kirby-shared-tail",
        DW_KIRBY,
        RFE_KIRBY,
        ["little to no warning."],
        ["Zelenskiy's"],
        ["Pentagon"],
    ),
    (
        "loan-same-dollars-other-words",
        DW_LOAN,
        WAPO_LOAN,
        ["Scholz", "$170 million."],
        ["rapidly-accessible"],
        ["€150"],
    ),
    ("canada-lethal-aid", DW_CANADA, WAPO_CANADA, ["lethal equipment and"], ["$7.8"], ["Can$7.8"]),
]


@pytest.mark.parametrize(
    ("base", "other", "equal", "added", "removed"),
    [r[1:] for r in DIFFS],
    ids=[r[0] for r in DIFFS],
)
def test_word_diff(base, other, equal, added, removed) -> None:  # type: ignore[no-untyped-def]
    ops = word_diff(base, other)
    # The ops cover both strings' words in order, and their spans carry the texts.
    assert " ".join(op.other_text for op in ops if op.other_text).split() == other.split()
    assert " ".join(op.base_text for op in ops if op.base_text).split() == base.split()
    for op in ops:
        assert base[op.base_start : op.base_end] == op.base_text
        assert other[op.other_start : op.other_end] == op.other_text
    same = " ".join(op.other_text for op in ops if op.kind == "equal")
    new = " ".join(op.other_text for op in ops if op.kind in ("insert", "replace"))
    gone = " ".join(op.base_text for op in ops if op.kind in ("delete", "replace"))
    for phrase in equal:
        assert phrase in same
    for phrase in added:
        assert phrase in new
    for phrase in removed:
        assert phrase in gone


def test_word_diff_ignores_typography() -> None:
    ops = word_diff("the “dramatic acceleration,” he said", 'the "dramatic acceleration" he said')
    assert [op.kind for op in ops] == ["equal"]


def test_word_diff_empty() -> None:
    assert word_diff("", "") == []
    ops = word_diff("", "Kyiv")
    assert [(op.kind, op.other_text) for op in ops] == [("insert", "Kyiv")]


# --- what the speed-up must not change, and the two quality rules of this round ------


def test_rfe_lede_joins_the_relocation_group(story) -> None:  # type: ignore[no-untyped-def]
    """The ledes report the story's main fact in their own words (``LEDE_BOOST``)."""
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    group = _group_with(alignment, outlet_of, "announced the relocation of its embassy", "RFE/RL")
    assert group is not None, "RFE/RL's lede is in no group"
    dw = group.member_of(next(a.id for a in articles if a.outlet == "DW"))
    assert dw is not None and "temporarily relocate its embassy" in dw.text


@pytest.mark.parametrize(
    ("needle", "outlet"),
    [
        ('a national "Unity Day"', "DW"),  # only "Zelensky" in common with the Post
        ("Russia says it has no plan to invade Ukraine", "RFE/RL"),  # only NATO, Georgia
        ("continue to pursue its goal of NATO membership", "RFE/RL"),  # only NATO
    ],
)
def test_pairs_sharing_only_names_make_no_group(story, needle: str, outlet: str) -> None:  # type: ignore[no-untyped-def]
    """``TEXT_FLOOR``: two sentences that only name the same people are not one claim."""
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    assert _group_with(alignment, outlet_of, needle, outlet) is None


def test_two_statements_of_one_speaker_are_not_one_claim(story) -> None:  # type: ignore[no-untyped-def]
    """JEN's "Ned Price on Monday said the decision to move all remaining American
    diplomats ... was made because ..." and the Post's "Ned Price told reporters Monday
    that 'we have taken note of [Lavrov's] comments'" share only the attribution (the
    speaker, his office, the day, the reporting verb): two statements, no group."""
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    for needle, outlet in (
        ("we have taken note of", "The Washington Post"),
        ("decision to move all remaining American diplomats", "JEN"),
    ):
        group = _group_with(alignment, outlet_of, needle, outlet)
        assert group is None or not any(
            "Price" in m.text for m in group.members if outlet_of[m.article_id] != outlet
        )


def test_caches_do_not_change_the_alignment(story) -> None:  # type: ignore[no-untyped-def]
    """Cold (caches cleared) and warm runs give the same groups; cached per-article
    results are not shared mutable state."""
    from reader.analysis.alignment import clear_caches, sentence_quotes

    articles, analyses, index, alignment = story
    clear_caches()
    cold = align_story(articles, analyses, index)
    warm = align_story(articles, analyses, index)
    assert cold == warm == alignment
    quotes = sentence_quotes(articles[0], analyses[articles[0].id])
    quotes.clear()
    assert sentence_quotes(articles[0], analyses[articles[0].id])


def test_char_bound_drops_no_pair_on_the_seeds(story) -> None:  # type: ignore[no-untyped-def]
    """``CHAR_BOUND`` skips character cosines only where they cannot matter: on the
    seed story the scored pairs are the same with and without it."""
    import numpy as np

    from reader.analysis import alignment as al
    from reader.analysis.similarity import similar_pair_arrays

    articles, analyses, index, _ = story
    sentences = al._collect(articles, analyses)
    labels = np.array([s.rank for s in sentences])
    units = al._units(sentences, analyses, index)
    common = {"threshold": al.PAIR_FLOOR, "allowed": labels, "block_max_df": al.BLOCK_MAX_DF}
    bounded = similar_pair_arrays(units, char_bound=al.CHAR_BOUND, **common)
    full = similar_pair_arrays(units, **common)
    for a, b in zip(bounded, full, strict=True):
        np.testing.assert_array_equal(a, b)


def test_tfidf_matches_scikit_learn(story) -> None:  # type: ignore[no-untyped-def]
    """The shared tokenisation and TF-IDF give scikit-learn's cosines: words as
    ``TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)``,
    characters as its ``char_wb`` 3-5-grams."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reader.analysis import similarity as sim

    articles, analyses, _, _ = story
    texts = [
        articles[0].text[s.start : s.end] for s in analyses[articles[0].id].sentences[:60]
    ] * 2  # repeated texts: one row each, document frequencies of all
    distinct = list(dict.fromkeys(texts))
    weights = np.array([texts.count(t) for t in distinct])
    words, _ = sim._count_matrix([sim._tokens(t)[0] for t in distinct])
    ours_words = sim._tfidf(words, weights).toarray()
    ours_chars = sim._char_tfidf(distinct, weights).toarray()
    theirs_words = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w[\w'’-]*\w\b|\b\d+\b",
    ).fit_transform(texts)
    theirs_chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
    ).fit_transform([" ".join(t.lower().split()) for t in texts])
    first = [texts.index(t) for t in distinct]
    np.testing.assert_allclose(
        ours_words @ ours_words.T,
        (theirs_words @ theirs_words.T).toarray()[np.ix_(first, first)],
        atol=1e-9,
    )
    np.testing.assert_allclose(
        ours_chars @ ours_chars.T,
        (theirs_chars @ theirs_chars.T).toarray()[np.ix_(first, first)],
        atol=1e-5,  # character rows are float32
    )


def test_similarity_and_alignment_do_not_import_scikit_learn() -> None:
    """Story grouping runs on the cold start: scikit-learn's import (scipy.stats) costs
    over a second there, and the measure needs only its stop-word list."""
    import subprocess
    import sys

    code = (
        "from reader.analysis.similarity import Unit, similar_pairs\n"
        "import reader.analysis.alignment\n"
        "similar_pairs([Unit('The embassy moves to Lviv'), Unit('Embassy moved to Lviv')])\n"
        "import sys; print(' '.join(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "sklearn" not in out.split()


LOOSE = [
    # (rule id, a phrase in one member, that member's outlet, matched loosely?)
    # Two Kirby statements about the same subject, one word of what is said in common
    # ("invade"): "does not believe the Russian president has made a final decision to
    # invade" / Russia "may be planning to invade ... any day now".
    ("kirby-two-statements", "does not believe the Russian president", "DW", True),
    # The same sum and the same words of what was given: sure.
    ("trudeau-lethal-aid", "$7.8 million in lethal equipment", "The Washington Post", False),
    # The same quoted words: sure.
    ("kirby-little-to-no-warning", "little to no warning", "RFE/RL", False),
]


@pytest.mark.parametrize(
    ("needle", "outlet", "loose"), [r[1:] for r in LOOSE], ids=[r[0] for r in LOOSE]
)
def test_a_group_that_shares_a_subject_but_not_what_is_said_is_loose(  # type: ignore[no-untyped-def]
    story, needle: str, outlet: str, loose: bool
) -> None:
    articles, _, _, alignment = story
    outlet_of = {a.id: a.outlet for a in articles}
    group = _group_with(alignment, outlet_of, needle, outlet)
    assert group is not None
    assert group.loose is loose
    exported = next(g for g in alignments_export(alignment) if g["id"] == group.id)
    assert exported["loose"] is loose
