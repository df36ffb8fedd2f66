"""English stop words: scikit-learn's list, without importing scikit-learn.

Owns: ``english_stop_words``. Why not ``from sklearn.feature_extraction.text import
ENGLISH_STOP_WORDS``: that import runs scikit-learn's package set-up, which imports
scipy.stats (measured 1.4 s on an idle 2-core machine, more under load), and the
similarity measure, the story grouping and the alignment need nothing else from it.
The list (the Glasgow IR group's, as scikit-learn ships it) is read from
scikit-learn's own module file, executed on its own; if that file is ever moved,
the normal import is the fallback.
"""

from __future__ import annotations

from functools import cache


@cache
def english_stop_words() -> frozenset[str]:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")  # finds the package; runs none of it
    if spec is not None and spec.origin:
        path = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
        try:
            namespace: dict[str, object] = {}
            exec(compile(path.read_bytes(), str(path), "exec"), namespace)
            words = namespace.get("ENGLISH_STOP_WORDS")
            if isinstance(words, frozenset) and words:
                return words
        except (OSError, SyntaxError):
            pass
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS
