"""Framing: how each outlet tells a story that the others tell too.

Owns: ``build_framing`` (per outlet: headline, lede, what only it reports, what most
others carry that it leaves out, whom it quotes and how much; across outlets: quotes
with their speakers, numbers about one quantity that disagree, naming choices), and
its renderings ``framing_export`` and ``framing_markdown``. Must not: import spaCy
or Textual, align sentences itself (it reads an ``Alignment``), or link entities
itself (it reads an ``EntityIndex``).

Rules, each small and stated where it is applied:

- Lede: the first sentence that is not junk (``alignment.is_junk``) nor the title.
- Own reporting: the outlet's unaligned sentences, ranked by how much they state
  (entities, amounts, a quote, length), earlier first on ties.
- Left out: groups carried by at least half of the other articles but not this one.
- Quotes: sentences with quoted text (curly or straight double quotes, found per
  paragraph) outside junk. The speaker is, in order: a PERSON (else ORG) named next
  to an attribution verb outside the quotes ("X said", "said X", "X added:",
  "according to X", "X tweeted"); for "he said"/"she added" or a role ("the
  chancellor said") the nearest preceding PERSON in the paragraph or the previous
  ``RECENT_SENTENCES`` sentences; for "the statement read"/"the video said" the
  person of the nearest earlier sentence that speaks of that statement or video, else the nearest
  preceding PERSON; a quote with no attribution in its sentence takes the speaker
  of the nearest attributed sentence of its paragraph. Short quoted phrases (fewer
  than ``MIN_QUOTE_WORDS`` words) count only when attributed in their own sentence
  (scare quotes and names like "Unity Day" are not quotes).
- Numbers: amounts (``alignment.amounts``) that count something ("130,000 troops",
  "100,000 soldiers": the noun after the number, mapped by ``QUANTITY_NOUNS``) are
  compared across the story when within a factor of ``SAME_ORDER`` of each other;
  money is compared inside an aligned group, currency by currency. A quantity is
  reported when outlets state different values.
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
    Amount,
    amounts,
    junk_sentences,
    normalize_quotes,
    sentence_quotes,
)
from reader.analysis.entities import EntityIndex
from reader.analysis.vocabulary import NAME_PREFIX_WORDS, QUANTITY_NOUNS
from reader.models import Article, ArticleAnalysis, Mention

MIN_QUOTE_WORDS = 4
RECENT_SENTENCES = 3
SAME_ORDER = 2.0
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|added|adds|adding|told|tells|tweeted|wrote|writes|noted|stressed|"
    r"replied|warned|indicated|insisted|insisting|explained|declared|according to|read|"
    r"went on to say)\b",
    re.IGNORECASE,
)
_IN_DOCUMENT = re.compile(
    r"\bin an? (statement|video|tweet|declaration|letter|post|address)\b", re.I
)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_DOCUMENT = re.compile(r"\bthe (statement|video|tweet|declaration|letter|post|address)\b", re.I)
_ROLE = re.compile(
    r"\bthe (?:[\w-]+ )?(?:chancellor|president|minister|secretary-general|secretary|spokesman|"
    r"spokeswoman|spokesperson|official|ambassador|leader)\b",
    re.IGNORECASE,
)
SPEAKER_LABELS = {"PERSON", "ORG"}


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words in one sentence and who said them (as the outlet attributes them)."""

    article_id: str
    sentence_index: int
    speaker: str  # canonical entity name, or the text's own words when not linked
    entity_id: str | None
    text: str  # the quoted passages, joined with " … "
    words: int
    sentence: str


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    speaker: str
    entity_id: str | None
    quotes: int
    words: int


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


# --- quotes -------------------------------------------------------------------------


def _mask(text: str, spans: Sequence[tuple[int, int]], offset: int) -> str:
    chars = list(text)
    for a, b in spans:
        for k in range(max(a - offset - 1, 0), min(b - offset + 1, len(chars))):
            chars[k] = " "
    return "".join(chars)


def _name(index: EntityIndex, mention: Mention) -> tuple[str, str | None]:
    entity = index.entity_of(mention)
    return (entity.name, entity.id) if entity else (mention.text.strip("— "), None)


