"""``clean_text`` returns already-clean text as it is (one regex search and an NFC
check instead of eight passes): that shortcut must give exactly what the passes give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.sanitize import _clean_line_steps, _clean_text_passes, clean_line, clean_text

# Characters the passes act on, mixed with plain text so that both branches run.
_SPECIAL = list(
    "\x00\x07\x1b\x7f\x80\x85\x9b\x9c\x9d\r\n\t\x0b\x0c \u00a0\u2028\u2029\u200b\u202e"
    "\u2066\ufeff\ufdd0\ufffe\U000e0041e\u0301\u00e9A\u030a\u212b[]\\"
)
_TEXT = st.lists(
    st.one_of(st.sampled_from(_SPECIAL), st.characters(codec="utf-8"), st.just("ab c")),
    max_size=40,
).map("".join)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(_TEXT)
def test_shortcut_gives_what_the_passes_give(text: str) -> None:
    assert clean_text(text) == _clean_text_passes(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_shortcut_on_any_text(text: str) -> None:
    assert clean_text(text) == _clean_text_passes(text)


def test_clean_text_is_returned_unchanged() -> None:
    text = "Kyiv, Lviv — the embassy moved.\n\nSecond paragraph, naïve café.\nA line."
    assert clean_text(text) is text
    assert clean_line("  a  title\t") == "a title"


def test_each_rule_still_applies() -> None:
    cases = {
        "a \n": "a",
        "\na": "a",
        "a\n": "a",
        "a\n\n\nb": "a\n\nb",
        "a\rb": "a\nb",
        "a\x0bb": "a\n\nb",
        "a\u2029b": "a\n\nb",
        "e\u0301": "\u00e9",
        "x\x1b[31mred": "xred",
        "x\x9b31mred": "xred",
        "a\u202eb": "ab",
        "a\u00a0": "a",
    }
    for raw, want in cases.items():
        assert clean_text(raw) == want, raw


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(_TEXT, st.integers(min_value=1, max_value=50))
def test_line_shortcut_gives_what_the_steps_give(text: str, limit: int) -> None:
    assert clean_line(text, limit) == _clean_line_steps(text, limit)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80), st.integers(min_value=1, max_value=100))
def test_line_shortcut_on_any_text(text: str, limit: int) -> None:
    assert clean_line(text, limit) == _clean_line_steps(text, limit)


def test_clean_line_is_returned_unchanged() -> None:
    line = "Feed 3 item 4: the embassy moves from Kyiv to Lviv — naïve café"
    assert clean_line(line) is line
    assert clean_line("a  b") == "a b"
    assert clean_line(" a") == "a"
    assert clean_line("a\u00a0b") == "a b"
    assert clean_line("abcdef", 4) == "abc…"
