"""The one similarity measure: how close two pieces of text are in what they report.

Owns: ``Unit`` (a sentence or a document reduced to its words, canonical entity ids
and numbers) and ``similar_pairs``, the scored candidate pairs among many units.
Timeline merging, sentence alignment and story grouping all use this; none of them
has a measure of its own.

The score of a pair, in [0, 1]:

    0.35 * word TF-IDF cosine (unigrams + bigrams, English stop words out)
  + 0.35 * character TF-IDF cosine (3-5-grams within words, so "relocate",
           "relocating" and "relocation" meet, and "Kiev"/"Kyiv" partly do)
  + 0.20 * Jaccard overlap of canonical entity ids
  + 0.10 * Jaccard overlap of the numbers mentioned

It is vectorised and blocked: only pairs that share at least one content word or
one entity are scored (a sparse matrix product finds them), so 1,600 sentences cost
a few sparse products, not 1.3 million Python comparisons. Callers comparing many
short units (sentence alignment) pass ``block_max_df`` so that words and entities
found in a large share of the units ("Ukraine", "said") do not make every pair a
candidate; they still count in the score of the pairs that are compared. Each text
is tokenised once (``_tokens``, cached for sentences) for both TF-IDFs, which are
computed here with scikit-learn's formulas (sublinear tf, smoothed idf, unit rows) but
without fitting a vectoriser; the character n-grams are counted once per distinct word
and spread to the texts by a sparse product (the same counts as scikit-learn's
``char_wb`` analyzer). Identical texts share one row, and every similarity is a row
dot product over the candidate pairs only, each distinct pair of texts once. Must
not: import spaCy or Textual; it works on plain strings and ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, count, pairwise

import numpy as np

from reader.analysis.vocabulary import ENGLISH_STOP_WORDS, NUMBER_WORDS

WORD_WEIGHT = 0.35
CHAR_WEIGHT = 0.35
ENTITY_WEIGHT = 0.20
NUMBER_WEIGHT = 0.10
CACHE_MAX_CHARS = 600
"""Texts up to this long (sentences) have their tokens and numbers cached (4,096
sentences, about 20 MB at most with the n-grams of 8,192 words); longer ones (story
grouping's ledes) are not kept."""

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.])\d+(?:\.\d+)?(?![\d])")

_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![a-z])"
)
_TOKEN = re.compile(r"(?u)\b\w[\w'’-]*\w\b|\b\d+\b")
"""scikit-learn's word token pattern, widened to keep "Russia's" and "Kyiv-based" whole."""


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text states, normalised ("130,000" and "130000" are one).

    Cached for sentence-sized texts (``CACHE_MAX_CHARS``)."""
    return _numbers_in(text) if len(text) > CACHE_MAX_CHARS else _cached_numbers_in(text)


def _numbers_in(text: str) -> frozenset[str]:
    found = (
        {m.group().replace(",", "") for m in _NUMBER.finditer(text)}
        if _DIGIT.search(text)  # most sentences hold none, and the scan is slow
        else set()
    )
    found.update(str(NUMBER_WORDS[w]) for w in _NUMBER_WORD.findall(text.lower()))
    return frozenset(found)


_cached_numbers_in = lru_cache(maxsize=4096)(_numbers_in)


@dataclass(frozen=True, slots=True)
class Unit:
    """What the measure sees of a sentence or document."""

    text: str
    entities: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] | None = None  # None: taken from the text

    def number_set(self) -> frozenset[str]:
        return numbers_in(self.text) if self.numbers is None else self.numbers


def _binary_matrix(sets: Sequence[frozenset[str]]):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, items in enumerate(sets):
        for item in items:
            rows.append(i)
            cols.append(vocab.setdefault(item, len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(sets), max(len(vocab), 1)))


_BLOCK_MIN_DF = 12


def clear_caches() -> None:
    """Forget the cached tokens, numbers and n-grams (benchmarks start cold with it)."""
    for cached in (_cached_numbers_in, _cached_tokens, _char_ngrams):
        cached.cache_clear()


def _drop_frequent(matrix, limit: float):  # type: ignore[no-untyped-def]
    """``matrix`` without the columns of features present in more than ``limit`` rows."""
    df = np.diff(matrix.tocsc().indptr)
    keep = np.flatnonzero(df <= limit)
    return matrix[:, keep]


@lru_cache(maxsize=8192)
def _char_ngrams(word: str, low: int = 3, high: int = 5) -> tuple[str, ...]:
    """scikit-learn's ``char_wb`` n-grams of one word (padded with a space each side).

    Cached: a story's words recur across its sentences and across stories."""
    padded = f" {word} "
    size = len(padded)  # at least 3: a word of one letter and its two spaces
    return tuple(
        [padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]
    )


