"""Counted nouns in the interface's English: "1 article", "2 articles".

Owns: ``count(n, noun)``, the one place that chooses singular or plural, for the
app and the command line. Must not: import anything from the rest of the package.
"""

from __future__ import annotations

IRREGULAR = {"entry": "entries", "story": "stories", "match": "matches", "this": "these"}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads after the number ``n`` ("article" / "articles")."""
    if n == 1:
        return noun
    return IRREGULAR.get(noun) or noun + "s"


def count(n: int, noun: str) -> str:
    """``"1 article"``, ``"2 articles"``, ``"0 articles"``."""
    return f"{n} {plural(noun, n)}"