_ADJACENT_PRONOUN = re.compile(r"\b(?:he|she)\s*,?\s*(?:also\s+|later\s+|then\s+)?$", re.I)
_AFTER_PRONOUN = re.compile(r"\s*(?:he|she)\b", re.I)
_ADJACENT_DOCUMENT = re.compile(
    r"\bthe (statement|video|tweet|declaration|letter|post|address)\s*,?\s*$", re.I
)
_ADJACENT_ROLE = re.compile(
    r"\bthe (?:[\w-]+ ){0,2}(?:chancellor|president|minister|secretary-general|secretary|"
    r"spokesman|spokeswoman|spokesperson|official|ambassador|leader)\s*,?\s*$",
    re.I,
)
_NAME_BEFORE = re.compile(r"([A-Z][\w'’-]+)\s*,?\s*(?:also\s+|later\s+)?$")
_NAME_AFTER = re.compile(r"\s*((?:[A-Z][\w'’.-]+\s)*[A-Z][\w'’-]+)")


def _surnames(index: EntityIndex) -> dict[str, tuple[str, str]]:
    """Last words of people's names and surface forms -> (name, entity id)."""
    found: dict[str, tuple[str, str]] = {}
    for entity in index.entities:
        if entity.label != "PERSON":
            continue
        forms = [entity.name, *(f for fs in entity.variants.values() for f in fs)]
        for form in forms:
            words = _name_words(form)
            if words:
                found.setdefault(words[-1], (entity.name, entity.id))
    return found


def _surname(
    match: re.Match[str], surnames: Mapping[str, tuple[str, str]]
) -> tuple[str, str] | None:
    last = _name_words(match.group(1).split()[-1])
    return surnames.get(last[-1]) if last else None


def _label(index: EntityIndex, mention: Mention) -> str:
    entity = index.entity_of(mention)
    return entity.label if entity else mention.label


def _attributed(
    masked: str,
    start: int,
    mentions: Sequence[Mention],
    index: EntityIndex,
    surnames: Mapping[str, tuple[str, str]],
) -> tuple[tuple[str, str | None] | None, str | None]:
    """The speaker named next to an attribution verb, or the kind of stand-in
    ("pronoun", "document:<noun>", "role") when the sentence gives one there."""
    verbs = list(_ATTRIBUTION.finditer(masked))
    if not verbs:
        return None, None
    # 1. Whatever stands right next to the verb: "he said", "said Blinken", "the
    #    statement read", "the chancellor said", "Price told".
    for verb in verbs:
        before = masked[max(verb.start() - 80, 0) : verb.start()]
        after = masked[verb.end() : verb.end() + 60]
        if (match := _NAME_BEFORE.search(before)) and (who := _surname(match, surnames)):
            return who, None
        if _ADJACENT_PRONOUN.search(before):
            return None, "pronoun"
        if doc := _ADJACENT_DOCUMENT.search(before):
            return None, f"document:{doc.group(1).lower()}"
        if _ADJACENT_ROLE.search(before):
            return None, "role"
        if (match := _NAME_AFTER.match(after)) and (who := _surname(match, surnames)):
            return who, None
        if _AFTER_PRONOUN.match(after):
            return None, "pronoun"
    # 2. The nearest PERSON (else ORG) mention within a clause of a verb.
    outside = [m for m in mentions if masked[m.start - start : m.end - start].strip()]
    best: tuple[float, Mention] | None = None
    for verb in verbs:
        for m in outside:
            label = _label(index, m)
            if label not in SPEAKER_LABELS:
                continue
            a, b = m.start - start, m.end - start
            gap = verb.start() - b if b <= verb.start() else a - verb.end()
            if gap < 0 or gap > 60:
                continue
            between = masked[min(b, verb.end()) : max(a, verb.start())]
            if re.search(r"[.;]", between):
                continue
            weight = gap + (0 if label == "PERSON" else 25)
            if best is None or weight < best[0]:
                best = (weight, m)
    if best:
        return _name(index, best[1]), None
    # 3. A stand-in somewhere near a verb.
    for verb in verbs:
        near = masked[max(verb.start() - 40, 0) : verb.end() + 20]
        if doc := _DOCUMENT.search(near):
            return None, f"document:{doc.group(1).lower()}"
        if _ROLE.search(near):
            return None, "role"
        if _PRONOUN.search(near):
            return None, "pronoun"
    return None, None