def _tokenize(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The one tokenisation of a text, shared by both TF-IDFs (``_tokens`` caches it):
    its word features (unigrams and bigrams of the lower-cased tokens, English stop
    words out, as scikit-learn's ``TfidfVectorizer(stop_words="english",
    ngram_range=(1, 2))`` makes them) and its lower-cased whitespace-separated words
    (what the character n-grams are taken from)."""
    low = text.lower()
    stop = _stop_words()
    kept = [w for w in _TOKEN.findall(low) if w not in stop]
    bigrams = [f"{a} {b}" for a, b in pairwise(kept)]
    return tuple(kept + bigrams), tuple(low.split())


_cached_tokens = lru_cache(maxsize=4096)(_tokenize)


def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``_tokenize``, cached for sentence-sized texts: a story's sentences are
    tokenised once however often it is aligned (story grouping's long texts are not
    kept)."""
    return _tokenize(text) if len(text) > CACHE_MAX_CHARS else _cached_tokens(text)


def _stop_words() -> frozenset[str]:
    """The English stop words (``vocabulary.ENGLISH_STOP_WORDS``)."""
    return ENGLISH_STOP_WORDS


def _numbering(items: list[str]) -> dict[str, int]:
    """Each distinct item's number, in order of first appearance (built in C: no
    Python-level loop over the items)."""
    return dict(zip(dict.fromkeys(items), count(), strict=False))


def _count_matrix(rows: Sequence[Sequence[str]]):  # type: ignore[no-untyped-def]
    """Counts of the items of each row (CSR, float64), and the items' column numbers."""
    from scipy.sparse import csr_matrix

    flat = list(chain.from_iterable(rows))
    vocab = _numbering(flat)
    indices = np.fromiter(map(vocab.__getitem__, flat), np.int32, len(flat))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    matrix = csr_matrix(
        (np.ones(len(flat)), indices, indptr), shape=(len(rows), max(len(vocab), 1))
    )
    matrix.sum_duplicates()
    return matrix, vocab


def _tfidf(counts, weights: np.ndarray | None = None):  # type: ignore[no-untyped-def]
    """scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` applied to ``counts``, in
    place: 1 + log tf, smoothed idf, rows scaled to unit length. ``weights`` (one per
    row) says how many units each row stands for (identical texts share a row), so
    document frequencies are those of all the units."""
    counts.data = np.log(counts.data) + 1.0
    n_docs = counts.shape[0]
    entry_weights = None
    if weights is not None:
        n_docs = int(weights.sum())
        entry_weights = np.repeat(weights, np.diff(counts.indptr)).astype(np.float64)
    df = np.bincount(counts.indices, weights=entry_weights, minlength=counts.shape[1])
    idf = np.log(np.full(counts.shape[1], float(n_docs + 1)) / (df + 1.0)) + 1.0
    counts.data *= idf[counts.indices]
    squares = counts.multiply(counts).sum(axis=1)
    norms = np.sqrt(np.asarray(squares).ravel())
    norms[norms == 0] = 1.0
    counts.data /= np.repeat(norms, np.diff(counts.indptr))
    return counts


def _char_tfidf(texts: Sequence[str], weights: np.ndarray | None = None):  # type: ignore[no-untyped-def]
    """TF-IDF of character 3-5-grams within words (the ``char_wb`` counts, computed per
    distinct word and spread to the texts by a sparse product)."""
    from scipy.sparse import csr_matrix

    counts, vocab = _count_matrix([_tokens(t)[1] for t in texts])
    per_word = [_char_ngrams(word) for word in vocab]
    flat = list(chain.from_iterable(per_word))
    grams = _numbering(flat)
    cols = np.fromiter(map(grams.__getitem__, flat), np.int64, len(flat))
    rows = np.repeat(np.arange(len(per_word)), [len(g) for g in per_word])
    spread = csr_matrix(
        (np.ones(len(flat), dtype=np.float64), (rows, cols)),
        shape=(counts.shape[1], max(len(grams), 1)),
    )
    chars = _tfidf((counts @ spread).tocsr(), weights).astype(np.float32)
    chars.sort_indices()  # once here, not in every row product
    return chars


