"""Framing: how each outlet tells a story that the others tell too.

Owns: ``build_framing`` (per outlet: headline, lede, what only it reports, what most
others carry that it leaves out, whom it quotes and how much; across outlets: quotes
with their speakers, numbers, dates and facts that disagree, naming choices), and
its renderings ``framing_export`` and ``framing_markdown``. Must not: import spaCy
or Textual, align sentences itself (it reads an ``Alignment``), or link entities
itself (it reads an ``EntityIndex``).

Rules, each small and stated where it is applied:

- Outlets: an outlet's several articles in a story (versions, a follow-up) are one
  outlet (``OutletFraming.article_ids``, shown as "DW · 2 articles"): counted once,
  never compared with each other.
- Lede: the first sentence that is not boilerplate (``boilerplate.is_junk``).
- Own reporting ("only here"): the outlet's sentences that ``align_story`` found in
  no group and echoed by no other outlet (``Alignment.unique``), each once, that
  state something (not questions) and that no other outlet's sentence comes near
  (``Alignment.nearest`` under ``NEAR_FLOOR``), ranked by how much they state
  (entities, amounts, a quote, length), earlier first on ties. The others are "perhaps
  only here" (``maybe_unique``), each shown with the closest sentence of another
  outlet: the analysis is unsure, so the reader gets the evidence, not a verdict.
- Left out: groups carried by at least half of the other outlets but by no article
  of this outlet, echoed by none of its sentences (``Alignment.echoes``), and that
  none of its sentences comes near (``Alignment.reach``: no pair with a member at
  ``PAIR_FLOOR`` or more, the pairs alignment finds worth comparing); the groups one
  of its sentences comes near are "perhaps left out" (``maybe_left_out``), each with
  that sentence, so the reader judges. An echo
  of one member may be of what that member says besides the group's claim (a sentence
  with two claims); the rule then says less (no "left out"), never something false.
- Quotes: ``reader.analysis.quotes`` finds them and their speakers (the subject of the
  reporting verb; see its module doc); framing counts them per outlet.
- Disagreements: ``reader.analysis.disagreements`` finds the numbers, dates and named
  facts that outlets state differently (``Framing.disagreements``, with the sentence on
  each side); ``Framing.numbers`` is its number part, in the shape it always had.
- Naming: an entity's surface forms per article, without possessives, titles and
  handles, split into words; spellings of one word that differ across outlets
  ("Kyiv"/"Kiev", "Zelensky"/"Zelenskiy"/"Zelenskyy") are reported.

Why one module of ~550 lines: the per-outlet summary and its two renderings (the export
and the Markdown report) read the same fields; split, one change of a field would touch
three files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from reader.analysis.alignment import (
    NEAR_FLOOR,
    PAIR_FLOOR,
    AlignedGroup,
    AlignedMember,
    Alignment,
    amounts,
    junk_sentences,
    normalize_quotes,
    outlet_key,
    words,
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
from reader.wording import count


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
    """One outlet of a story: all its articles (its versions) taken together.

    ``article_id``, ``headline`` and ``lede`` are its first article's; ``unique`` and
    ``left_out`` count every article of the outlet."""

    article_id: str
    outlet: str
    headline: str
    lede: str
    unique: tuple[AlignedMember, ...]  # sure to be its own, most informative first
    left_out: tuple[AlignedGroup, ...]  # carried by most others, by no version of this outlet
    speakers: tuple[SpeakerCount, ...]  # most quoted first
    article_ids: tuple[str, ...] = ()  # every article of the outlet in the story, in order
    maybe_unique: tuple[tuple[AlignedMember, AlignedMember], ...] = ()
    """Sentences that may be the outlet's own, each with the closest sentence of another
    outlet (perhaps the same claim in other words): shown with that evidence, never as fact."""
    maybe_left_out: tuple[tuple[AlignedGroup, AlignedMember], ...] = ()
    """Claims most others carry that the outlet may state in other words: each group with
    the outlet's sentence closest to it (the evidence), never told as "left out"."""

    @property
    def label(self) -> str:
        """The outlet as a reader sees it: "DW", or "DW · 2 articles" for versions."""
        n = len(self.article_ids)
        return f"{self.outlet} · {n} articles" if n > 1 else self.outlet


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


def _outlets(articles: Sequence[Article]) -> list[list[Article]]:
    """The story's articles by outlet (an outlet's versions together), in order of
    each outlet's first article."""
    by_outlet: dict[str, list[Article]] = {}
    for article in articles:
        by_outlet.setdefault(outlet_key(article), []).append(article)
    return list(by_outlet.values())