def _quotes_of(
    article: Article,
    analysis: ArticleAnalysis,
    index: EntityIndex,
    surnames: Mapping[str, tuple[str, str]],
) -> list[Quote]:
    junk = junk_sentences(article, analysis)
    quotes_at = sentence_quotes(article, analysis)
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in analysis.mentions:
        by_sentence[m.sentence].append(m)
    last_person: tuple[int, int, str, str | None] | None = None  # paragraph, sentence, name, id
    documents: dict[str, tuple[str, str | None]] = {}
    resolved: dict[int, tuple[str, str | None]] = {}
    explicit: set[int] = set()
    pending: list[int] = []
    for s in analysis.sentences:
        text = article.text[s.start : s.end]
        spans = quotes_at.get(s.index, [])
        masked = _mask(text, spans, s.start)
        mentions = by_sentence.get(s.index, [])
        speaker: tuple[str, str | None] | None = None
        if spans and s.index not in junk:
            named, stand_in = _attributed(masked, s.start, mentions, index, surnames)
            recent = (
                last_person
                if last_person
                and (last_person[0] == s.paragraph or s.index - last_person[1] <= RECENT_SENTENCES)
                else None
            )
            if named is not None:
                speaker = named
            elif stand_in and stand_in.startswith("document:"):
                speaker = documents.get(stand_in) or (recent[2:] if recent else None)
            elif stand_in in ("pronoun", "role") and recent:
                speaker = (recent[2], recent[3])
            if speaker:
                resolved[s.index] = speaker
                explicit.add(s.index)
            else:
                pending.append(s.index)
                if last_person and last_person[0] == s.paragraph:
                    # The quote goes on in the same paragraph: its speaker stays recent.
                    last_person = (s.paragraph, s.index, last_person[2], last_person[3])
        # Remember the last person named outside quotes (or the speaker just found).
        persons = [
            m
            for m in mentions
            if _label(index, m) == "PERSON" and masked[m.start - s.start : m.end - s.start].strip()
        ]
        if speaker:
            last_person = (s.paragraph, s.index, *speaker)
        elif persons:
            # The first person named is usually the sentence's subject.
            last_person = (s.paragraph, s.index, *_name(index, persons[0]))
        for doc in _DOCUMENT.finditer(masked):
            if last_person:
                documents[f"document:{doc.group(1).lower()}"] = (last_person[2], last_person[3])
        for doc in _IN_DOCUMENT.finditer(masked):
            if last_person:
                documents[f"document:{doc.group(1).lower()}"] = (last_person[2], last_person[3])
    # Unattributed quotes take the speaker of the nearest attributed sentence of their paragraph.
    for i in pending:
        para = analysis.sentences[i].paragraph
        same = [k for k in explicit if analysis.sentences[k].paragraph == para]
        if same:
            k = min(same, key=lambda k: (abs(k - i), k < i))
            resolved[i] = resolved[k]
    quotes: list[Quote] = []
    for i in sorted(resolved):
        s = analysis.sentences[i]
        quoted = [article.text[a:b].strip(" ,.\u00a0") for a, b in quotes_at[i]]
        quoted = [q for q in quoted if q]
        n_words = sum(len(q.split()) for q in quoted)
        if not quoted or (n_words < MIN_QUOTE_WORDS and i not in explicit):
            continue
        name, eid = resolved[i]
        quotes.append(
            Quote(
                article.id, i, name, eid, " … ".join(quoted), n_words, article.text[s.start : s.end]
            )
        )
    return quotes


def _speakers(quotes: Sequence[Quote]) -> tuple[SpeakerCount, ...]:
    counts: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for q in quotes:
        c = counts[(q.speaker, q.entity_id)]
        c[0] += 1
        c[1] += q.words
    ordered = sorted(counts.items(), key=lambda item: (-item[1][1], -item[1][0], item[0][0]))
    return tuple(SpeakerCount(name, eid, n, w) for (name, eid), (n, w) in ordered)


