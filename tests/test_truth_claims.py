"""Claims and stories told truthfully (issue 18, items 1, 6 and the claim side of 7).

Real text: the seeds, and devcorpus sentences read from the corpus at test time (the
``truth_corpus`` fixture skips without it). Each rule has its row; the rule's name is
in the test id.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from reader.analysis.alignment import (
    NEAR_FLOOR,
    AlignedGroup,
    AlignedMember,
    align_story,
    quantities,
)
from reader.analysis.boilerplate import is_junk, strip_promo
from reader.analysis.framing import build_framing, framing_export, framing_markdown
from reader.analysis.stories import story_outlets

# --- boilerplate: never a claim --------------------------------------------------------

BOILERPLATE = [
    # (rule, line, title) -- generic page furniture, the kinds the corpus pages carry
    ("reprint-notice", "This article has been adapted from its original source.", ""),
    ("copyright", "© 2019 Hearst Communications, Inc. All rights reserved.", ""),
    (
        "syndication",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "",
    ),
    (
        "newsletter-promo",
        "Sign up for our daily newsletter to get the top stories in your inbox.",
        "",
    ),
    (
        "podcast-promo",
        "This week's Tennis Podcast is sponsored by the Davis Cup Finals in Madrid.",
        "",
    ),
    (
        "listen-live",
        "Listen to Newsbeat live at 12:45 and 17:45 weekdays - or listen back here.",
        "",
    ),
    ("follow-us", "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", ""),
    ("coupon", "Expercom is knocking up to $438 off select configurations with coupon code X.", ""),
    ("start-your-day", "Start your day with the Opening Bell powered by The Water Coolest.", ""),
    ("caption", "Photo: Pro-Russian separatists patrol a street in Donetsk, 2022.", ""),
    (
        "graphic-caption",
        "(Graphic: how the embassy staff moved from Kyiv to Lviv in two days.)",
        "",
    ),
    ("related-link", "2020 VW ID.3 official as Volkswagen bets on electric", ""),
    ("subheading-question", "What charges does Assange face in the US?", ""),
    (
        "related-link-card",
        "- Rams top Bears as offenses struggle Neither the Rams nor Bears could get going.",
        "",
    ),
    ("title-part", "Is Football Violence a Crime?", "Opinion | Is Football Violence a Crime?"),
    # A line ending on a bare quoted phrase (no sentence end inside the quote) is a
    # heading: CBS News' numbered key moments, the seeds' live-blog subheadings.
    ("numbered-quote-heading", '3. "Not some irregular channel"', ""),
    ("quoted-word-heading", "UN chief 'worried' by 'incendiary rhetoric'", ""),
    ("curly-quote-heading", "- “My fears have been realized”", ""),
    ("lead-in", "Here are some of the highlights:", ""),
    (
        "long-link-card",
        "- Chiefs vs. Chargers: Recap, highlights Kansas City has held on to their lead "
        "in the AFC West",
        "",
    ),
    # A fact check's claim under review is reported in order to be rated, not asserted.
    ("fact-check-claim", "Claim: The ambassador has a net worth of $17 million.", ""),
]

CLAIMS = [
    # (rule, line) -- reporting that must stay
    (
        "reported-sentence",
        "The US State Department said Monday it would temporarily relocate its embassy.",
    ),
    ("quoted-question", 'Kirby asked: "Why would they move now, with talks still open?"'),
    (
        "sponsor-in-news",
        "The tournament, sponsored by a bank, drew 40,000 fans to Madrid on Monday.",
    ),
    (
        "listen-in-quote",
        '"We listen to our fans and we will keep doing so," the label said on Monday.',
    ),
    (
        "long-sentence-before-a-list",
        "Other social media users have offered differing estimates of her net worth, "
        "none of them backed by any filing or record:",
    ),
    ("quote-ending-sentence", 'Volker told lawmakers: "I frankly cringe when I hear it."'),
    ("quote-then-stop", 'The White House called the hearing "a sham".'),
    ("short-quote-sentence", '"We will not back down," she said, "not now."'),
    (
        "bullet-point",
        "- The safety depth was tested against the Steelers, as Randall was ejected.",
    ),
]


@pytest.mark.parametrize(("rule", "line", "title"), BOILERPLATE, ids=[r[0] for r in BOILERPLATE])
def test_boilerplate_is_never_a_claim(rule: str, line: str, title: str) -> None:
    assert is_junk(line, title)


@pytest.mark.parametrize(("rule", "line"), CLAIMS, ids=[r[0] for r in CLAIMS])
def test_reporting_is_not_boilerplate(rule: str, line: str) -> None:
    assert not is_junk(line)


def test_corpus_boilerplate_lines_are_not_listed_as_only_here(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """The furniture of real pages (a reprint notice, a podcast promo, a related link,
    a sponsor line) is in no outlet's "only here" list."""
    furniture = [
        ("assange", "adapted from its original source"),
        ("daviscup", "Tennis Podcast is sponsored by"),
        ("swiftamas", "Listen to Newsbeat live"),
        ("garrett", "Is Football Violence a Crime?"),
        # A newsletter's pitch in the paragraphs of its sign-up lines (Dealbreaker).
        ("swiftamas", "preferred bathroom stall reading material"),
        ("swiftamas", "There's plenty more where that came from"),
    ]
    for cluster, phrase in furniture:
        framing = truth_corpus.cluster_analysis(cluster).framing
        assert any(phrase in a.text for a in truth_corpus.cluster_analysis(cluster).articles)
        for outlet in framing.outlets:
            assert not any(phrase in m.text for m in outlet.unique), (cluster, phrase)


