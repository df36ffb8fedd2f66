"""Framing: how each outlet tells a story that the others tell too.

Owns: ``build_framing`` (per outlet: headline, lede, what only it reports, what most
others carry that it leaves out, whom it quotes and how much; across outlets: quotes
with their speakers, numbers, dates and facts that disagree, naming choices), and
its renderings ``framing_export`` and ``framing_markdown``. Must not: import spaCy
or Textual, align sentences itself (it reads an ``Alignment``), or link entities
itself (it reads an ``EntityIndex``).

Rules, each small and stated where it is applied:

- Lede: the first sentence that is not junk (``alignment.is_junk``) nor the title.
- Own reporting: the outlet's unaligned sentences, ranked by how much they state
  (entities, amounts, a quote, length), earlier first on ties.
- Left out: groups carried by at least half of the other articles but not this one.
- Quotes: ``reader.analysis.quotes`` finds them and their speakers (the subject of the
  reporting verb; see its module doc); framing counts them per outlet.
- Disagreements: ``reader.analysis.disagreements`` finds the numbers, dates and named
  facts that outlets state differently (``Framing.disagreements``, with the sentence on
  each side); ``Framing.numbers`` is its number part, in the shape it always had.
- Naming: an entity's surface forms per article, without possessives, titles and
  handles, split into words; spellings of one word that differ across outlets
  ("Kyiv"/"Kiev", "Zelensky"/"Zelenskiy"/"Zelenskyy") are reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from reader.analysis.alignment import (
    AlignedGroup,
    AlignedMember,
    Alignment,
    amounts,
    junk_sentences,
)
from reader.analysis.disagreements import Disagreement, find_disagreements
from reader.analysis.entities import EntityIndex
from reader.analysis.quotes import (
    Quote,
    SpeakerCount,
    article_quotes,
    known_people,
    speaker_counts,
)
from reader.analysis.quotes import name_words as _name_words
from reader.models import Article, ArticleAnalysis


@dataclass(frozen=True, slots=True)
class NumberValue:
    article_id: str
    value: float
    text: str  # the amount as written ("some 130,000", "€150 million")
    sentence_index: int
    sentence: str


@dataclass(frozen=True, slots=True)
class NumberDisagreement:
    """One quantity that outlets state differently."""

    what: str  # "troops", "money (EUR)", ...
    values: tuple[NumberValue, ...]


@dataclass(frozen=True, slots=True)
class NamingChoice:
    """An entity whose name outlets spell differently."""

    entity_id: str
    entity: str
    variants: dict[str, tuple[str, ...]]  # spelling -> article ids using it


@dataclass(frozen=True, slots=True)
class OutletFraming:
    article_id: str
    outlet: str
    headline: str
    lede: str
    unique: tuple[AlignedMember, ...]  # ranked, most informative first
    left_out: tuple[AlignedGroup, ...]  # carried by most others, not by this outlet
    speakers: tuple[SpeakerCount, ...]  # most quoted first


@dataclass(frozen=True, slots=True)
class Framing:
    outlets: tuple[OutletFraming, ...]
    quotes: tuple[Quote, ...]
    numbers: tuple[NumberDisagreement, ...]
    naming: tuple[NamingChoice, ...]
    unique: tuple[AlignedMember, ...]
    disagreements: tuple[Disagreement, ...] = ()  # numbers, dates, named facts


# --- numbers ------------------------------------------------------------------------


def _number_disagreements(
    disagreements: Sequence[Disagreement], analyses: Mapping[str, ArticleAnalysis]
) -> list[NumberDisagreement]:
    """``framing.numbers``: the number disagreements, as they were always shown."""
    return [
        NumberDisagreement(
            d.about,
            tuple(
                NumberValue(v.article_id, v.number or 0.0, v.value, v.sentence_index, v.sentence)
                for v in d.values
            ),
        )
        for d in disagreements
        if d.kind == "number"
    ]


# --- naming -------------------------------------------------------------------------


def _key(word: str) -> str:
    return word.lower().replace(".", "")


def _naming(articles: Sequence[Article], index: EntityIndex) -> list[NamingChoice]:
    ids = {a.id for a in articles}
    choices: list[NamingChoice] = []
    for entity in index.entities:
        if entity.label not in {"PERSON", "PLACE", "ORG"}:
            continue
        spelled: dict[str, set[str]] = defaultdict(set)  # word -> articles
        for aid, forms in entity.variants.items():
            if aid not in ids:
                continue
            for form in forms:
                for word in _name_words(form):
                    spelled[word].add(aid)
        words = sorted(spelled, key=lambda w: (-len(spelled[w]), w))
        seen: set[str] = set()
        for word in words:
            if word in seen:
                continue
            family = [
                w
                for w in words
                if w not in seen
                and w[0].lower() == word[0].lower()
                and _key(w) != _key(word)
                and _key(w).rstrip("s") != _key(word).rstrip("s")  # "Ukraines" is a possessive
                and SequenceMatcher(None, _key(w), _key(word)).ratio() >= 0.75
            ]
            if not family:
                continue
            family = [word, *family]
            seen.update(family)
            users = {w: spelled[w] for w in family}
            spread = len(set().union(*users.values()))
            if spread < 2 or len({frozenset(u) for u in users.values()}) < 2:
                continue
            choices.append(
                NamingChoice(
                    entity.id, entity.name, {w: tuple(sorted(a for a in users[w])) for w in family}
                )
            )
    return choices


# --- per outlet ---------------------------------------------------------------------


def _informative(member: AlignedMember, analysis: ArticleAnalysis) -> float:
    ents = {m.text for m in analysis.mentions if m.sentence == member.sentence_index}
    quoted = 1.0 if re.search(r"[\"“”]", member.text) else 0.0
    return len(ents) + 2 * len(amounts(member.text)) + quoted + len(member.text.split()) / 20


def _lede(article: Article, analysis: ArticleAnalysis) -> str:
    junk = junk_sentences(article, analysis)
    for s in analysis.sentences:
        if s.index not in junk:
            return article.text[s.start : s.end]
    return ""


def build_framing(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
    alignment: Alignment,
) -> Framing:
    """The framing summary of one story (``alignment``: ``align_story`` on the same articles)."""
    all_quotes: list[Quote] = []
    outlets: list[OutletFraming] = []
    n = len(articles)
    people = known_people(entity_index, analyses)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        quotes = article_quotes(article, analysis, entity_index, people)
        all_quotes.extend(quotes)
        own = [m for m in alignment.unique if m.article_id == article.id]
        own.sort(key=lambda m: (-_informative(m, analysis), m.sentence_index))
        others = n - 1
        left_out = tuple(
            g
            for g in alignment.groups
            if article.id not in g.article_ids and others > 0 and len(g.members) * 2 >= others
        )
        outlets.append(
            OutletFraming(
                article.id,
                article.outlet,
                article.title,
                _lede(article, analysis),
                tuple(own),
                left_out,
                speaker_counts(quotes),
            )
        )
    disagreements = find_disagreements(articles, analyses, entity_index, alignment)
    return Framing(
        tuple(outlets),
        tuple(all_quotes),
        tuple(_number_disagreements(disagreements, analyses)),
        tuple(_naming(articles, entity_index)),
        alignment.unique,
        disagreements,
    )


# --- renderings ---------------------------------------------------------------------


def framing_export(framing: Framing) -> dict[str, Any]:
    """The export's ``framing`` section (see ``reader.export``)."""
    return {
        "outlets": [
            {
                "article_id": o.article_id,
                "outlet": o.outlet,
                "headline": o.headline,
                "lede": o.lede,
                "left_out": [g.id for g in o.left_out],
                "speakers": [
                    {
                        "speaker": s.speaker,
                        "entity_id": s.entity_id,
                        "quotes": s.quotes,
                        "words": s.words,
                    }
                    for s in o.speakers
                ],
            }
            for o in framing.outlets
        ],
        "quotes": [
            {
                "article_id": q.article_id,
                "speaker": q.speaker,
                "entity_id": q.entity_id,
                "text": q.text,
            }
            for q in framing.quotes
        ],
        "numbers": [
            {
                "what": d.what,
                "values": [
                    {
                        "article_id": v.article_id,
                        "value": v.value,
                        "text": v.text,
                        "sentence": v.sentence,
                    }
                    for v in d.values
                ],
            }
            for d in framing.numbers
        ],
        "naming": [
            {
                "entity": c.entity,
                "entity_id": c.entity_id,
                "variants": {k: list(v) for k, v in c.variants.items()},
            }
            for c in framing.naming
        ],
        "unique": [{"article_id": m.article_id, "sentence": m.text} for m in framing.unique],
        "disagreements": [
            {
                "kind": d.kind,
                "about": d.about,
                "values": [
                    {
                        "article_id": v.article_id,
                        "value": v.value,
                        "number": v.number,
                        "sentence": v.sentence,
                    }
                    for v in d.values
                ],
            }
            for d in framing.disagreements
        ],
    }


