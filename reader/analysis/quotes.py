"""Quotes and who said them, read from the attribution itself.

Owns: ``article_quotes`` (every quoted passage of an article outside junk, with the
speaker the article attributes it to), ``speaker_counts``, ``people_by_surname`` and
``name_words`` (an entity's name as words, without titles, possessives and handles,
shared with framing's naming). Must not: import spaCy or Textual (it reads the cached
``ArticleAnalysis``: sentences and entity mentions, linked by the ``EntityIndex``), or
decide anything about other outlets (framing compares; this module reads one article).

The rule works on each quoted sentence with its quotation marks blanked out (what is
inside a quote never names the speaker), sentence by sentence in text order:

1. **Reporting verbs**: said, says, told, tweeted, wrote, added, according to, ... (``_VERB``).
2. **The subject of the verb**: the clause before the verb (from the sentence start, a
   closing quote, a semicolon or colon, or "and"/"but"/"while") is read for, in order:
   the *first* person named there that is not a possessor ("Swift's rep") nor after a
   preposition ("a remark made by Johnson", "via USA Today") -- the first, not the
   nearest, so an apposition ("Prince Andrew, ... brother of ..., Charles, told";
   "Jack Buser, director for games at Google, tells") leaves the subject in place and
   "NASA's Steve Clarke" is Steve Clarke; then, nearest the verb, a pronoun ("he
   said"), a document ("the statement read"), a role ("the chancellor said", "a Downing
   Street spokesman said"); then an organisation that is itself the subject ("the Swedish
   Prosecution Authority said"). A clause with no subject ("... and added") takes the
   subject of the sentence's previous verb.
3. **Inverted attribution**: when nothing stands before the verb (it follows a quote),
   a name right after it is the speaker ("said Guterres, who ...", "says Ward."); a
   name after "told" is the one told, never the speaker, and so is a name after "said
   that" ("said that Rudolph ...": the target).
4. **"According to X"**: X is the source (a person first, else an organisation).
5. **Stand-ins**: "he"/"she" is the person named before it in the sentence, else the
   subject of the most recent sentence that had one (within the paragraph or
   ``RECENT_SENTENCES``; people are also found by their surname when the model missed
   the name: "Buser, however, is counting ..."). A definite role ("the chancellor",
   "the UN secretary-general") is that recent person too. An indefinite one ("a
   Downing Street spokesman", "one legal expert") is someone new and unnamed: the
   organisation in the phrase if there is one, else no speaker. "X's office / rep /
   spokesman" speaks for X. "The statement read" is whoever issued the statement: the
   subject of the sentence that introduced it ("Blinken, in a statement, said"), and no
   one when that was not a named person or organisation ("The company ... in a
   statement" gives no speaker, never the person the statement is about).
6. A quoted sentence with no attribution of its own takes the speaker of the nearest
   attributed sentence of its paragraph; a paragraph that is all quotation, right after
   a paragraph ending in an attributed quote, goes on with that speaker (the run-on
   quote paragraph of news prose). Short quoted phrases (fewer than
   ``MIN_QUOTE_WORDS`` words) count only when attributed in their own sentence.

When none of this finds a speaker, the quote has none and is not listed: a quote
without a speaker is better than a quote with the wrong one.

Why one module of ~580 lines: finding the quoted passage, its attribution verb, the
subject of that verb and what "he said" refers to are one reading of a paragraph; each
rule's precedence depends on the others.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reader.analysis.alignment import junk_sentences, normalize_quotes, sentence_quotes
from reader.analysis.entities import EntityIndex
from reader.analysis.vocabulary import ENGLISH_STOP_WORDS, NAME_PREFIX_WORDS
from reader.models import Article, ArticleAnalysis, Mention

MIN_QUOTE_WORDS = 4
RECENT_SENTENCES = 3

Speaker = tuple[str, "str | None"]  # (name, entity id)

_VERB = re.compile(
    r"\b(?:said|says|say|added|adds|adding|told|tells|tweeted|tweets|wrote|writes|noted|"
    r"stressed|replied|warned|indicated|insisted|insisting|explained|declared|"
    r"according to|read|reads|went on to say|testified|asked)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:and|but|while|whereas)\b", re.IGNORECASE)
_PREPOSITIONS = frozenset(
    "of to with by for about against from on at in via over toward towards between into "
    "after before like than".split()
)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_DOCUMENT_NOUNS = "statement|video|tweet|declaration|letter|post|address|release|report"
_DOCUMENT = re.compile(rf"\bthe ({_DOCUMENT_NOUNS})\b", re.IGNORECASE)
_INTRODUCES_DOCUMENT = re.compile(
    rf"\b(?:in |issued |released |posted )?an? ({_DOCUMENT_NOUNS})\b", re.I
)
_ROLE_NOUNS = (
    r"chancellor|president|minister|secretary-general|secretary|spokesman|spokeswoman|"
    r"spokesperson|official|ambassador|leader|envoy|commander|director|chief|expert|source|"
    r"insider|lawyer|attorney|aide|adviser|advisor|representative|rep|analyst|executive|"
    r"prosecutor|officer"
)
_DEFINITE_ROLE = re.compile(
    rf"\bthe (?:[\w.-]+ ){{0,3}}?(?:{_ROLE_NOUNS})\b(?![-\w])", re.IGNORECASE
)
_INDEFINITE_ROLE = re.compile(
    rf"\b(?:an?|one|another) (?:[\w.'’-]+ ){{0,4}}?(?:{_ROLE_NOUNS})s?\b(?![-\w])", re.IGNORECASE
)
_ROLE_NOUN = re.compile(rf"\b(?:{_ROLE_NOUNS})\b(?!.*\b(?:{_ROLE_NOUNS})\b)", re.IGNORECASE)
"""The last role noun of a phrase ("the UN secretary-general" -> "secretary-general")."""
_TITLED_NAME = re.compile(rf"\b((?:{_ROLE_NOUNS}))\s+(?=[A-Z])", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"(?:^|[,;:]\s*)(?:he|she)\b", re.IGNORECASE)
_SPOKESPERSON_OF = re.compile(
    r"['’]s? (?:office|rep|representative|spokesman|spokeswoman|spokesperson|camp|team)\b",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")
_RELATIVE_WHO = re.compile(r",\s*who\s+(?:[a-z]+ly\s+|also\s+|later\s+)?$")
_ADJACENT = re.compile(
    r"[\s,]*(?:(?:has|have|had|also|later|then|still|again|once|on \w+day|in a \w+|"
    r"\w+ly)[\s,]*)*\s*",
    re.IGNORECASE,
)
"""What may stand between an organisation subject and its verb."""
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)[ \u00a0]+$")
"""The word right before, with only spaces between (a comma ends a phrase)."""
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
_INVERTED_REACH = 50
_NOT_INVERTED = re.compile(r"\bthat\b|[.;:]|\b(?:to|with|about|of)\b", re.IGNORECASE)
"""After the verb, a name behind these is reported content or an object, not the speaker."""


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


# --- names ----------------------------------------------------------------------------


def name_words(form: str) -> list[str]:
    """A name's words without possessive, titles ("President", "Mr") and handles."""
    form = normalize_quotes(form).strip("—– ")
    form = re.sub(r"'s?$", "", form)
    return [
        w
        for w in form.split()
        if not w.startswith("@")
        and w.lower().strip(".") not in NAME_PREFIX_WORDS
        and w[:1].isupper()
    ]