def _jaccard(matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Jaccard overlap of the binary rows ``rows[k]`` and ``cols[k]`` of ``matrix``."""
    inter = _row_dots(matrix, rows, cols)
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    union = sizes[rows] + sizes[cols] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def _row_dots(matrix, rows: np.ndarray, cols: np.ndarray, chunk: int = 50_000) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Dot products of the row pairs ``(rows[k], cols[k])`` of a CSR matrix, in chunks
    (a full ``matrix @ matrix.T`` would be nearly dense for character n-grams)."""
    out = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        out[start : start + chunk] = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return out


def _text_dots(matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Dot products of the rows ``a[k]`` and ``b[k]`` of ``matrix``, each distinct pair once."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys, inverse = np.unique(lo * matrix.shape[0] + hi, return_inverse=True)
    ua, ub = keys // matrix.shape[0], keys % matrix.shape[0]
    dots = np.empty(len(keys), dtype=np.float64)
    same = ua == ub
    if same.any():
        squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
        dots[same] = squares[ua[same]]
    dots[~same] = _row_dots(matrix, ua[~same], ub[~same])
    return dots[inverse.ravel()]


def _dated_pairs(  # type: ignore[no-untyped-def]
    words, chars, ents, nums, block, days: np.ndarray, max_gap: float, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``similar_pair_arrays`` for units with dates: the same pairs and scores, found
    date bucket by date bucket with sparse products.

    Dated units are bucketed by ``max_gap``-day spans (a pair that close lies in one
    bucket or two neighbouring ones), so each bucket is compared with itself and the
    next only; an undated unit (NaN) with every unit. Within a bucket pair every
    similarity comes from one product of the rows (in chunks of rows, so memory stays
    bounded): whole articles near in time share most words, and row-by-row dot
    products of their character n-grams cost far more than the products.
    """
    n = words.shape[0]
    ent_sizes = np.asarray(ents.sum(axis=1)).ravel()
    num_sizes = np.asarray(nums.sum(axis=1)).ravel()
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def jaccard(matrix, sizes, left, right, li, rj):  # type: ignore[no-untyped-def]
        inter = (matrix[left] @ matrix[right].T).toarray()[li, rj]
        union = sizes[left][li] + sizes[right][rj] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(union > 0, inter / union, 0.0)

    def compare(left: np.ndarray, right: np.ndarray, same: bool, chunk: int = 500) -> None:
        for start in range(0, len(left), chunk):
            part = left[start : start + chunk]
            shared = (block[part] @ block[right].T).toarray() > 0  # the blocking rule
            if same:  # one bucket with itself: each pair once
                shared &= part[:, None] < right[None, :]
            gap = np.abs(days[part][:, None] - days[right][None, :])
            li, rj = np.nonzero(shared & (np.isnan(gap) | (gap <= max_gap)))
            if not len(li):
                continue
            score = (
                WORD_WEIGHT * (words[part] @ words[right].T).toarray()[li, rj]
                + CHAR_WEIGHT * (chars[part] @ chars[right].T).toarray()[li, rj]
                + ENTITY_WEIGHT * jaccard(ents, ent_sizes, part, right, li, rj)
                + NUMBER_WEIGHT * jaccard(nums, num_sizes, part, right, li, rj)
            )
            keep = score >= threshold
            a, b = part[li[keep]], right[rj[keep]]
            found.append((np.minimum(a, b), np.maximum(a, b), score[keep]))

    undated = np.flatnonzero(np.isnan(days))
    dated = np.flatnonzero(~np.isnan(days))
    if len(dated):
        bucket = np.floor(days[dated] / max(max_gap, 1.0)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        dated, bucket = dated[order], bucket[order]
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        ends = np.r_[starts[1:], len(dated)]
        for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
            compare(dated[start:end], dated[start:end], same=True)
            if k + 1 < len(starts) and bucket[starts[k + 1]] == bucket[start] + 1:
                compare(dated[start:end], dated[starts[k + 1] : ends[k + 1]], same=False)
    if len(undated):
        compare(undated, undated, same=True)
        compare(undated, dated, same=False)
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    rows = np.concatenate([f[0] for f in found]).astype(np.int64)
    cols = np.concatenate([f[1] for f in found]).astype(np.int64)
    scores = np.concatenate([f[2] for f in found])
    order = np.argsort(rows * n + cols, kind="stable")
    return rows[order], cols[order], scores[order].astype(np.float64)


def similar_pairs(
    units: Sequence[Unit],
    threshold: float = 0.0,
    allowed: np.ndarray | None = None,
    block_max_df: float | None = None,
    char_bound: float | None = None,
    days: np.ndarray | None = None,
    max_gap: float = 0.0,
) -> list[tuple[int, int, float]]:
    """Scored pairs ``(i, j, score)`` with ``i < j`` and ``score >= threshold`` (see
    ``similar_pair_arrays`` for the parameters)."""
    rows, cols, scores = similar_pair_arrays(
        units, threshold, allowed, block_max_df, char_bound, days, max_gap
    )
    return list(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True))


def similar_pair_arrays(
    units: Sequence[Unit],
    threshold: float = 0.0,
    allowed: np.ndarray | None = None,
    block_max_df: float | None = None,
    char_bound: float | None = None,
    days: np.ndarray | None = None,
    max_gap: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored pairs as three arrays ``(i, j, score)``, ``i < j``, ``score >= threshold``.

    ``allowed`` is an optional array of group labels (one per unit): pairs inside
    the same group are skipped (alignment passes article numbers, so a sentence is
    never compared with its own article's sentences).

    ``block_max_df`` (optional, a fraction of the units): words and entities found
    in more units than this (and in more than ``_BLOCK_MIN_DF``) do not make a pair
    a candidate on their own. ``None`` (the default) blocks on every shared word.

    ``char_bound`` (optional): the character cosine assumed out of reach for a
    candidate. A candidate whose words, entities and numbers score so little that
    even this character cosine would leave it under ``threshold`` is dropped without
    computing its character cosine, the costliest part (sentences that share almost no
    word are not near in character n-grams either: over the 1,449 candidate pairs of
    the 14 Feb seed story and 35,000 of a 20-article benchmark story, no pair whose
    other parts score under 0.015 had a character cosine above 0.28).

    ``days`` (optional, one float per unit, NaN for "no date") with ``max_gap``: only
    units at most ``max_gap`` days apart (or either undated) are compared, date bucket
    by date bucket (``_dated_pairs``), so the work grows with the units near each other
    in time, not with the square of all of them. The weights, IDF included, are still
    those of all the units: the pairs and scores are those of comparing everything and
    dropping the pairs too far apart (``char_bound`` is not needed there: every score
    comes from one product).
    """
    n = len(units)
    none = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))
    if n < 2:
        return none
    from scipy.sparse import triu

    # Identical texts (wire copy, a repeated quote) share one row of each TF-IDF, and
    # each distinct pair of texts is compared once.
    text_id: dict[str, int] = {}
    tids = np.fromiter((text_id.setdefault(u.text, len(text_id)) for u in units), np.int64, n)
    distinct = list(text_id)
    weights = np.bincount(tids, minlength=len(distinct))
    words, _ = _count_matrix([_tokens(t)[0] for t in distinct])
    if not words.nnz:  # nothing but stop words
        return none
    words = _tfidf(words, weights)
    chars = _char_tfidf(distinct, weights)
    ents = _binary_matrix([u.entities for u in units])
    nums = _binary_matrix([u.number_set() for u in units])

    # Blocking: candidates share a content word or an entity.
    block_words, block_ents = words[tids], ents
    if block_max_df is not None:
        limit = max(block_max_df * n, _BLOCK_MIN_DF)
        block_words = _drop_frequent(block_words, limit)
        block_ents = _drop_frequent(ents, limit)
    if days is not None:
        if allowed is not None:
            raise ValueError("days and allowed do not go together")
        from scipy.sparse import hstack

        return _dated_pairs(
            words[tids],
            chars[tids],
            ents,
            nums,
            hstack([block_words, block_ents]).tocsr(),
            np.asarray(days, dtype=np.float64),
            max_gap,
            threshold,
        )
    candidates = triu(block_words @ block_words.T + block_ents @ block_ents.T, k=1).tocoo()
    rows, cols = candidates.row, candidates.col
    if allowed is not None and len(rows):
        keep = allowed[rows] != allowed[cols]
        rows, cols = rows[keep], cols[keep]
    if not len(rows):
        return none
    # Every similarity is computed for the candidate pairs only, as dot products of
    # their (sparse) rows: a full product would be nearly dense for character n-grams.
    word_sim = _text_dots(words, tids[rows], tids[cols])
    ent_sim = _jaccard(ents, rows, cols)
    num_sim = _jaccard(nums, rows, cols)
    char_sim = np.zeros(len(rows))
    hopeful = np.ones(len(rows), dtype=bool)
    if char_bound is not None:
        rest = WORD_WEIGHT * word_sim + ENTITY_WEIGHT * ent_sim + NUMBER_WEIGHT * num_sim
        hopeful = rest + CHAR_WEIGHT * char_bound >= threshold
    char_sim[hopeful] = _text_dots(chars, tids[rows[hopeful]], tids[cols[hopeful]])
    score = (
        WORD_WEIGHT * word_sim
        + CHAR_WEIGHT * char_sim
        + ENTITY_WEIGHT * ent_sim
        + NUMBER_WEIGHT * num_sim
    )
    keep = score >= threshold
    return rows[keep].astype(np.int64), cols[keep].astype(np.int64), score[keep]