def _one_line(text: str) -> str:
    """Untrusted text (sentences, names) as inline Markdown showing exactly it (issue 17)."""
    from reader.sanitize import markdown_inline

    return markdown_inline(text)


_KIND_LABEL = {"number": "Number", "date": "Date", "fact": "Named fact"}


def framing_markdown(articles: Sequence[Article], alignment: Alignment, framing: Framing) -> str:
    """A Markdown report of a story's framing, for pasting into a note."""
    outlet = {a.id: _one_line(a.outlet) for a in articles}
    lines = ["# How the outlets tell it", ""]
    for o in framing.outlets:
        lines += [f"## {_one_line(o.outlet)}", "", f"**Headline:** {_one_line(o.headline)}", ""]
        if o.lede:
            lines += [f"**Lede:** {_one_line(o.lede)}", ""]
        if o.speakers:
            quoted = ", ".join(
                f"{_one_line(s.speaker)} ({s.quotes} quotes, {s.words} words)" for s in o.speakers
            )
            lines += [f"**Quotes:** {quoted}", ""]
        if o.unique:
            lines.append("**Only here:**")
            lines += [f"- {_one_line(m.text)}" for m in o.unique[:5]]
            lines.append("")
        if o.left_out:
            lines.append("**Left out (most others carry it):**")
            lines += [f"- {_one_line(g.members[0].text)}" for g in o.left_out]
            lines.append("")
    lines += ["## Shared claims", ""]
    for n, g in enumerate(alignment.groups, 1):
        lines.append(f"{n}. ({len(g.members)} outlets)")
        lines += [
            f"   - **{outlet.get(m.article_id, m.article_id)}:** {_one_line(m.text)}"
            for m in g.members
        ]
    lines.append("")
    if framing.disagreements:
        # Each with the sentence on every side: the reader checks, the report does not decide.
        lines += ["## Where the outlets disagree", ""]
        for d in framing.disagreements:
            lines.append(f"- **{_KIND_LABEL.get(d.kind, d.kind)}: {_one_line(d.about)}**")
            for v in d.values:
                name = outlet.get(v.article_id, v.article_id)
                lines.append(f"  - {name}: {_one_line(v.value)} — “{_one_line(v.sentence)}”")
        lines.append("")
    if framing.naming:
        lines += ["## Naming", ""]
        for c in framing.naming:
            spelled = "; ".join(
                f"{_one_line(word)}: {', '.join(outlet.get(a, a) for a in aids)}"
                for word, aids in c.variants.items()
            )
            lines.append(f"- **{_one_line(c.entity)}** — {spelled}")
        lines.append("")
    return "\n".join(lines)