@dataclass(frozen=True, slots=True)
class People:
    """Who counts as a person when reading attributions."""

    ids: frozenset[str]  # entity ids
    by_surname: Mapping[str, Speaker]


def known_people(
    index: EntityIndex, analyses: Mapping[str, ArticleAnalysis] | None = None
) -> People:
    """The story's people: entities labelled PERSON, and those the model tagged PERSON in
    at least one mention (a name the consensus filed as an organisation, "Kurt Volker" /
    "Volker", still says something as a person), with their surnames."""
    ids = {e.id for e in index.entities if e.label == "PERSON"}
    for analysis in (analyses or {}).values():
        for m in analysis.mentions:
            if m.label == "PERSON" and (entity := index.entity_of(m)) and entity.label == "ORG":
                ids.add(entity.id)
    return People(frozenset(ids), people_by_surname(index, ids))


def people_by_surname(
    index: EntityIndex, ids: frozenset[str] | set[str] | None = None
) -> dict[str, Speaker]:
    """Last words of people's names and surface forms -> (name, entity id)."""
    found: dict[str, Speaker] = {}
    for entity in index.entities:
        if entity.id not in ids if ids is not None else entity.label != "PERSON":
            continue
        forms = [entity.name, *(f for fs in entity.variants.values() for f in fs)]
        for form in forms:
            words = name_words(form)
            if words and words[-1].lower() not in ENGLISH_STOP_WORDS:
                found.setdefault(words[-1], (entity.name, entity.id))
    return found