# --- quantities: a number with what it counts -------------------------------------------

QUANTITIES = [
    (
        "digits-and-words-agree",
        "in 5.0 seconds, VW says",
        "in five seconds, VW says",
        (5.0, "second"),
    ),
    ("percent-sign-and-word", "a 20% improvement", "20 percent more power", (20.0, "percent")),
    (
        "thousands-separator",
        "a 302-horsepower system",
        "302 horsepower from two motors",
        (302.0, "horsepower"),
    ),
]


@pytest.mark.parametrize(("rule", "a", "b", "quantity"), QUANTITIES, ids=[r[0] for r in QUANTITIES])
def test_quantities_compare_numbers_with_what_they_count(
    rule: str, a: str, b: str, quantity: tuple[float, str]
) -> None:
    assert quantity in quantities(a) and quantity in quantities(b)


def test_a_number_without_what_it_counts_is_no_quantity() -> None:
    assert quantities("one of the many people") == ()
    assert quantities("in 2017 with no charges") == ()


# --- only here: after a broad check ------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(feb14_story):  # type: ignore[no-untyped-def]
    articles, analyses, index = feb14_story
    alignment = align_story(articles, analyses, index)
    return articles, analyses, index, alignment, build_framing(articles, analyses, index, alignment)


def _outlet(framing, name):  # type: ignore[no-untyped-def]
    return next(o for o in framing.outlets if o.outlet == name)


def test_a_claim_another_outlet_words_differently_is_not_only_here(seeds) -> None:  # type: ignore[no-untyped-def]
    """JEN's "more than 100,000 troops" is DW's "some 130,000 troops" and WaPo's "more
    than 130,000": shared in other words and numbers, so not JEN's own."""
    *_, framing = seeds
    jen = _outlet(framing, "JEN")
    assert not any("massed more than 100,000 troops" in m.text for m in jen.unique)


def test_a_real_unique_claim_stays_only_here(seeds) -> None:  # type: ignore[no-untyped-def]
    *_, framing = seeds
    wapo = _outlet(framing, "The Washington Post")
    assert any("national police would guard" in m.text for m in wapo.unique)
    dw = _outlet(framing, "DW")
    assert any("Schallenberg" in m.text or "Lloyd Austin" in m.text for m in dw.unique[:5])


