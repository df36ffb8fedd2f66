"""The story cache (issue 20, item 15): a story's alignment, framing and timeline are
computed once, stored as JSON through one codec, and read back equal; a row that does
not decode is a miss; a warm export imports nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from reader.analysis import codec
from reader.analysis.cache import analyse_and_link
from reader.analysis.story_cache import StoryComparison, comparison_key
from reader.store import Store


def _story(store: Store):  # type: ignore[no-untyped-def]
    story = max(store.stories(), key=lambda s: len(s.article_ids))
    articles = store.get_articles(story.article_ids)
    analyses, index = analyse_and_link(store, articles)
    return articles, analyses, index


def test_a_story_comparison_reads_back_equal(analysed_store: Store) -> None:
    articles, analyses, index = _story(analysed_store)
    first = StoryComparison(analysed_store, articles, analyses, index)
    computed = (first.alignment(), first.framing(), first.timeline())
    assert computed[0].groups and computed[2]
    again = StoryComparison(analysed_store, articles, analyses, index)
    assert (again.alignment(), again.framing(), again.timeline()) == computed


def test_a_hit_computes_nothing(analysed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, analyses, index = _story(analysed_store)
    StoryComparison(analysed_store, articles, analyses, index).framing()

    def fail(*args: object) -> None:
        raise AssertionError("computed again")

    import reader.analysis.alignment as alignment
    import reader.analysis.framing as framing

    monkeypatch.setattr(alignment, "align_story", fail)
    monkeypatch.setattr(framing, "build_framing", fail)
    assert StoryComparison(analysed_store, articles, analyses, index).framing().outlets


def test_a_row_that_does_not_decode_is_a_miss(analysed_store: Store) -> None:
    articles, analyses, index = _story(analysed_store)
    expected = StoryComparison(analysed_store, articles, analyses, index).alignment()
    key = comparison_key("alignment", articles, articles)
    analysed_store.put_comparison(key, "alignment", b'{"groups": [{"id": 3}]}')
    assert StoryComparison(analysed_store, articles, analyses, index).alignment() == expected
    analysed_store.conn.execute(
        "UPDATE comparison_cache SET payload = x'00ff' WHERE key = ?", (key,)
    )
    assert StoryComparison(analysed_store, articles, analyses, index).alignment() == expected


def test_the_key_changes_with_the_articles_and_their_order(analysed_store: Store) -> None:
    articles, *_ = _story(analysed_store)
    key = comparison_key("alignment", articles, articles)
    assert comparison_key("alignment", articles[::-1], articles) != key
    assert comparison_key("alignment", articles[:2], articles) != key
    assert comparison_key("framing", articles, articles) != key


@dataclass(frozen=True, slots=True)
class _Old:
    name: str
    when: date
    pairs: dict[tuple[str, int], str]
    parts: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class _New:
    """``_Old`` after an analysis developer added fields: old rows still read."""

    name: str
    when: date
    pairs: dict[tuple[str, int], str]
    parts: tuple[tuple[str, float], ...]
    disagreements: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict)
    maybe: _Old | None = None


def test_codec_fields_by_name_added_fields_take_their_defaults() -> None:
    old = _Old("Blinken", date(2022, 2, 14), {("a", 3): "e1"}, (("x", 1.5), ("y", 2)))
    text = codec.dumps(old)
    assert codec.loads(_Old, text) == old
    assert codec.loads(_New, text) == _New(old.name, old.when, old.pairs, old.parts)
    new = _New("Lviv", date(2022, 2, 15), {}, (), ("troops",), {"a": 1}, old)
    assert codec.loads(_New, codec.dumps(new)) == new


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[]",
        '{"name": "x"}',  # fields missing, no default
        '{"name": 1, "when": "2022-02-14", "pairs": [], "parts": []}',
        '{"name": "x", "when": "14 Feb", "pairs": [], "parts": []}',
        '{"name": "x", "when": "2022-02-14", "pairs": [["a"]], "parts": []}',
        '{"name": "x", "when": "2022-02-14", "pairs": [], "parts": [["a", "b"]]}',
        '{"__class__": "os.system", "name": "x"}',
    ],
)
def test_codec_refuses_what_does_not_fit(payload: str) -> None:
    with pytest.raises(codec.DecodeError):
        codec.loads(_Old, payload)


def test_codec_output_is_plain_json() -> None:
    old = _Old("x", date(2022, 2, 14), {("a", 3): "e1"}, (("x", 1.5),))
    assert json.loads(codec.dumps(old)) == {
        "name": "x",
        "when": "2022-02-14",
        "pairs": [[["a", 3], "e1"]],
        "parts": [["x", 1.5]],
    }


def test_warm_export_imports_nothing_heavy(analysed_db: Path) -> None:
    """The first export fills the cache; the second loads JSON only: no scipy, scikit-learn
    or spaCy (and the same output)."""
    code = f"""
import sys
from reader.cli import main
main(["--db", {str(analysed_db)!r}, "export", "--output", sys.argv[1]])
print("HEAVY", sorted(m for m in ("scipy", "sklearn", "spacy") if m in sys.modules))
"""
    outputs = []
    for n in range(2):
        target = analysed_db.parent / f"export{n}.json"
        out = subprocess.run(
            [sys.executable, "-c", code, str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        outputs.append(target.read_text())
    assert "HEAVY []" in out
    assert outputs[0] == outputs[1]


def test_comparison_cache_keeps_at_most_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old comparisons (a story whose articles changed has a new key) do not pile up:
    past the cap the oldest written go, never the one just written."""
    from reader.store import caches

    monkeypatch.setattr(caches, "MAX_COMPARISONS", 3)
    store = Store(tmp_path / "cap.db")
    for n in range(6):
        store.put_comparison(f"key-{n}", "alignment", b"{}")
    kept = [r[0] for r in store._read("SELECT key FROM comparison_cache")]
    assert len(kept) == 3
    assert "key-5" in kept
    assert store.get_comparison("key-5") == b"{}"
