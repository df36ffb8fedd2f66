"""Sentence alignment: which sentences of a story's articles report the same thing.

Owns: ``align_story`` (the rule that groups sentences of different outlets that
report one claim, quote or fact, also when reworded, and finds which of the rest
another outlet still carries in looser words), the quote rule shared with framing
(``quoted_spans``), and the export helper ``alignments_export``. Boilerplate (which
sentences take no part) is ``reader.analysis.boilerplate``'s. Must not: import
spaCy or Textual, have a similarity measure of its own (it scores with
``reader.analysis.similarity.similar_pair_arrays``; the quote boost below is evidence
added on top of that score, not a second measure), or write to the store.

The rule, in order:

1. Boilerplate sentences are left out (``boilerplate.junk_sentences``: too short,
   headings and related links, the title repeated, credits and captions, pasted
   tweets, promos, reprint and copyright notices).
2. Every other sentence becomes a ``Unit``: its text, the canonical entity ids of
   its mentions (from the ``EntityIndex``) minus the story's ubiquitous entities
   (in more than ``UBIQUITOUS_SHARE`` of the sentences: "Ukraine", "Russia" say what
   the story is about, not which claim a sentence makes) and minus nationality
   adjectives (NORP), and its numbers.
3. ``similar_pair_arrays`` scores pairs from different articles (blocked on words and
   entities rarer than ``BLOCK_MAX_DF``).
4. Quote boost: when a run of ``SHINGLE`` words inside quotation marks in one
   sentence ("for one reason — the safety of our staff") appears in the other
   sentence (quoted or not), the pair gains up to ``QUOTE_BOOST``; curly and
   straight quotes are one, and runs made only of stop words do not count.
   Number boost: two sentences stating the same salient amount (``amounts``: money,
   "150 million", "130,000"; not dates or years) gain ``NUMBER_BOOST``.
   Lede boost: two ledes (each article's first sentence that is not junk) already
   scored at least ``PAIR_FLOOR`` gain ``LEDE_BOOST``.
5. Groups are built greedily by descending score: a pair at or above ``JOIN`` (and at
   least ``TEXT_FLOOR`` without its entity overlap: sharing names alone is not
   sharing a claim) starts a group, or adds a sentence to one, or merges two, as
   long as a group keeps at most one sentence per article and every sentence added
   is on average close (``COHESION``) to the members already there, so a chain of
   look-alikes does not pull an unrelated sentence in. A sentence is in at most one
   group.
6. A group is *loose* (``AlignedGroup.loose``, shown "≈ matched loosely") when its
   pairs score under ``LOOSE_SCORE`` on average, or two of its members share neither
   quoted words, nor a salient amount, nor ``SURE_CLAIM_WORDS`` words of what is said:
   a shared subject ("the 15-inch MacBook Pro", "the July 25 call") is not a shared claim.
7. Sentences in no group are their outlet's own (``Alignment.unique``), junk aside.

Groups are ordered by their first appearance: the earliest sentence of the first
article that has a member, in the order the articles were given (the baseline first).

Cost: vectorised throughout (sparse row products, integer codes for quoted word runs,
one-to-one matching per pair of articles). Per-text results (tokens, numbers,
amounts, normalised quotes) and per-article results (junk sentences, quoted spans,
keyed by the article's text, title and sentence spans) are kept in bounded LRU caches,
so a story re-opened, or one sharing articles with a story aligned before, pays only
the pair scoring. ``clear_caches`` empties them (benchmarks start cold).

Why one module of ~980 lines: grouping, the pair boosts (quotes, shared amounts,
ledes), cohesion and the looser "carried elsewhere" pass are one algorithm tuned as a
whole against the judged corpus; its helpers that others need (boilerplate, amounts,
quotes, similarity) already live apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, count
from typing import Any

import numpy as np

from reader.analysis import boilerplate, similarity

# is_junk and MIN_WORDS stay importable from here (the boilerplate rule lived here).
from reader.analysis.boilerplate import MIN_WORDS, is_junk, junk_sentences  # noqa: F401
from reader.analysis.entities import EntityIndex
from reader.analysis.similarity import ENTITY_WEIGHT, Unit, numbers_in, similar_pair_arrays
from reader.analysis.vocabulary import NUMBER_WORDS, normalize_quotes
from reader.models import Article, ArticleAnalysis, Sentence

UBIQUITOUS_SHARE = 0.2
BLOCK_MAX_DF = 0.02
PAIR_FLOOR = 0.12
"""Pairs below this (before the quote boost) are not worth looking at."""
NEAR_FLOOR = 0.08
"""Pairs from this up to ``PAIR_FLOOR`` are scored only to say how near a sentence
comes to another outlet's (``Alignment.nearest``): a claim that near is not sure to be
one outlet's own."""
CHAR_BOUND = 0.3
"""A candidate pair that would stay under ``PAIR_FLOOR`` even with this character
cosine is dropped before its character cosine is computed (``similar_pair_arrays``)."""
JOIN = 0.25
COHESION = 0.15
LOOSE_SCORE = 0.3
"""A group whose member pairs score under this on average (boosts included; a group
forms from ``JOIN`` 0.25) is matched loosely."""
SURE_CLAIM_WORDS = 2
"""Words of what is said (``_claim_words``) two members must share, unless they share
quoted words or a salient amount, for the analysis to be sure they make one claim. One
shared word, a number or names alone are a shared subject: "the 2018 15-inch i9 MacBook
Pro was a very hot machine" and Apple "launched an updated 15-inch MacBook Pro" share
"inch" and "15"; a group is still formed on them (``_claim_words`` asks for one), but it
is shown as matched loosely."""
SHINGLE = 4
ALIGN_LABELS = frozenset({"PERSON", "ORG", "PLACE"})
"""Entity kinds that identify a claim; nationality adjectives (NORP: "Western",
"Russian") describe one and would make any two sentences look alike."""
QUOTE_BOOST = 0.3
LEDE_BOOST = 0.05
"""Added to a pair of ledes (each article's first sentence that is not junk) already
scored at least ``PAIR_FLOOR``: the ledes of one story's articles report its main
fact, in their own words ("The US has said it will temporarily relocate its embassy
to Lviv" / "The United States has announced the relocation of its embassy operations
from Kyiv to the western city of Lviv")."""
TEXT_FLOOR = 0.10
"""A pair starts or extends a group only if it scores at least this without its
entity overlap (``ENTITY_WEIGHT`` × Jaccard): two sentences that only name the same
person or alliance ("Zelensky has declared ... Unity Day" / "Zelensky has expressed
frustration ...") do not report the same claim. The pair still counts for cohesion."""
NUMBER_BOOST = 0.15
ECHO_SCORE = 0.30
"""A pair scoring this (boosts included) is a looser paraphrase: not aligned, but
neither sentence is its outlet's own (``_echo_pairs``)."""
ECHO_TEXT = 0.08
"""Two sentences sharing a rare name must score at least this without their entity
overlap (and share ``ECHO_PREDICATE`` content words) to report the same thing."""
ECHO_PREDICATE = 2
"""Content words besides the names that two sentences sharing a rare name must also
share to report the same thing about it."""
"""Added when two sentences state the same salient amount ("150 million", "130,000")."""
QUOTE_FULL = 4
"""Shared quoted word runs (``SHINGLE`` words each) for the full boost; one alone gives
nothing ("remain engaged with the" is a phrase, not a quote), two to four a share."""

_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:'\w+)*")
_DOUBLE_QUOTE = re.compile(r'[“”"]')
_SINGLE_QUOTED = re.compile(r"(?:(?<=[\s(\[])|^)['‘]([^'‘’\n]+?\s[^'‘’\n]+?)['’](?!\w)")
_STOP_WORDS: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    global _STOP_WORDS
    if _STOP_WORDS is None:
        from reader.analysis.vocabulary import ENGLISH_STOP_WORDS

        _STOP_WORDS = ENGLISH_STOP_WORDS | {"said", "says"}
    return _STOP_WORDS


@dataclass(frozen=True, slots=True)
class AlignedMember:
    """One sentence of one article, as the alignment sees it."""

    article_id: str
    sentence_index: int
    text: str


@dataclass(frozen=True, slots=True)
class AlignedGroup:
    """Sentences of different articles (at most one each) that report the same thing."""

    id: str
    members: tuple[AlignedMember, ...]
    score: float  # mean score of the member pairs that were compared
    loose: bool = False
    """Matched loosely: the analysis is not sure the members say the same thing
    (``LOOSE_SCORE``, ``SURE_CLAIM_WORDS``); every view marks such a group "≈"."""

    def member_of(self, article_id: str) -> AlignedMember | None:
        return next((m for m in self.members if m.article_id == article_id), None)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(m.article_id for m in self.members)


@dataclass(frozen=True, slots=True)
class Alignment:
    """A story's aligned groups and each outlet's own sentences.

    ``unique`` holds the sentences (boilerplate aside) that are in no group and that
    no other outlet carries even in looser words; ``echoes`` the pairs of sentences
    of different outlets that report the same thing without being aligned (a looser
    paraphrase, the same salient number or quantity, the same quoted words, the same
    rare names doing the same thing): evidence that a claim is not one outlet's own,
    too weak to show as a shared group."""

    groups: tuple[AlignedGroup, ...]
    unique: tuple[AlignedMember, ...]
    article_ids: tuple[str, ...] = ()  # the articles aligned, in the order given
    echoes: tuple[tuple[AlignedMember, AlignedMember], ...] = ()
    outlet_of: Mapping[str, str] = field(default_factory=dict)  # article id -> outlet key
    nearest: Mapping[tuple[str, int], float] = field(default_factory=dict)
    """For each unique sentence (article id, sentence index), its best score against
    any other outlet's sentence: the lower, the surer it is that nobody else says it."""
    closest: Mapping[tuple[str, int], AlignedMember] = field(default_factory=dict)
    """For each unique sentence that another outlet's sentence comes near (``nearest``
    at least ``NEAR_FLOOR``), that sentence: the evidence to show beside it."""
    reach: Mapping[tuple[str, str], tuple[float, AlignedMember]] = field(default_factory=dict)
    """For each group and each outlet (key) with no member in it one of whose sentences
    scores at least ``PAIR_FLOOR`` against a member: the best such score and that
    outlet's sentence. An outlet absent from it has nothing near the group's claim."""

    def group_of(self, article_id: str, sentence_index: int) -> AlignedGroup | None:
        for group in self.groups:
            for m in group.members:
                if m.article_id == article_id and m.sentence_index == sentence_index:
                    return group
        return None


def clear_caches() -> None:
    """Forget every cached per-text and per-article result of alignment and of the
    similarity measure (benchmarks start cold with it)."""
    for cached in (normalize_quotes, words, amounts, quantities, _sentence_quotes, _claim_words):
        cached.cache_clear()
    boilerplate.clear_caches()
    similarity.clear_caches()


# --- text helpers shared with framing ------------------------------------------------


def _may_open_single_quote(text: str) -> bool:
    """Whether ``_SINGLE_QUOTED`` can match: a ‘ anywhere, or a ' at the start or after a
    space or bracket (a cheap test; most sentences hold only apostrophes)."""
    if "‘" in text or text.startswith("'"):
        return True
    at = text.find("'", 1)
    while at != -1:
        if text[at - 1].isspace() or text[at - 1] in "([":
            return True
        at = text.find("'", at + 1)
    return False


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the double-quoted passages of ``text``.

    Works on one paragraph: curly “ opens and ” closes; a straight " toggles. A quote
    still open at the end of the text runs to its end (live blogs and tweets leave
    quotes open across a paragraph). Single quotes count only around a phrase of
    two or more words that starts after a space or bracket ('dramatic acceleration
    ...'), so apostrophes never open a quote.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for mark in _DOUBLE_QUOTE.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == "“" or (ch == '"' and start is None):
            if start is None:
                start = i + 1
        elif start is not None:
            if i > start:
                spans.append((start, i))
            start = None
    if start is not None and start < len(text):
        spans.append((start, len(text)))
    doubles = list(spans)
    if not _may_open_single_quote(text):
        return spans
    for m in _SINGLE_QUOTED.finditer(text):
        if not any(a - 1 <= m.start() <= b for a, b in doubles):
            spans.append((m.start(1), m.end(1)))
    spans.sort()
    return spans


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens ("7.8", "130,000" and "Russia's" stay whole). Cached."""
    return tuple(_WORD.findall(normalize_quotes(text).lower()))


def sentence_quotes(
    article: Article, analysis: ArticleAnalysis
) -> dict[int, list[tuple[int, int]]]:
    """Quoted spans per sentence index, in article offsets, found paragraph by paragraph
    (a quote may open in one sentence and close in the next). Cached per article
    content; the caller gets its own copy."""
    cached = _sentence_quotes(article.text, tuple(analysis.sentences))
    return {index: list(spans) for index, spans in cached.items()}


@lru_cache(maxsize=128)
def _sentence_quotes(
    text: str, sentences: tuple[Sentence, ...]
) -> dict[int, tuple[tuple[int, int], ...]]:
    by_paragraph: dict[int, list[int]] = defaultdict(list)
    for s in sentences:
        by_paragraph[s.paragraph].append(s.index)
    result: dict[int, tuple[tuple[int, int], ...]] = {}
    for indices in by_paragraph.values():
        first, last = sentences[indices[0]], sentences[indices[-1]]
        spans = [
            (first.start + a, first.start + b)
            for a, b in quoted_spans(text[first.start : last.end])
        ]
        for index in indices:
            s = sentences[index]
            # An inline promo glued to the sentence ("SEE ALSO: 'An Explosive Situation':
            # ...") quotes a headline, not a speaker: its spans are left out.
            start = s.end - len(boilerplate.strip_promo(text[s.start : s.end]))
            inside = [(max(a, start), min(b, s.end)) for a, b in spans if a < s.end and b > start]
            inside = [(a, b) for a, b in inside if text[a:b].strip(" .,…\u00a0")]
            if inside:
                result[index] = tuple(inside)
    return result


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_AMOUNT = re.compile(
    r"(?P<cur>(?:can|us|a)?\$|€|£)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mag>million|billion|trillion|thousand|bn|m)\b)?"
    r"(?:\s(?P<cur2>euros?|dollars?|pounds?))?",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_MAGNITUDE = {
    "thousand": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "can$": "CAD",
    "a$": "AUD",
    "€": "EUR",
    "£": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
}


@dataclass(frozen=True, slots=True)
class Amount:
    """A number stated in a text, with its magnitude applied and its currency if any."""

    value: float
    currency: str | None
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.value:g}"


@lru_cache(maxsize=16_384)
def amounts(text: str) -> tuple[Amount, ...]:
    """The salient amounts of ``text``: money ("€150 million", "Can$7.8 million",
    "150 million euros"), magnitudes ("$1 billion") and counts of a thousand or more
    ("130,000"). Years, days of a month and small bare numbers are left out: they
    say when, not how much. (Cached: alignment and framing ask for the same sentences.)"""
    if not _DIGIT.search(text):
        return ()
    found = []
    for m in _AMOUNT.finditer(text):
        raw = m.group("num")
        start = m.start("cur") if m.group("cur") else m.start("num")
        before = text[max(start - 12, 0) : start].lower()
        if re.search(rf"\b(?:{_MONTHS})\.?\s*$", before):
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
            continue  # part of a word, an id or a range ("A400M", "site-47")
        if m.end() < len(text) and text[m.end()].isalpha():
            continue  # a figure glued to a unit or a name ("1080p", "4K", "RTX2080s")
        value = float(raw.replace(",", ""))
        mag = (m.group("mag") or "").lower()
        cur = (m.group("cur") or m.group("cur2") or "").lower()
        if mag == "m" and not cur:
            continue  # "70 m" is metres, not millions
        if not mag and not cur and ("," not in raw and (value < 1000 or 1900 <= value <= 2100)):
            continue
        value *= _MAGNITUDE.get(mag, 1.0)
        found.append(
            Amount(value, _CURRENCY.get(cur), start, m.end(), text[start : m.end()].strip())
        )
    return tuple(found)


# --- alignment ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sentence:
    rank: int  # the article's position in the story
    label: int  # the outlet's number: an outlet's several articles share one
    article_id: str
    index: int
    text: str
    quoted: str  # the quoted passages of the sentence, joined


def _shingle_codes(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Every run of ``SHINGLE`` words that holds at least one content word, as
    ``(owner, code)`` arrays: one row per distinct run per token list, equal runs
    having equal codes."""
    flat = list(chain.from_iterable(token_lists))
    if len(flat) < SHINGLE:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    vocab = dict(zip(dict.fromkeys(flat), count(), strict=False))
    stop = _stop_words()
    is_content = np.fromiter((w not in stop for w in vocab), np.int64, len(vocab))
    ids = np.fromiter(map(vocab.__getitem__, flat), np.int64, len(flat))
    owner = np.repeat(np.arange(len(token_lists)), [len(t) for t in token_lists])
    starts = np.arange(len(ids) - SHINGLE + 1)
    content = np.concatenate(([0], np.cumsum(is_content[ids])))
    ok = (owner[starts] == owner[starts + SHINGLE - 1]) & (
        content[starts + SHINGLE] > content[starts]
    )
    starts = starts[ok]
    codes = np.zeros(len(starts), dtype=np.int64)
    if len(vocab) ** SHINGLE < 2**62:
        for k in range(SHINGLE):
            codes = codes * len(vocab) + ids[starts + k]
    else:  # a huge vocabulary: number the distinct runs instead
        window = np.stack([ids[starts + k] for k in range(SHINGLE)], axis=1)
        codes = np.unique(window, axis=0, return_inverse=True)[1].ravel().astype(np.int64)
    distinct, codes = np.unique(codes, return_inverse=True)
    keys = np.unique(owner[starts] * len(distinct) + codes.ravel())
    return keys // len(distinct), keys % len(distinct)


def _quote_boosts(
    sentences: Sequence[_Sentence], labels: np.ndarray
) -> dict[tuple[int, int], float]:
    """Boosts for pairs (i < j) of different articles sharing quoted word runs.

    A quoted run of ``SHINGLE`` words found in more than 12 sentences is a stock
    phrase, not a quote. Vectorised: runs are integer codes, and the quoted runs
    are joined to the sentences holding them by sorting."""
    with_quotes = [i for i, s in enumerate(sentences) if s.quoted]
    if not with_quotes:
        return {}
    n = len(sentences)
    owners, codes = _shingle_codes(
        [words(s.text) for s in sentences] + [words(sentences[i].quoted) for i in with_quotes]
    )
    quoted = owners >= n
    q_holder = np.asarray(with_quotes, dtype=np.int64)[owners[quoted] - n]
    q_code = codes[quoted]
    a_holder, a_code = owners[~quoted], codes[~quoted]
    order = np.argsort(a_code, kind="stable")
    a_holder, a_code = a_holder[order], a_code[order]
    lo = np.searchsorted(a_code, q_code, side="left")
    hi = np.searchsorted(a_code, q_code, side="right")
    common = (hi - lo) <= 12
    q_holder, q_code, lo, hi = q_holder[common], q_code[common], lo[common], hi[common]
    counts = hi - lo
    total = int(counts.sum())
    if not total:
        return {}
    i = np.repeat(q_holder, counts)
    gram = np.repeat(q_code, counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    j = a_holder[np.repeat(lo, counts) + offsets]
    keep = labels[i] != labels[j]
    pair = np.minimum(i, j)[keep] * n + np.maximum(i, j)[keep]
    # One count per pair and run, however many ways the run joins the two.
    pair = np.unique(gram[keep] * (n * n) + pair) % (n * n)
    pairs, shared = np.unique(pair, return_counts=True)
    return {
        (int(p // n), int(p % n)): QUOTE_BOOST * (min(int(k), QUOTE_FULL) - 1) / (QUOTE_FULL - 1)
        for p, k in zip(pairs, shared, strict=True)
        if k > 1
    }


def _shared_amounts(sentences: Sequence[_Sentence], labels: np.ndarray) -> set[tuple[int, int]]:
    """Pairs (i < j) of different articles that state the same salient amount."""
    holders: dict[str, set[int]] = defaultdict(set)
    for i, s in enumerate(sentences):
        for amount in amounts(s.text):
            holders[amount.key].add(i)
    pairs: set[tuple[int, int]] = set()
    for members in holders.values():
        if len(members) > 12:  # a figure every outlet repeats everywhere
            continue
        ordered = sorted(members)
        for n, i in enumerate(ordered):
            pairs.update((i, j) for j in ordered[n + 1 :] if labels[i] != labels[j])
    return pairs


def outlet_key(article: Article) -> str:
    """What makes two articles the same outlet: the outlet name, case and spaces aside."""
    return " ".join(article.outlet.split()).casefold()


def outlet_labels(articles: Sequence[Article]) -> list[int]:
    """One number per article, the same for every article of one outlet (its
    versions: a story and its follow-up), numbered in order of first appearance."""
    numbers: dict[str, int] = {}
    return [numbers.setdefault(outlet_key(a), len(numbers)) for a in articles]


def _collect(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> list[_Sentence]:
    found: list[_Sentence] = []
    labels = outlet_labels(articles)
    for rank, article in enumerate(articles):
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        junk = junk_sentences(article, analysis)
        quotes = sentence_quotes(article, analysis)
        for s in analysis.sentences:
            if s.index in junk:
                continue
            text = boilerplate.strip_promo(article.text[s.start : s.end])
            quoted = " … ".join(article.text[a:b] for a, b in quotes.get(s.index, ()))
            found.append(_Sentence(rank, labels[rank], article.id, s.index, text, quoted))
    return found


def _units(
    sentences: Sequence[_Sentence],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
) -> list[Unit]:
    per_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    for aid in {s.article_id for s in sentences}:
        for m, entity in entity_index.linked_mentions(aid, analyses[aid]):
            if entity.label in ALIGN_LABELS:
                per_sentence[(aid, m.sentence)].add(entity.id)
    keys = [(s.article_id, s.index) for s in sentences]
    share = Counter(e for k in keys for e in per_sentence.get(k, ()))
    ubiquitous = {e for e, n in share.items() if n > UBIQUITOUS_SHARE * max(len(keys), 1)}
    units = []
    for s, key in zip(sentences, keys, strict=True):
        text = normalize_quotes(s.text)
        units.append(
            Unit(text, frozenset(per_sentence.get(key, set()) - ubiquitous), numbers_in(text))
        )
    return units


def _matched_edges(
    keys: np.ndarray, scores: np.ndarray, labels: np.ndarray, n: int
) -> list[tuple[int, int, float]]:
    """The pairs (``keys``: ``i * n + j``, ``i < j``) at or above ``JOIN`` that a
    one-to-one matching between each two articles keeps (maximum total score), best
    first.

    A sentence that carries two claims ("We remain engaged ...," said Blinken, adding
    that, "The path for diplomacy remains available ...") is then matched where the
    other outlet has no better partner, instead of wherever its single best score is.
    """
    from scipy.optimize import linear_sum_assignment

    strong = scores >= JOIN
    first, second, values = keys[strong] // n, keys[strong] % n, scores[strong]
    if not len(values):
        return []
    # One block per pair of articles; within it, rows and columns numbered densely.
    block = labels[first].astype(np.int64) * (int(labels.max()) + 1) + labels[second]
    order = np.lexsort((second, first, block))
    first, second, values, block = first[order], second[order], values[order], block[order]
    cuts = np.flatnonzero(np.diff(block)) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.append(cuts, len(values))
    block_no = np.repeat(np.arange(len(starts)), ends - starts)
    row_keys, row_at = np.unique(block_no * n + first, return_inverse=True)
    col_keys, col_at = np.unique(block_no * n + second, return_inverse=True)
    row_start = np.searchsorted(row_keys, np.arange(len(starts) + 1) * n)
    col_start = np.searchsorted(col_keys, np.arange(len(starts) + 1) * n)
    row_at, col_at = row_at.ravel(), col_at.ravel()
    kept: list[tuple[int, int, float]] = []
    for k, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        r0, c0 = int(row_start[k]), int(col_start[k])
        matrix = np.zeros((int(row_start[k + 1]) - r0, int(col_start[k + 1]) - c0))
        matrix[row_at[start:end] - r0, col_at[start:end] - c0] = values[start:end]
        for r, c in zip(*linear_sum_assignment(matrix, maximize=True), strict=True):
            if matrix[r, c] >= JOIN:
                kept.append(
                    (int(row_keys[r0 + r] % n), int(col_keys[c0 + c] % n), float(matrix[r, c]))
                )
    kept.sort(key=lambda e: (-e[2], e[0], e[1]))
    return kept


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _group_id(members: Sequence[AlignedMember]) -> str:
    key = "|".join(sorted(f"{m.article_id}:{m.sentence_index}" for m in members))
    return "g-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def align_story(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entity_index: EntityIndex,
) -> Alignment:
    """Group the sentences of ``articles`` (one story; the first is the baseline)."""
    sentences = _collect(articles, analyses)
    article_ids = tuple(a.id for a in articles)
    if not sentences:
        return Alignment((), (), article_ids)
    labels = np.array([s.label for s in sentences])
    ranks = np.array([s.rank for s in sentences])
    units = _units(sentences, analyses, entity_index)
    n = len(sentences)
    rows, cols, sims = similar_pair_arrays(
        units,
        threshold=NEAR_FLOOR,
        allowed=labels,
        block_max_df=BLOCK_MAX_DF,
        char_bound=CHAR_BOUND,
    )
    # Every scored pair as one key i * n + j (i < j): the similarity, then the boosts.
    boosts = _quote_boosts(sentences, labels)
    amount_pairs = _shared_amounts(sentences, labels)
    amount_keys = [i * n + j for i, j in amount_pairs]
    boost_keys = [i * n + j for i, j in boosts]
    keys = np.union1d(rows * n + cols, np.asarray(boost_keys + amount_keys, dtype=np.int64))
    scores = np.zeros(len(keys))
    scores[np.searchsorted(keys, rows * n + cols)] = sims
    quote = np.zeros(len(keys))
    quote[np.searchsorted(keys, np.asarray(boost_keys, dtype=np.int64))] = list(boosts.values())
    number = np.zeros(len(keys))
    number[np.searchsorted(keys, np.asarray(amount_keys, dtype=np.int64))] = NUMBER_BOOST
    scores = scores + quote + number
    # Pairs under the floor only say how near a sentence comes to another outlet's.
    near_keys, near_scores = keys, scores
    strong = (scores >= PAIR_FLOOR) | (quote + number > 0)
    keys, scores, quote, number = keys[strong], scores[strong], quote[strong], number[strong]
    # Ledes: each article's first sentence that is not junk.
    ledes = np.zeros(n, dtype=bool)
    ledes[np.unique(ranks, return_index=True)[1]] = True
    lede_pairs = ledes[keys // n] & ledes[keys % n] & (scores >= PAIR_FLOOR)
    scores = scores + np.where(lede_pairs, LEDE_BOOST, 0.0)
    score_of = dict(zip(keys.tolist(), scores.tolist(), strict=True))

    def score(i: int, j: int) -> float:
        return score_of.get(i * n + j if i < j else j * n + i, 0.0)

    boosted = set(boosts) | amount_pairs

    def sure_pair(i: int, j: int) -> bool:
        """The same quoted words, the same salient amount, or ``SURE_CLAIM_WORDS`` words
        of what is said in common: more than a shared subject."""
        if (min(i, j), max(i, j)) in boosted:
            return True
        shared = _claim_words(sentences[i].text) & _claim_words(sentences[j].text)
        return len(shared) >= SURE_CLAIM_WORDS

    group_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    next_id = 0
    edges = scores.copy()
    for k in np.flatnonzero(edges >= JOIN).tolist():
        i, j = int(keys[k]) // n, int(keys[k]) % n
        names_i, names_j = units[i].entities, units[j].entities
        overlap = len(names_i & names_j) / len(names_i | names_j) if names_i or names_j else 0.0
        if edges[k] - ENTITY_WEIGHT * overlap < TEXT_FLOOR:
            edges[k] = 0.0  # only the same names: no group from this pair
        elif (
            quote[k] + number[k] == 0
            and len(names_i & names_j) < NAMED_CLAIM
            and not units[i].number_set() & units[j].number_set()
            and not _claim_words(sentences[i].text) & _claim_words(sentences[j].text)
        ):
            edges[k] = 0.0  # only who said it, in what role, when: two statements
    for i, j, _score in _matched_edges(keys, edges, labels, n):
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            groups[next_id] = [i, j]
            group_of[i] = group_of[j] = next_id
            next_id += 1
            continue
        if gi is not None and gj is not None:
            if gi == gj:
                continue
            a, b = groups[gi], groups[gj]
            if {labels[k] for k in a} & {labels[k] for k in b}:
                continue
            if _mean([score(x, y) for x in a for y in b]) < COHESION:
                continue
            groups[gi] = a + b
            for k in b:
                group_of[k] = gi
            del groups[gj]
            continue
        new, gid = (j, gi) if gi is not None else (i, gj)
        assert gid is not None
        members = groups[gid]
        if labels[new] in {labels[k] for k in members}:
            continue
        if _mean([score(new, k) for k in members]) < COHESION:
            continue
        members.append(new)
        group_of[new] = gid

    built: list[tuple[tuple[int, int], AlignedGroup]] = []
    for members in groups.values():
        members.sort(key=lambda k: (sentences[k].rank, sentences[k].index))
        aligned = tuple(
            AlignedMember(sentences[k].article_id, sentences[k].index, sentences[k].text)
            for k in members
        )
        pairs = [(x, y) for n, x in enumerate(members) for y in members[n + 1 :]]
        compared = [p for p in (score(x, y) for x, y in pairs) if p > 0] or [0.0]
        mean = round(float(np.mean(compared)), 4)
        loose = mean < LOOSE_SCORE or not all(sure_pair(x, y) for x, y in pairs)
        first = sentences[members[0]]
        built.append(
            (
                (first.rank, first.index),
                AlignedGroup(_group_id(aligned), aligned, mean, loose),
            )
        )
    built.sort(key=lambda item: item[0])
    echo_pairs = _echo_pairs(keys, scores, quote + number, units, sentences, labels)
    echoed = {k for pair in echo_pairs for k in pair}
    member = [AlignedMember(s.article_id, s.index, s.text) for s in sentences]
    unique = tuple(member[k] for k in range(n) if k not in group_of and k not in echoed)
    # How close each unique sentence comes to any other outlet's, and which sentence
    # that is: the evidence shown when the analysis is unsure a claim is one outlet's.
    best = np.zeros(n)
    partner = np.full(n, -1)
    if len(near_keys):
        ends = np.concatenate((near_keys // n, near_keys % n))
        others = np.concatenate((near_keys % n, near_keys // n))
        both = np.concatenate((near_scores, near_scores))
        order = np.lexsort((both, ends))  # by sentence, then score: the last is the best
        last = np.flatnonzero(np.r_[ends[order][1:] != ends[order][:-1], True])
        best[ends[order][last]] = both[order][last]
        partner[ends[order][last]] = others[order][last]
    lonely = [k for k in range(n) if k not in group_of and k not in echoed]
    reach_group, reach_label, reach_score, reach_other = _reach(
        near_keys, near_scores, n, group_of, labels
    )
    outlet_keys = [outlet_key(a) for a in articles]
    label_key = {int(labels[k]): outlet_keys[sentences[k].rank] for k in range(n)}
    ids_of = {gid: _group_id([member[k] for k in members]) for gid, members in groups.items()}
    return Alignment(
        tuple(g for _, g in built),
        unique,
        article_ids,
        tuple((member[i], member[j]) for i, j in sorted(echo_pairs)),
        {a.id: outlet_key(a) for a in articles},
        {
            (member[k].article_id, member[k].sentence_index): round(float(best[k]), 4)
            for k in lonely
        },
        {
            (member[k].article_id, member[k].sentence_index): member[int(partner[k])]
            for k in lonely
            if partner[k] >= 0
        },
        {
            (ids_of[g], label_key[label]): (round(value, 4), member[k])
            for g, label, value, k in zip(
                reach_group, reach_label, reach_score, reach_other, strict=True
            )
        },
    )


def _reach(
    near_keys: np.ndarray,
    near_scores: np.ndarray,
    n: int,
    group_of: Mapping[int, int],
    labels: np.ndarray,
) -> tuple[list[int], list[int], list[float], list[int]]:
    """For each (group, outlet label) of an outlet with no member in the group whose
    sentences score at least ``PAIR_FLOOR`` against a member: the group, the label, the
    best such score and that sentence, as four lists (``Alignment.reach``)."""
    none: tuple[list[int], list[int], list[float], list[int]] = ([], [], [], [])
    if not len(near_keys) or not group_of:
        return none
    gid = np.full(n, -1, dtype=np.int64)
    gid[list(group_of)] = list(group_of.values())
    close = near_scores >= PAIR_FLOOR
    keys, scores = near_keys[close], near_scores[close]
    ends = np.concatenate((keys // n, keys % n))
    others = np.concatenate((keys % n, keys // n))
    both = np.concatenate((scores, scores))
    keep = gid[ends] >= 0
    ends, others, both = ends[keep], others[keep], both[keep]
    group, label = gid[ends], labels[others].astype(np.int64)
    # Pairs with a group's own outlets say nothing about an absent outlet.
    width = int(labels.max()) + 1
    inside = np.zeros((int(gid.max()) + 1, width), dtype=bool)
    grouped = np.flatnonzero(gid >= 0)
    inside[gid[grouped], labels[grouped]] = True
    keep = ~inside[group, label]
    slot, others, both = (group * width + label)[keep], others[keep], both[keep]
    if not len(slot):
        return none
    order = np.lexsort((both, slot))  # by slot, then score: the last is the best
    last = order[np.flatnonzero(np.r_[slot[order][1:] != slot[order][:-1], True])]
    return (
        (slot[last] // width).tolist(),
        (slot[last] % width).tolist(),
        both[last].tolist(),
        others[last].tolist(),
    )


def _echo_pairs(
    keys: np.ndarray,
    scores: np.ndarray,
    boosts: np.ndarray,
    units: Sequence[Unit],
    sentences: Sequence[_Sentence],
    labels: np.ndarray,
) -> set[tuple[int, int]]:
    """Pairs (i < j) of sentences of different outlets where one carries the other's
    claim, by any of four tests (each one evidence that a claim is not one outlet's
    own; none alone is enough to align the two for the diff):

    - a looser paraphrase: the pair scores at least ``ECHO_SCORE`` (boosts included);
    - the same quoted words (the quote boost) or the same salient amount (the number
      boost): two outlets do not quote the same five words or state "$650 million" by
      chance;
    - the same quantity with what it counts (``quantities``: "5.0 seconds" and "five
      seconds", "20%" and "20 percent"), also below the pair floor, when each outlet
      that states it states it once (a quantity repeated is the story's frame) and
      it is not one lone small round count ("two hours" twice is a coincidence);
    - the same rare names doing the same thing: at least one entity that is not
      everywhere in the story, a text score of at least ``ECHO_TEXT`` without the
      names, and at least ``ECHO_PREDICATE`` content words besides the names, as
      5-letter stems ("reopen the investigation" / "re-opened ... investigation").

    Two sentences stating different sums of money (``_different_sums``) are never an
    echo: the same actor announcing two sums made two decisions.
    """
    n = len(sentences)
    found: set[tuple[int, int]] = set()
    if len(keys):
        first, second = keys // n, keys % n
        strong = (scores >= ECHO_SCORE) | (boosts > 0)
        found.update(zip(first[strong].tolist(), second[strong].tolist(), strict=True))
        # Rare names doing the same thing: entity overlap for all the other pairs at
        # once (sparse rows), the content words only for the pairs that pass.
        rest = np.flatnonzero(~strong)
        ents = similarity._binary_matrix([u.entities for u in units])
        inter = np.asarray(ents[first[rest]].multiply(ents[second[rest]]).sum(axis=1)).ravel()
        sizes = np.asarray(ents.sum(axis=1)).ravel()
        union = sizes[first[rest]] + sizes[second[rest]] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            overlap = np.where(union > 0, inter / union, 0.0)
        hopeful = (inter > 0) & (scores[rest] - ENTITY_WEIGHT * overlap >= ECHO_TEXT)
        predicates: dict[int, frozenset[str]] = {}

        def predicate(i: int) -> frozenset[str]:
            if i not in predicates:
                predicates[i] = _predicate_words(sentences[i].text)
            return predicates[i]

        for k in rest[hopeful].tolist():
            i, j = int(first[k]), int(second[k])
            if len(predicate(i) & predicate(j)) >= ECHO_PREDICATE:
                found.add((i, j))
    # The same quantity with what it counts, stated once by each outlet that states it
    # (a quantity an outlet states several times is the story's frame: "16-inch").
    holders: dict[tuple[float, str], list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        for quantity in quantities(s.text):
            holders[quantity].append(i)
    shared: dict[tuple[int, int], list[tuple[float, str]]] = defaultdict(list)
    for quantity, members in holders.items():
        per_outlet = Counter(int(labels[i]) for i in members)
        if len(per_outlet) < 2 or max(per_outlet.values()) > 1:
            continue
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                if labels[i] != labels[j]:
                    shared[(i, j)].append(quantity)
    # One small round count ("two hours", "five years") in two sentences that have
    # nothing else in common is a coincidence; two quantities, one that is large or
    # precise ("$44,000", "5.8 seconds"), or one in sentences otherwise near (a
    # candidate pair: "in 5.0 seconds" / "in five seconds") are not.
    near = set((keys // n * n + keys % n).tolist()) if len(keys) else set()
    found.update(
        (i, j)
        for (i, j), common in shared.items()
        if len(common) > 1 or any(v >= 10 or v != int(v) for v, _ in common) or i * n + j in near
    )
    # Different sums of money: checked only for the pairs whose two sentences state money.
    ends = {k for pair in found for k in pair}
    money = {k for k in ends if any(x.currency for x in amounts(sentences[k].text))}
    if len(money) > 1:
        found = {
            (i, j)
            for i, j in found
            if i not in money
            or j not in money
            or not _different_sums(sentences[i].text, sentences[j].text)
        }
    return found


SUM_RATIO = 1.5
"""Two sums of money further apart than this (each of one sentence against each of the
other) are two transactions; closer ones may be one sum converted or rounded ("€150
million ($170 million)")."""


def _different_sums(a: str, b: str) -> bool:
    """Whether two sentences each state money and no sum of one is near a sum of the
    other: "Trudeau announced that Ukraine would be loaned $490 million" and "Trudeau
    announced his government would supply $7.8 million in lethal equipment" report two
    decisions, however alike their words."""
    first = [x.value for x in amounts(a) if x.currency and x.value > 0]
    second = [x.value for x in amounts(b) if x.currency and x.value > 0]
    return bool(first and second) and all(
        max(x, y) > SUM_RATIO * min(x, y) for x in first for y in second
    )


REPORTING_WORDS = frozenset(
    "said says told tells telling reporters reporter reported reporting spokesperson"
    " spokesman spokeswoman spokespeople statement statements added adding according"
    " briefing press conference interview asked noted wrote tweeted posted".split()
)
"""The frame of a report (who said it, to whom, how): two sentences that share only
these words and names ("State Department spokesperson Ned Price told reporters
Monday ...") report two statements of one speaker, not one claim."""
NAMED_CLAIM = 3
"""Shared names (entities, ubiquitous ones aside) that make a claim by themselves
("Scholz ... to Moscow ... Putin"); fewer, with no content word, number or quote in
common, are a speaker and his office (``_claim_words``)."""


@lru_cache(maxsize=16_384)
def _claim_words(text: str) -> frozenset[str]:
    """``_predicate_words`` without the words of the reporting frame (``REPORTING_WORDS``):
    what a sentence says, not who said it. (Cached: asked for each candidate group pair.)"""
    stop = _stop_words()
    return frozenset(
        w[:5] for w in _PLAIN_WORD.findall(text) if w not in stop and w not in REPORTING_WORDS
    )


def _predicate_words(text: str) -> frozenset[str]:
    """The content words of a sentence that are not names, as 5-letter stems ("suspended",
    "suspension" -> "suspe"): what the named people or bodies do or are."""
    stop = _stop_words()
    return frozenset(w[:5] for w in _PLAIN_WORD.findall(text) if w not in stop)


_PLAIN_WORD = re.compile(r"(?<![\w'’])[a-z]{4,}")
_QUANTITY = re.compile(
    r"(?<![\w.,])(?:(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)|(?P<word>"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"))(?:\s*(?P<pct>%)|[\s-]+(?P<unit>[a-z]{3,})\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=16_384)
def quantities(text: str) -> tuple[tuple[float, str], ...]:
    """Numbers with what they count, as ``(value, unit)``: "5.0 seconds" and "five
    seconds" are ``(5.0, "second")``, "20%" and "20 percent" ``(20.0, "percent")``.
    A number whose next word is a stop word ("one of", "two to") counts nothing;
    the unit loses a plural "s". (Cached: every alignment asks for the same sentences.)"""
    if not _DIGIT.search(text) and not any(w in text.lower() for w in NUMBER_WORDS):
        return ()
    stop = _stop_words()
    found = []
    for m in _QUANTITY.finditer(normalize_quotes(text)):
        word = m.group("word")
        if word is not None:
            value = float(NUMBER_WORDS[word.lower()])
        else:
            value = float(m.group("num").replace(",", ""))
        unit = "percent" if m.group("pct") else m.group("unit").lower()
        if unit in stop:
            continue
        found.append((value, unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit))
    return tuple(dict.fromkeys(found))


def alignments_export(alignment: Alignment) -> list[dict[str, Any]]:
    """The export's ``alignments`` section.

    ``[{"id", "score", "loose", "members": [{"article_id", "sentence", "sentence_index"}]}]``
    (``score``, ``loose`` and ``sentence_index`` are additions to the contract's required
    keys; ``loose``: the analysis is not sure the members make one claim).
    """
    return [
        {
            "id": g.id,
            "score": g.score,
            "loose": g.loose,
            "members": [
                {"article_id": m.article_id, "sentence": m.text, "sentence_index": m.sentence_index}
                for m in g.members
            ],
        }
        for g in alignment.groups
    ]
