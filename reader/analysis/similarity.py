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
candidate; they still count in the score of the pairs that are compared. The
character n-grams are counted once per distinct word and spread to the texts by a
sparse product (the same counts as scikit-learn's ``char_wb`` analyzer, about five
times faster). Must not: import spaCy or
Textual; it works on plain strings and ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

WORD_WEIGHT = 0.35
CHAR_WEIGHT = 0.35
ENTITY_WEIGHT = 0.20
NUMBER_WEIGHT = 0.10

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.])\d+(?:\.\d+)?(?![\d])")
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text states, normalised ("130,000" and "130000" are one)."""
    found = {m.group().replace(",", "") for m in _NUMBER.finditer(text)}
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _NUMBER_WORDS:
            found.add(str(_NUMBER_WORDS[word]))
    return frozenset(found)


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


def _drop_frequent(matrix, limit: float):  # type: ignore[no-untyped-def]
    """``matrix`` without the columns of features present in more than ``limit`` rows."""
    df = np.diff(matrix.tocsc().indptr)
    keep = np.flatnonzero(df <= limit)
    return matrix[:, keep]


def _char_ngrams(word: str, low: int = 3, high: int = 5) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one word (padded with a space each side)."""
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        grams.extend(padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1))
        if len(padded) <= n:  # a short word counts once, at its full length
            break
    return grams


def _char_tfidf(texts: Sequence[str]):  # type: ignore[no-untyped-def]
    """TF-IDF of character 3-5-grams within words (the ``char_wb`` counts, computed per
    distinct word and spread to the texts by a sparse product)."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    counter = CountVectorizer(analyzer=str.split, lowercase=False)
    counts = counter.fit_transform([t.lower() for t in texts])
    grams: dict[str, int] = {}
    rows, cols = [], []
    for word, i in counter.vocabulary_.items():
        for gram in _char_ngrams(word):
            rows.append(i)
            cols.append(grams.setdefault(gram, len(grams)))
    spread = csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)),
        shape=(len(counter.vocabulary_), max(len(grams), 1)),
    )
    return TfidfTransformer(sublinear_tf=True).fit_transform((counts @ spread).tocsr())


def _pair_values(product, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The entries ``product[rows[k], cols[k]]`` of a sparse matrix, as a flat array."""
    return np.asarray(product[rows, cols]).ravel()


def _jaccard(matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Jaccard overlap of the binary rows ``rows[k]`` and ``cols[k]`` of ``matrix``."""
    inter = _pair_values((matrix @ matrix.T).tocsr(), rows, cols)
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


def similar_pairs(
    units: Sequence[Unit],
    threshold: float = 0.0,
    allowed: np.ndarray | None = None,
    block_max_df: float | None = None,
) -> list[tuple[int, int, float]]:
    """Scored pairs ``(i, j, score)`` with ``i < j`` and ``score >= threshold``.

    ``allowed`` is an optional array of group labels (one per unit): pairs inside
    the same group are skipped (alignment passes article numbers, so a sentence is
    never compared with its own article's sentences).

    ``block_max_df`` (optional, a fraction of the units): words and entities found
    in more units than this (and in more than ``_BLOCK_MIN_DF``) do not make a pair
    a candidate on their own. ``None`` (the default) blocks on every shared word.
    """
    n = len(units)
    if n < 2:
        return []
    from scipy.sparse import triu
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [u.text for u in units]
    try:
        words = TfidfVectorizer(
            stop_words="english",
            ngram_range=(1, 2),
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w[\w'’-]*\w\b|\b\d+\b",
            min_df=1,
        ).fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    chars = _char_tfidf(texts)
    ents = _binary_matrix([u.entities for u in units])
    nums = _binary_matrix([u.number_set() for u in units])

    # Blocking: candidates share a content word or an entity.
    block_words, block_ents = words, ents
    if block_max_df is not None:
        limit = max(block_max_df * n, _BLOCK_MIN_DF)
        block_words = _drop_frequent(words, limit)
        block_ents = _drop_frequent(ents, limit)
    word_products = (words @ words.T).tocsr()
    if block_words is words:
        shared_words = word_products
    else:
        shared_words = block_words @ block_words.T
    candidates = triu(shared_words + block_ents @ block_ents.T, k=1).tocoo()
    rows, cols = candidates.row, candidates.col
    if allowed is not None and len(rows):
        keep = allowed[rows] != allowed[cols]
        rows, cols = rows[keep], cols[keep]
    if not len(rows):
        return []
    # Word cosines come straight from the (sparse) product that blocking needed anyway;
    # character cosines are computed for the candidate pairs only.
    word_sim = _pair_values(word_products, rows, cols)
    char_sim = _row_dots(chars, rows, cols)
    score = (
        WORD_WEIGHT * word_sim
        + CHAR_WEIGHT * char_sim
        + ENTITY_WEIGHT * _jaccard(ents, rows, cols)
        + NUMBER_WEIGHT * _jaccard(nums, rows, cols)
    )
    keep = score >= threshold
    return [
        (int(i), int(j), float(s))
        for i, j, s in zip(rows[keep], cols[keep], score[keep], strict=True)
    ]