def _carried(alignment: Alignment) -> dict[tuple[str, int], set[str]]:
    """For each sentence, the outlets (keys) whose sentences echo it (``Alignment.echoes``)."""
    outlet_of = alignment.outlet_of
    carried: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a, b in alignment.echoes:
        carried[(a.article_id, a.sentence_index)].add(outlet_of.get(b.article_id, b.article_id))
        carried[(b.article_id, b.sentence_index)].add(outlet_of.get(a.article_id, a.article_id))
    return carried


def _question(text: str) -> bool:
    """A question asks rather than states ("Was it a misjudgement to ...?"), unless the
    question is inside a quote someone is reported to have asked."""
    clean = normalize_quotes(text).strip()
    return clean.endswith("?") and not clean.endswith(('?"', "?'"))


def _own(
    members: Sequence[AlignedMember], analyses: Mapping[str, ArticleAnalysis], alignment: Alignment
) -> tuple[tuple[AlignedMember, ...], tuple[tuple[AlignedMember, AlignedMember], ...]]:
    """An outlet's unique sentences that state something (questions ask), each once
    (its versions repeat sentences), split by how sure the analysis is:

    - sure ("only here"): no other outlet's sentence comes near (``Alignment.nearest``
      under ``NEAR_FLOOR``), ranked by how much they state;
    - unsure ("perhaps only here"): another outlet has a sentence near enough to be the
      same claim in other words; each comes with that sentence, the evidence a reader
      needs to judge (``Alignment.closest``), closest last."""
    seen: set[str] = set()
    kept = []
    for m in members:
        key = " ".join(words(m.text))
        if key in seen or _question(m.text):
            continue
        seen.add(key)
        kept.append(m)
    order = {aid: n for n, aid in enumerate(dict.fromkeys(m.article_id for m in kept))}

    def near(m: AlignedMember) -> float:
        return alignment.nearest.get((m.article_id, m.sentence_index), 0.0)

    sure = [m for m in kept if near(m) < NEAR_FLOOR]
    sure.sort(
        key=lambda m: (
            -_informative(m, analyses[m.article_id]),
            order[m.article_id],
            m.sentence_index,
        )
    )
    unsure = [m for m in kept if near(m) >= NEAR_FLOOR]
    unsure.sort(key=lambda m: (near(m), order[m.article_id], m.sentence_index))
    return tuple(sure), tuple(
        (m, alignment.closest[(m.article_id, m.sentence_index)])
        for m in unsure
        if (m.article_id, m.sentence_index) in alignment.closest
    )


def _comes_near(reached: tuple[float, AlignedMember] | None) -> bool:
    """Whether an outlet's closest sentence to a group (``Alignment.reach``) scores at
    least ``PAIR_FLOOR``: a pair alignment finds worth comparing, so the outlet may state
    the claim in other words ("left out" is then unsure). ``reach`` holds only such
    sentences; the test stays for alignments built otherwise."""
    return reached is not None and reached[0] >= PAIR_FLOOR


def build_framing(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
    alignment: Alignment,
) -> Framing:
    """The framing summary of one story (``alignment``: ``align_story`` on the same articles).

    An outlet's several articles (versions, a follow-up) are one outlet: counted once,
    never compared with each other, and "left out" only of what none of them carries."""
    all_quotes: list[Quote] = []
    outlets: list[OutletFraming] = []
    people = known_people(entity_index, analyses)
    by_outlet = [[a for a in group if a.id in analyses] for group in _outlets(articles)]
    by_outlet = [group for group in by_outlet if group]
    others = len(by_outlet) - 1
    outlet_of = {a.id: outlet_key(a) for a in articles}
    carried = _carried(alignment)
    for group in by_outlet:
        first = group[0]
        ids = tuple(a.id for a in group)
        key = outlet_key(first)
        quotes = [q for a in group for q in article_quotes(a, analyses[a.id], entity_index, people)]
        all_quotes.extend(quotes)
        own, maybe = _own([m for m in alignment.unique if m.article_id in ids], analyses, alignment)
        lacking = [
            g
            for g in alignment.groups
            if others > 0
            and not any(outlet_of.get(m.article_id) == key for m in g.members)
            and len({outlet_of.get(m.article_id) for m in g.members}) * 2 >= others
            and not any(key in carried.get((m.article_id, m.sentence_index), ()) for m in g.members)
        ]
        # Sure only when none of the outlet's sentences comes near a member; otherwise
        # it may say the same in other words: shown with its closest sentence.
        near = {g.id: alignment.reach.get((g.id, key)) for g in lacking}
        left_out = tuple(g for g in lacking if not _comes_near(near[g.id]))
        maybe_left_out = tuple(
            (g, near_sentence[1])
            for g in lacking
            if (near_sentence := near[g.id]) is not None and _comes_near(near_sentence)
        )
        outlets.append(
            OutletFraming(
                first.id,
                first.outlet,
                first.title,
                _lede(first, analyses[first.id]),
                own,
                left_out,
                speaker_counts(quotes),
                ids,
                maybe,
                maybe_left_out,
            )
        )
    disagreements = find_disagreements(articles, analyses, entity_index, alignment)
    return Framing(
        tuple(outlets),
        tuple(all_quotes),
        tuple(_number_disagreements(disagreements, analyses)),
        tuple(_naming(articles, entity_index)),
        tuple(m for o in outlets for m in sorted(o.unique, key=lambda m: m.sentence_index)),
        disagreements,
    )


