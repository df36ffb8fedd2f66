"""Quote speakers from the attribution itself (reader/analysis/quotes.py), on real text.

One row per rule: a phrase of the quote and the speaker the article names (or None: the
article names no one, so no speaker, and the quote is not listed). Seed rows use the
four 14 February seeds; corpus rows read the development corpus at test time (skipped
when it is missing) and name sentences only by short phrases.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader.analysis.alignment import align_story
from reader.analysis.framing import build_framing
from reader.analysis.quotes import Quote, article_quotes, known_people

SEED_SPEAKERS = [
    # (rule, outlet, phrase of the quote, speaker)
    ("title-of-state-is-not-a-preposition", "DW", "dramatic acceleration", "Antony Blinken"),
    ("indefinite-role-speaks-for-its-org", "DW", "The leaders emphasized", "Downing Street"),
    ("he-after-unnamed-spokesman", "DW", "Western allies must remain united", "Downing Street"),
    (
        "he-is-the-person-named-before-it",
        "DW",
        "Nord Stream out of the bloodstream",
        "Boris Johnson",
    ),
    (
        "who-clause-names-the-antecedent",
        "The Washington Post",
        "in the near future",
        "Sergei Shoigu",
    ),
    (
        "name-after-with-is-not-the-subject",
        "The Washington Post",
        "serious political, economic and geostrategic",
        "Olaf Scholz",
    ),
    (
        "definite-role-is-the-titled-person",
        "DW",
        "deeply worried by the heightened",
        "Antonio Guterres",
    ),
    (
        "he-said-continues-the-speaker",
        "RFE/RL",
        "We clearly know where the foreign army",
        "Volodymyr Zelensky",
    ),
]


@pytest.fixture(scope="module")
def seed_quotes(feb14_story) -> list[tuple[str, Quote]]:  # type: ignore[no-untyped-def]
    articles, analyses, index = feb14_story
    alignment = align_story(articles, analyses, index)
    framing = build_framing(articles, analyses, index, alignment)
    outlet = {a.id: a.outlet for a in articles}
    return [(outlet[q.article_id], q) for q in framing.quotes]


@pytest.mark.parametrize(
    ("outlet", "phrase", "speaker"),
    [r[1:] for r in SEED_SPEAKERS],
    ids=[r[0] for r in SEED_SPEAKERS],
)
def test_seed_speakers(seed_quotes, outlet: str, phrase: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = [q for o, q in seed_quotes if o == outlet and phrase in q.sentence]
    assert found, f"no quote with {phrase!r}"
    assert found[0].speaker.replace("Zelenskyy", "Zelensky") == speaker


CORPUS_SPEAKERS = [
    # (rule, cluster, article key, phrase of the sentence, speaker or None)
    (
        "first-person-not-the-apposition",
        "princeandrew",
        "princeandrew-sputniknews",
        "great success",
        "Andrew",
    ),
    (
        "person-over-org-in-apposition",
        "stadia",
        "stadia-hollywoodreporter",
        "built from the ground up",
        "Buser",
    ),
    (
        "said-that-x-is-the-target",
        "garrett",
        "garrett-cbssports",
        "antagonize a fight",
        "Richardson",
    ),
    (
        "told-x-is-the-one-told",
        "princeandrew",
        "princeandrew-sputniknews",
        "judgement call",
        "Andrew",
    ),
    ("surname-the-model-missed", "stadia", "stadia-hollywoodreporter", "next big jump", "Buser"),
    ("says-x-are-is-content", "stadia", "stadia-hollywoodreporter", 'are "believers"', "Early"),
    (
        "organisation-as-subject",
        "assange",
        "assange-bbc",
        "discontinue the investigation",
        "Prosecution Authority",
    ),
    (
        "name-tagged-org-by-the-model",
        "assange",
        "assange-albawaba",
        "comprehensive assessment",
        "Persson",
    ),
    (
        "he-told-lawmakers",
        "thirdhearing",
        "thirdhearing-cbsnews",
        "not some irregular channel",
        "Volker",
    ),
    ("run-on-quote-paragraph", "assange", "assange-bbc", "coherent, extensive and", "Persson"),
    (
        "unnamed-expert-no-speaker",
        "princeandrew",
        "princeandrew-sputniknews",
        "immunity by virtue",
        None,
    ),
    (
        "the-expert-stays-unnamed",
        "princeandrew",
        "princeandrew-sputniknews",
        "vulnerable to extradition",
        None,
    ),
    (
        "company-statement-not-its-target",
        "swiftamas",
        "swiftamas-foxnews",
        "tumblr statements",
        None,
    ),
]


@pytest.mark.parametrize(
    ("cluster", "key", "phrase", "speaker"),
    [r[1:] for r in CORPUS_SPEAKERS],
    ids=[r[0] for r in CORPUS_SPEAKERS],
)
def test_corpus_speakers(
    truth_corpus, cluster: str, key: str, phrase: str, speaker: str | None
) -> None:  # type: ignore[no-untyped-def]
    story = truth_corpus.cluster_analysis(cluster)
    article = truth_corpus.article_of[key]
    assert phrase in " ".join(article.text.split()), "the phrase is not in the article"
    quotes = article_quotes(
        article, story.analyses[article.id], story.index, known_people(story.index, story.analyses)
    )
    found = [q for q in quotes if phrase in " ".join(q.sentence.split())]
    if speaker is None:
        assert not found, f"credited to {found[0].speaker}"
    else:
        assert found, f"no quote with {phrase!r}"
        assert speaker in found[0].speaker


def test_comparison_modules_import_neither_spacy_nor_textual() -> None:
    code = (
        "import sys, reader.analysis.quotes, reader.analysis.amounts, "
        "reader.analysis.disagreements, reader.analysis.framing; "
        "print('spacy' in sys.modules, 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