def test_only_here_lists_no_question(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    framing = truth_corpus.cluster_analysis("daviscup").framing
    for outlet in framing.outlets:
        assert not any(m.text.rstrip().endswith("?") for m in outlet.unique)


def test_rounding_and_number_words_are_the_same_claim(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """SlashGear's "0-60 mph could arrive in 5.0 seconds" is the Connecticut Post's "zero
    to 60 mph ... in five seconds": not only here."""
    framing = truth_corpus.cluster_analysis("laautoshow").framing
    slashgear = next(o for o in framing.outlets if o.outlet == "SlashGear")
    assert not any("arrive in 5.0 seconds" in m.text for m in slashgear.unique)


def test_left_out_only_when_the_outlet_lacks_it(seeds) -> None:  # type: ignore[no-untyped-def]
    """DW states the troops ("some 130,000") and Scholz's diplomacy in its own words,
    so neither is "left out" of DW; Blinken's "for one reason — the safety of our
    staff", which DW does not report, is."""
    *_, framing = seeds
    dw = _outlet(framing, "DW")
    texts = [m.text for g in dw.left_out for m in g.members]
    assert not any("massed more than 100,000 troops" in t for t in texts)
    assert not any("Moscow signaled its willingness to continue talks" in t for t in texts)
    assert any("for one reason" in t for t in texts)


def test_every_difference_shows_its_evidence(seeds) -> None:  # type: ignore[no-untyped-def]
    """A "left out" item names the sentences of the outlets that carry it, in the
    Markdown report too."""
    articles, _, _, alignment, framing = seeds
    report = framing_markdown(articles, alignment, framing)
    section = report.split("## DW", 1)[1].split("\n## ", 1)[0]
    assert "**Left out (most others carry it):**" in section
    line = next(ln for ln in section.splitlines() if "for one reason" in ln)
    assert line.endswith("(JEN, The Washington Post)")


def test_two_sums_are_two_decisions(seeds) -> None:  # type: ignore[no-untyped-def]
    """DW's "Trudeau announced that Ukraine would be loaned $490 million" is not the Post's
    "Trudeau announced his government would supply $7.8 million in lethal equipment"
    (two sums, two decisions): it is not hidden as carried elsewhere; it is shown, as
    perhaps only DW's, beside the Post's sentence."""
    *_, framing = seeds
    dw = _outlet(framing, "DW")
    closest = next(c for m, c in dw.maybe_unique if "loaned $490 million" in m.text)
    assert "$7.8 million in lethal equipment" in closest.text


def test_left_out_is_unsure_when_the_outlet_has_a_sentence_near_it(seeds) -> None:  # type: ignore[no-untyped-def]
    """DW mentions the Biden-Putin call inside Blinken's quote ("following President
    Biden's call with President Putin"): the group JEN and the Post make of the call is
    not told as "left out" of DW but as "perhaps left out", with DW's sentence beside
    it; in the export and the Markdown report too."""
    articles, _, _, alignment, framing = seeds
    dw = _outlet(framing, "DW")
    assert not any("no major breakthroughs" in m.text for g in dw.left_out for m in g.members)
    group, closest = next(
        (g, c)
        for g, c in dw.maybe_left_out
        if any("no major breakthroughs" in m.text for m in g.members)
    )
    assert "following President Biden's call with President Putin" in closest.text
    exported = next(o for o in framing_export(framing)["outlets"] if o["outlet"] == "DW")
    assert {
        "group_id": group.id,
        "closest": {"article_id": closest.article_id, "sentence": closest.text},
    } in exported["maybe_left_out"]
    report = framing_markdown(articles, alignment, framing)
    section = report.split("## DW", 1)[1].split("\n## ", 1)[0]
    assert "**Perhaps left out" in section


def test_left_out_is_unsure_when_the_outlet_says_it_in_passing(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """Dawgs By Nature's "(well, 12 if you count the helmet hit)" is the helmet swing CBS
    and the WSJ report: not "left out" of it, but shown as perhaps, with that sentence."""
    framing = truth_corpus.cluster_analysis("garrett").framing
    dawgs = next(o for o in framing.outlets if o.outlet == "Dawgs By Nature")
    texts = [m.text for g in dawgs.left_out for m in g.members]
    assert not any("hitting Rudolph in the head" in t for t in texts)
    assert any("helmet hit" in c.text for _, c in dawgs.maybe_left_out)


def test_a_glued_promo_is_not_part_of_the_claim(seeds) -> None:  # type: ignore[no-untyped-def]
    """RFE/RL glues its "SEE ALSO:" related-link headline to the next paragraph ("... Is
    'Unprecedented'Foreign Minister Sergei Lavrov said ..."): the promo is page
    furniture, the claim is what follows; a promo line alone is boilerplate."""
    articles, _analyses, _, alignment, _ = seeds
    rfe = next(a for a in articles if a.outlet == "RFE/RL")
    line = next(ln for ln in rfe.text.splitlines() if ln.startswith("SEE ALSO:"))
    assert strip_promo(line).startswith("Foreign Minister Sergei Lavrov said that while")
    assert not is_junk(line)
    members = [m for g in alignment.groups for m in g.members if m.article_id == rfe.id]
    members += [m for m in alignment.unique if m.article_id == rfe.id]
    assert any(m.text.startswith("Foreign Minister Sergei Lavrov said") for m in members)
    assert not any("SEE ALSO" in m.text or "Open-Source Monitors" in m.text for m in members)
    assert is_junk(
        "SEE ALSO: Open-Source Monitors Say Russia's Military Buildup"
        " Near Ukraine Is Unprecedented."
    )
    assert strip_promo("Read more: Ukraine's Leaders Reject Talks Before Ceasefire.") == ""
    # The promo's quoted headline is nobody's quote.
    *_, framing = seeds
    assert not any("Explosive Situation" in q.text for q in framing.quotes)
    assert any(q.text.startswith("warned more than once") for q in framing.quotes)


def test_the_markdown_counts_outlets_not_sentences(with_follow_up) -> None:  # type: ignore[no-untyped-def]
    """A shared claim carried by two articles of one outlet and one of another is
    carried by two outlets (an alignment cached before outlets were merged can hold
    both versions)."""
    story, alignment, framing = with_follow_up
    dw = [a for a in story if a.outlet == "DW"]
    jen = next(a for a in story if a.outlet == "JEN")
    group = AlignedGroup(
        "g-test",
        (
            AlignedMember(dw[0].id, 0, "one"),
            AlignedMember(dw[1].id, 0, "one again"),
            AlignedMember(jen.id, 0, "one in other words"),
        ),
        0.5,
    )
    report = framing_markdown(story, replace(alignment, groups=(group,)), framing)
    assert "1. (2 outlets)" in report
    loose = replace(group, loose=True)
    report = framing_markdown(story, replace(alignment, groups=(loose,)), framing)
    assert "1. (2 outlets, ≈ matched loosely: they may say different things)" in report


# --- versions of one outlet (item 6) ----------------------------------------------------


@pytest.fixture(scope="module")
def with_follow_up(feb14_story):  # type: ignore[no-untyped-def]
    """The 14 Feb story plus a second DW article: DW republishing JEN's report (a
    wire-style follow-up), so DW now carries everything JEN says."""
    articles, analyses, index = feb14_story
    jen = next(a for a in articles if a.outlet == "JEN")
    follow_up = replace(jen, id="dw-follow-up", outlet="DW")
    story = [*articles, follow_up]
    analyses = {**analyses, follow_up.id: analyses[jen.id]}
    alignment = align_story(story, analyses, index)
    return story, alignment, build_framing(story, analyses, index, alignment)


def test_an_outlets_articles_are_one_outlet(with_follow_up) -> None:  # type: ignore[no-untyped-def]
    story, alignment, framing = with_follow_up
    assert story_outlets(story) == ["DW", "JEN", "RFE/RL", "The Washington Post"]
    assert [o.outlet for o in framing.outlets] == story_outlets(story)
    dw = _outlet(framing, "DW")
    assert dw.label == "DW · 2 articles" and len(dw.article_ids) == 2
    outlets = {a.id: a.outlet for a in story}
    for group in alignment.groups:
        names = [outlets[m.article_id] for m in group.members]
        assert len(names) == len(set(names)), "an outlet compared with itself"
    exported = framing_export(framing)["outlets"]
    assert len(exported) == 4
    assert next(o for o in exported if o["outlet"] == "DW")["article_ids"] == list(dw.article_ids)


def test_nothing_is_left_out_of_what_the_outlets_follow_up_says(with_follow_up) -> None:  # type: ignore[no-untyped-def]
    _, _, framing = with_follow_up
    dw = _outlet(framing, "DW")
    texts = [m.text for g in dw.left_out for m in g.members]
    assert not any("for one reason" in t for t in texts)


def test_the_markdown_names_versions_once(with_follow_up) -> None:  # type: ignore[no-untyped-def]
    story, alignment, framing = with_follow_up
    report = framing_markdown(story, alignment, framing)
    assert "## DW · 2 articles" in report
    assert report.count("\n## DW") == 1


# --- stories ----------------------------------------------------------------------------


def test_one_event_worded_differently_is_one_story(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """A review round-up, the launch story and two performance reports (stadia); two
    opinion pieces on one interview (princeandrew); a wire round-up and a single-model
    story (laautoshow): each one story."""
    stories = truth_corpus.grouped_stories()
    for cluster in ("stadia", "princeandrew", "garrett", "laautoshow", "daviscup"):
        keys = set(truth_corpus.clusters[cluster].keys)
        assert any(keys <= set(s) for s in stories), cluster


def test_different_events_stay_apart(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """Two stabbings on the same days in different cities, and the January seed against
    the February ones, are not one story."""
    stories = truth_corpus.grouped_stories()
    story_of = {k: n for n, s in enumerate(stories) for k in s}
    assert story_of["stabbings-jpost"] != story_of["stabbings-sfgate"]
    assert story_of["seed-004"] != story_of["seed-000"]


# --- unsure: shown with the evidence, never as fact (item 7, claim side) ---------------


def test_unsure_claims_come_with_the_closest_sentence_elsewhere(seeds) -> None:  # type: ignore[no-untyped-def]
    """A sentence another outlet comes near is not "only here": it is "perhaps only here",
    beside the other outlet's closest sentence, in the export and the report."""
    articles, _, _, alignment, framing = seeds
    outlet_of = {a.id: a.outlet for a in articles}
    sure = {(m.article_id, m.sentence_index) for o in framing.outlets for m in o.unique}
    assert all(alignment.nearest[key] < NEAR_FLOOR for key in sure)
    maybe = [pair for o in framing.outlets for pair in o.maybe_unique]
    assert maybe
    for m, closest in maybe:
        assert (m.article_id, m.sentence_index) not in sure
        assert outlet_of[closest.article_id] != outlet_of[m.article_id]
    exported = framing_export(framing)
    assert {u["sentence"] for u in exported["unique"]} == {
        m.text for o in framing.outlets for m in o.unique
    }
    first = next(o for o in exported["outlets"] if o["maybe_unique"])["maybe_unique"][0]
    assert set(first) == {"sentence", "article_id", "closest"}
    report = framing_markdown(articles, alignment, framing)
    assert "**Perhaps only here (another outlet has a similar sentence):**" in report
    assert "— closest, " in report


def test_a_fact_checks_claim_under_review_is_not_its_claim(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    """Snopes prints the rumour it rates under a "Claim" label: the page does not assert
    it, so it is in no list of what Snopes says (sure or perhaps), while Snopes' own
    finding still is."""
    framing = truth_corpus.cluster_analysis("impeachmixed").framing
    (snopes,) = [o for o in framing.outlets if "snopes" in o.outlet.lower()]
    listed = [m.text for m in snopes.unique] + [m.text for m, _ in snopes.maybe_unique]
    assert not any("has a net worth of $17 million." in t and "Former" in t for t in listed)
    assert any("wholly unsubstantiated" in t for t in listed)