# --- one sentence ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # offsets in the sentence
    end: int
    kind: str  # "person", "org"
    who: Speaker


@dataclass(frozen=True, slots=True)
class _Found:
    """What an attribution names: a speaker, or a stand-in to resolve."""

    speaker: Speaker | None = None
    stand_in: str | None = None  # "pronoun", "role", "document:<noun>", "unnamed"


def _mask(text: str, spans: Sequence[tuple[int, int]], offset: int) -> str:
    chars = list(text)
    for a, b in spans:
        for k in range(max(a - offset - 1, 0), min(b - offset + 1, len(chars))):
            chars[k] = " "
    return "".join(chars)


def _candidates(
    masked: str,
    start: int,
    mentions: Sequence[Mention],
    index: EntityIndex,
    people: People,
) -> list[_Candidate]:
    """People and organisations named outside the quotes, in text order. Only linked
    entities count (a mention the linker dropped, "Russian de-escalation", is no one)."""
    found: list[_Candidate] = []
    for m in mentions:
        a, b = m.start - start, m.end - start
        entity = index.entity_of(m)
        if entity is None or a < 0 or b > len(masked) or not masked[a:b].strip():
            continue
        if entity.id in people.ids:
            found.append(_Candidate(a, b, "person", (entity.name, entity.id)))
        elif entity.label == "ORG":
            found.append(_Candidate(a, b, "org", (entity.name, entity.id)))
    # Surnames the model did not tag here ("Buser, however, ...").
    for a, b, who in surname_hits(masked, people):
        if not any(c.start <= a < c.end for c in found):
            found.append(_Candidate(a, b, "person", who))
    found.sort(key=lambda c: c.start)
    return found


def surname_hits(text: str, people: People) -> list[tuple[int, int, Speaker]]:
    """Known people's surnames standing alone in ``text`` ("Buser, however, is counting"):
    a capitalised word that is a person's last name and does not follow another
    capitalised word ("Capitol Hill" is not Fiona Hill)."""
    hits = []
    for word in _CAPITALISED.finditer(text):
        w = word.group()
        who = people.by_surname.get(w[:-2] if w.endswith(("'s", "’s")) else w)
        if who is None:
            continue
        before = _WORD_BEFORE.search(text[: word.start()])
        if before and before.group(1)[:1].isupper():
            continue
        hits.append((word.start(), word.end(), who))
    return hits


def _possessor(masked: str, c: _Candidate) -> bool:
    return bool(_POSSESSIVE_AFTER.match(masked[c.end :])) or masked[c.start : c.end].endswith(
        ("'s", "’s")
    )


def _after_preposition(masked: str, c: _Candidate) -> bool:
    """Whether the name is governed by a preposition ("with President Volodymyr Zelensky",
    "made by Johnson", "via USA Today"): the object of a phrase, not a subject."""
    head = masked[: c.start]
    while before := _WORD_BEFORE.search(head):
        word = before.group(1)
        rest = head[: before.start()]
        title_of = word in ("of", "the") and bool(re.search(r"[A-Z][\w-]*[ \u00a0]+$", rest))
        if not (word[:1].isupper() or title_of):  # "Secretary of State Antony Blinken"
            break
        head = rest
    return before is not None and before.group(1).lower() in _PREPOSITIONS


