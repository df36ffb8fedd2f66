"""Word diff between two aligned sentences: what another outlet inserted, removed or changed.

Owns: ``word_diff(baseline, other)``, the list of equal/insert/delete/replace
operations over word tokens, each with its character spans in both strings so a
view can highlight them. Must not: import Textual or spaCy, or decide what is
aligned with what (that is ``reader.analysis.alignment``).

Tokens are runs of non-space characters, so punctuation stays attached to its word
("Kyiv," "forces."). Tokens are compared by a key that ignores case, the kind of
quotation mark and surrounding punctuation, so ``"dramatic`` and ``'dramatic`` or
``forces."`` and ``forces`` are equal: the diff shows changes of wording, not of
typography. The matching is ``difflib.SequenceMatcher`` (the standard library's
well-kept implementation) with its junk heuristic off, as sentences are short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

OpKind = Literal["equal", "insert", "delete", "replace"]

_TOKEN = re.compile(r"\S+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "„": '"', "«": '"', "»": '"'})
_EDGE_PUNCT = "\"'()[]{}.,;:!?…—–-*"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        plain = self.text.translate(_QUOTES).lower()
        stripped = plain.strip(_EDGE_PUNCT)
        return stripped or plain


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step from the baseline sentence to the other: ``kind`` over the baseline's
    ``base_start:base_end`` and the other's ``other_start:other_end`` (character
    offsets; an insert has an empty baseline span, a delete an empty other span)."""

    kind: OpKind
    base_start: int
    base_end: int
    other_start: int
    other_end: int
    base_text: str
    other_text: str


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` with their character offsets (punctuation attached)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _span(tokens: list[Token], lo: int, hi: int, fallback: int) -> tuple[int, int]:
    if lo >= hi:
        return fallback, fallback
    return tokens[lo].start, tokens[hi - 1].end


def word_diff(baseline: str, other: str) -> list[DiffOp]:
    """Operations turning ``baseline`` into ``other``, word by word, in order."""
    a, b = tokenize(baseline), tokenize(other)
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # An empty span sits where the missing words would be: after the previous token.
        base_at = a[i1 - 1].end if 0 < i1 <= len(a) else 0
        other_at = b[j1 - 1].end if 0 < j1 <= len(b) else 0
        bs, be = _span(a, i1, i2, base_at)
        os_, oe = _span(b, j1, j2, other_at)
        ops.append(DiffOp(tag, bs, be, os_, oe, baseline[bs:be], other[os_:oe]))  # type: ignore[arg-type]
    return ops


def changed_share(ops: list[DiffOp]) -> float:
    """Share of the other sentence's characters that are not equal to the baseline."""
    total = sum(op.other_end - op.other_start for op in ops)
    changed = sum(op.other_end - op.other_start for op in ops if op.kind != "equal")
    return changed / total if total else 0.0