# --- renderings ---------------------------------------------------------------------


def framing_export(framing: Framing) -> dict[str, Any]:
    """The export's ``framing`` section (see ``reader.export``)."""
    return {
        "outlets": [
            {
                "article_id": o.article_id,
                "article_ids": list(o.article_ids or (o.article_id,)),
                "outlet": o.outlet,
                "headline": o.headline,
                "lede": o.lede,
                "left_out": [g.id for g in o.left_out],
                "maybe_left_out": [
                    {
                        "group_id": g.id,
                        "closest": {"article_id": c.article_id, "sentence": c.text},
                    }
                    for g, c in o.maybe_left_out
                ],
                "maybe_unique": [
                    {
                        "sentence": m.text,
                        "article_id": m.article_id,
                        "closest": {"article_id": c.article_id, "sentence": c.text},
                    }
                    for m, c in o.maybe_unique
                ],
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
        lines += [f"## {_one_line(o.label)}", "", f"**Headline:** {_one_line(o.headline)}", ""]
        if o.lede:
            lines += [f"**Lede:** {_one_line(o.lede)}", ""]
        if o.speakers:
            quoted = ", ".join(
                f"{_one_line(s.speaker)} ({count(s.quotes, 'quote')}, {count(s.words, 'word')})"
                for s in o.speakers
            )
            lines += [f"**Quotes:** {quoted}", ""]
        if o.unique:
            lines.append("**Only here:**")
            lines += [f"- {_one_line(m.text)}" for m in o.unique[:5]]
            lines.append("")
        if o.maybe_unique:
            lines.append("**Perhaps only here (another outlet has a similar sentence):**")
            for m, c in o.maybe_unique[:5]:
                other = outlet.get(c.article_id, c.article_id)
                lines.append(f"- {_one_line(m.text)} — closest, {other}: “{_one_line(c.text)}”")
            lines.append("")
        if o.left_out:
            lines.append("**Left out (most others carry it):**")
            for g in o.left_out:
                carriers = ", ".join(
                    dict.fromkeys(outlet.get(m.article_id, m.article_id) for m in g.members)
                )
                lines.append(f"- {_one_line(g.members[0].text)} ({carriers})")
            lines.append("")
        if o.maybe_left_out:
            lines.append("**Perhaps left out (most others carry it; a sentence here is similar):**")
            for g, c in o.maybe_left_out[:5]:
                carriers = ", ".join(
                    dict.fromkeys(outlet.get(m.article_id, m.article_id) for m in g.members)
                )
                lines.append(
                    f"- {_one_line(g.members[0].text)} ({carriers}) — closest here: "
                    f"“{_one_line(c.text)}”"
                )
            lines.append("")
    lines += ["## Shared claims", ""]
    outlet_of = {a.id: outlet_key(a) for a in articles}
    for n, g in enumerate(alignment.groups, 1):
        # Outlets, not sentences: an outlet's several articles count once.
        carried_by = len({outlet_of.get(m.article_id, m.article_id) for m in g.members})
        loose = ", ≈ matched loosely: they may say different things" if g.loose else ""
        lines.append(f"{n}. ({count(carried_by, 'outlet')}{loose})")
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
        for choice in framing.naming:
            spelled = "; ".join(
                f"{_one_line(word)}: {', '.join(outlet.get(a, a) for a in aids)}"
                for word, aids in choice.variants.items()
            )
            lines.append(f"- **{_one_line(choice.entity)}** — {spelled}")
        lines.append("")
    return "\n".join(lines)