def _subject(region: str, offset: int, candidates: Sequence[_Candidate]) -> _Found | None:
    """The subject named in ``region`` (the clause before a verb, starting at ``offset``)."""
    inside = [c for c in candidates if offset <= c.start and c.end <= offset + len(region)]
    masked_region = region
    if who := _RELATIVE_WHO.search(region):
        # "Putin also met ... Sergei Shoigu, who said": the one "who" refers to.
        before_who = [c for c in inside if c.end - offset <= who.start()]
        if before_who and before_who[-1].kind == "person":
            return _Found(speaker=before_who[-1].who)
        return None
    for c in inside:
        if c.kind != "person":
            continue
        rel = _Candidate(c.start - offset, c.end - offset, c.kind, c.who)
        if _SPOKESPERSON_OF.match(region[rel.end :]):
            return _Found(speaker=c.who)  # "Johnson's office", "Swift's rep"
        if _possessor(masked_region, rel) or _after_preposition(masked_region, rel):
            continue
        return _Found(speaker=c.who)
    # Nearest the verb: a pronoun, a document, a role.
    tail = region[-60:]
    stand_ins: list[tuple[int, _Found]] = []
    for m in _PRONOUN.finditer(tail):
        stand_ins.append((m.end(), _Found(stand_in="pronoun")))
    for m in _DOCUMENT.finditer(tail):
        stand_ins.append((m.end(), _Found(stand_in=f"document:{m.group(1).lower()}")))
    for m in _DEFINITE_ROLE.finditer(tail):
        noun = _ROLE_NOUN.search(m.group())
        stand_ins.append(
            (m.end(), _Found(stand_in=f"role:{noun.group().lower()}" if noun else None))
        )
    for m in _INDEFINITE_ROLE.finditer(tail):
        base = len(region) - len(tail)
        orgs = [
            c
            for c in inside
            if c.kind == "org" and base + m.start() <= c.start - offset < base + m.end()
        ]
        stand_ins.append(
            (m.end(), _Found(speaker=orgs[0].who if orgs else None, stand_in="unnamed"))
        )
    if stand_ins:
        return max(stand_ins, key=lambda s: s[0])[1]
    # An organisation that is itself the subject stands right before the verb
    # ("the Swedish Prosecution Authority said", "the State Department on Tuesday asked").
    for c in reversed(inside):
        rel = _Candidate(c.start - offset, c.end - offset, c.kind, c.who)
        if c.kind == "org" and not _possessor(region, rel) and not _after_preposition(region, rel):
            if _ADJACENT.fullmatch(region[rel.end :]):
                return _Found(speaker=c.who)
            break
    return None


def _clause_start(masked: str, verb_start: int, quote_ends: Sequence[int]) -> int:
    start = 0
    for end in quote_ends:
        if end <= verb_start:
            start = max(start, end)
    for m in _CLAUSE_BREAK.finditer(masked, start, verb_start):
        start = max(start, m.end())
    return start