# --- numbers ------------------------------------------------------------------------


def _counted(text: str, amount: Amount) -> str | None:
    """The quantity an amount counts: the noun within three words after it."""
    after = normalize_quotes(text[amount.end : amount.end + 60]).lower()
    words = re.findall(r"[a-z][a-z-]*", after)[:3]
    for n, word in enumerate(words):
        pair = " ".join(words[n : n + 2])
        if pair in QUANTITY_NOUNS:
            return QUANTITY_NOUNS[pair]
        if word in QUANTITY_NOUNS:
            return QUANTITY_NOUNS[word]
    return None


def _value(article: Article, analysis: ArticleAnalysis, index: int, amount: Amount) -> NumberValue:
    s = analysis.sentences[index]
    sentence = article.text[s.start : s.end]
    return NumberValue(article.id, amount.value, amount.text, index, sentence)


def _number_disagreements(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    alignment: Alignment,
) -> list[NumberDisagreement]:
    by_id = {a.id: a for a in articles}
    counted: dict[str, list[NumberValue]] = defaultdict(list)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        junk = junk_sentences(article, analysis)
        for s in analysis.sentences:
            if s.index in junk:
                continue
            text = article.text[s.start : s.end]
            for amount in amounts(text):
                what = _counted(text, amount) if amount.currency is None else None
                if what:
                    counted[what].append(_value(article, analysis, s.index, amount))
    found: list[NumberDisagreement] = []
    for what, values in counted.items():
        for cluster in _same_order(values):
            if len({v.value for v in cluster}) > 1 and len({v.article_id for v in cluster}) > 1:
                found.append(NumberDisagreement(what, tuple(cluster)))
    for group in alignment.groups:
        money: dict[str, list[NumberValue]] = defaultdict(list)
        for m in group.members:
            article = by_id.get(m.article_id)
            if article is None or m.article_id not in analyses:
                continue
            for amount in amounts(m.text):
                if amount.currency:
                    money[amount.currency].append(
                        _value(article, analyses[m.article_id], m.sentence_index, amount)
                    )
        for currency, values in money.items():
            if len({v.value for v in values}) > 1 and len({v.article_id for v in values}) > 1:
                found.append(NumberDisagreement(f"money ({currency})", tuple(values)))
    return found


def _same_order(values: Sequence[NumberValue]) -> list[list[NumberValue]]:
    """Values chained together while each is within ``SAME_ORDER`` of the previous."""
    ordered = sorted(values, key=lambda v: v.value)
    clusters: list[list[NumberValue]] = []
    for v in ordered:
        if clusters and v.value <= clusters[-1][-1].value * SAME_ORDER:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    return clusters


# --- naming -------------------------------------------------------------------------


def _name_words(form: str) -> list[str]:
    form = normalize_quotes(form).strip("—– ")
    form = re.sub(r"'s?$", "", form)
    return [
        w
        for w in form.split()
        if not w.startswith("@") and w.lower().strip(".") not in NAME_PREFIX_WORDS and w[:1].isupper()
    ]


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
    surnames = _surnames(entity_index)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        quotes = _quotes_of(article, analysis, entity_index, surnames)
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
                _speakers(quotes),
            )
        )
    return Framing(
        tuple(outlets),
        tuple(all_quotes),
        tuple(_number_disagreements(articles, analyses, alignment)),
        tuple(_naming(articles, entity_index)),
        alignment.unique,
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
    }


def _one_line(text: str) -> str:
    """Untrusted text (sentences, names) as inline Markdown showing exactly it (issue 17)."""
    from reader.sanitize import markdown_inline

    return markdown_inline(text)


def _value_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


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
    if framing.numbers:
        lines += ["## Numbers that disagree", ""]
        for d in framing.numbers:
            lines.append(f"- **{_one_line(d.what)}**")
            for v in d.values:
                name = outlet.get(v.article_id, v.article_id)
                lines.append(f"  - {name}: {_value_text(v.value)} — “{_one_line(v.sentence)}”")
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