def _attribution(
    sentence: str,
    masked: str,
    spans: Sequence[tuple[int, int]],
    offset: int,
    candidates: Sequence[_Candidate],
) -> _Found | None:
    """What the sentence's own attribution names (``None``: no attribution here)."""
    quote_ends = [b - offset + 1 for _a, b in spans]
    previous: _Found | None = None
    for verb in _VERB.finditer(masked):
        word = verb.group().lower()
        if word == "according to":
            after = [c for c in candidates if verb.end() <= c.start <= verb.end() + 60]
            people = [c for c in after if c.kind == "person"]
            if people or after:
                return _Found(speaker=(people or after)[0].who)
            continue
        start = _clause_start(masked, verb.start(), quote_ends)
        region = masked[start : verb.start()]
        found = _subject(region, start, candidates)
        if found is None and not re.search(r"\w", region):
            # Inverted: "..., said Guterres, who"; never "told X" (the one told) or "said that X".
            if word not in ("told", "tells"):
                after = [
                    c
                    for c in candidates
                    if c.kind == "person" and verb.end() <= c.start <= verb.end() + _INVERTED_REACH
                ]
                between = masked[verb.end() : after[0].start] if after else ""
                if after and not _NOT_INVERTED.search(between) and len(between.split()) <= 6:
                    found = _Found(speaker=after[0].who)
            if found is None and _PRONOUN.match(masked[verb.end() :].lstrip()):
                found = _Found(stand_in="pronoun")
            if found is None and previous is not None and start > 0:
                found = previous  # "... and added, ..." keeps the subject
        if found is not None:
            if found.speaker is not None or found.stand_in:
                return found
        previous = found or previous
    return previous


# --- one article ----------------------------------------------------------------------


def _first_subject_person(masked: str, candidates: Sequence[_Candidate]) -> Speaker | None:
    for c in candidates:
        if c.kind == "person" and not _possessor(masked, c) and not _after_preposition(masked, c):
            return c.who
    return None


def article_quotes(
    article: Article,
    analysis: ArticleAnalysis,
    index: EntityIndex,
    people: People | None = None,
) -> list[Quote]:
    """The quotes of one article with the speakers its attributions name."""
    if people is None:
        people = known_people(index, {article.id: analysis})
    junk = junk_sentences(article, analysis)
    quotes_at = sentence_quotes(article, analysis)
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in (*analysis.mentions, *index.added.get(article.id, ())):
        by_sentence[m.sentence].append(m)
    state = _Reading()
    resolved: dict[int, Speaker] = {}
    explicit: set[int] = set()
    pending: list[int] = []
    for s in analysis.sentences:
        text = article.text[s.start : s.end]
        spans = quotes_at.get(s.index, [])
        masked = _mask(text, spans, s.start)
        candidates = _candidates(masked, s.start, by_sentence.get(s.index, []), index, people)
        recent = state.recent_for(s.paragraph, s.index)
        speaker: Speaker | None = None
        if spans and s.index not in junk:
            found = _attribution(text, masked, spans, s.start, candidates)
            if found is not None:
                speaker = _resolve(found, masked, candidates, recent, state)
            if speaker:
                resolved[s.index] = speaker
                explicit.add(s.index)
            elif found is None:
                pending.append(s.index)
                if state.recent and state.recent[0] == s.paragraph:
                    state.recent = (s.paragraph, s.index, state.recent[2])  # the quote goes on
        state.read(s.paragraph, s.index, masked, candidates, speaker, recent)
    for i in pending:
        para = analysis.sentences[i].paragraph
        same = [k for k in explicit if analysis.sentences[k].paragraph == para]
        if same:
            nearest = min(same, key=lambda k: (abs(k - i), k < i))
            resolved[i] = resolved[nearest]
        elif (after := _quote_paragraph_follows(analysis, quotes_at, para, explicit)) is not None:
            resolved[i] = resolved[after]
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


class _Reading:
    """What an article has said so far that later attributions refer back to."""

    def __init__(self) -> None:
        self.recent: tuple[int, int, Speaker] | None = None  # paragraph, sentence, who
        self.documents: dict[str, Speaker | None] = {}  # "document:statement" -> issuer
        self.roles: dict[str, Speaker | None] = {}  # "chancellor" -> who holds it (None: unnamed)

    def recent_for(self, paragraph: int, index: int) -> tuple[int, int, Speaker] | None:
        r = self.recent
        if r and (r[0] == paragraph or index - r[1] <= RECENT_SENTENCES):
            return r
        return None

    def read(
        self,
        paragraph: int,
        index: int,
        masked: str,
        candidates: Sequence[_Candidate],
        speaker: Speaker | None,
        recent: tuple[int, int, Speaker] | None,
    ) -> None:
        subject = speaker or _first_subject_person(masked, candidates)
        if subject is None and recent and _PRONOUN_SUBJECT.search(masked):
            subject = recent[2]  # "..., he called on": still the same person
        if subject is None:
            # No subject by the strict reading: the first person named at all
            # ("..., with President Erdoğan even saying that he ...") is who a
            # following "he said" most likely means.
            people = [c for c in candidates if c.kind == "person" and not _possessor(masked, c)]
            subject = people[0].who if people else None
        for doc in _INTRODUCES_DOCUMENT.finditer(masked):
            # Whoever issued it: this sentence's subject, never an older person.
            self.documents[f"document:{doc.group(1).lower()}"] = subject or _first_org(
                masked, candidates
            )
        for role in _TITLED_NAME.finditer(masked):
            # "German Chancellor Olaf Scholz", "UN Secretary-General Antonio Guterres".
            named = [c for c in candidates if c.kind == "person" and c.start == role.end()]
            if named:
                self.roles[role.group(1).lower()] = named[0].who
        for role in _INDEFINITE_ROLE.finditer(masked):
            noun = _ROLE_NOUN.search(role.group())
            if noun:
                self.roles[noun.group().lower().rstrip("s")] = None  # someone unnamed
        if subject:
            self.recent = (paragraph, index, subject)


def _quote_paragraph_follows(
    analysis: ArticleAnalysis,
    quotes_at: Mapping[int, Sequence[tuple[int, int]]],
    paragraph: int,
    explicit: set[int],
) -> int | None:
    """A paragraph that is all quotation, right after a paragraph whose last sentence is an
    attributed quote, goes on with that speaker (news prose's run-on quote paragraph).
    Returns that sentence's index."""
    sentences = [s for s in analysis.sentences if s.paragraph == paragraph]
    before = [s for s in analysis.sentences if s.paragraph == paragraph - 1]
    if not sentences or not before or before[-1].index not in explicit:
        return None
    for s in sentences:
        quoted = sum(b - a for a, b in quotes_at.get(s.index, ()))
        if quoted < 0.8 * (s.end - s.start):
            return None
    return before[-1].index


def _first_org(masked: str, candidates: Sequence[_Candidate]) -> Speaker | None:
    for c in candidates:
        if c.kind == "org" and not _possessor(masked, c) and not _after_preposition(masked, c):
            return c.who
    return None


def _resolve(
    found: _Found,
    masked: str,
    candidates: Sequence[_Candidate],
    recent: tuple[int, int, Speaker] | None,
    state: _Reading,
) -> Speaker | None:
    if found.speaker is not None:
        return found.speaker
    if found.stand_in == "pronoun":
        # A person named earlier in this sentence ("a remark made by Johnson ..., where he told").
        pronoun = _PRONOUN.search(masked)
        before = [
            c
            for c in candidates
            if c.kind == "person"
            and pronoun
            and c.end <= pronoun.start()
            and not _possessor(masked, c)
        ]
        if before:
            return before[-1].who
        return recent[2] if recent else None
    if found.stand_in and found.stand_in.startswith("role:"):
        # "the chancellor said": whoever the article introduced with that title; a role
        # it introduced as someone unnamed ("one legal expert" ... "the expert warned"),
        # or never introduced, gives no speaker.
        return state.roles.get(found.stand_in[5:])
    if found.stand_in and found.stand_in.startswith("document:"):
        return state.documents.get(found.stand_in)
    return None


def speaker_counts(quotes: Sequence[Quote]) -> tuple[SpeakerCount, ...]:
    """Quotes and quoted words per speaker, most quoted words first."""
    counts: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for q in quotes:
        c = counts[(q.speaker, q.entity_id)]
        c[0] += 1
        c[1] += q.words
    ordered = sorted(counts.items(), key=lambda item: (-item[1][1], -item[1][0], item[0][0]))
    return tuple(SpeakerCount(name, eid, n, w) for (name, eid), (n, w) in ordered)
