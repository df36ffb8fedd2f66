"""The ingestion gate: hostile strings come out as plain, printable text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.sanitize import clean_line, clean_text, derive_title, strip_escapes

HOSTILE = [
    ("csi-clear-screen", "before\x1b[2Jafter", "beforeafter"),
    ("csi-colour", "\x1b[31mred\x1b[0m", "red"),
    ("osc52-clipboard-bel", "x\x1b]52;c;cm0gLXJmIH4=\x07y", "xy"),
    ("osc52-clipboard-st", "x\x1b]52;c;cm0gLXJmIH4=\x1b\\y", "xy"),
    ("osc2-window-title", "a\x1b]2;pwned\x07b", "ab"),
    ("osc8-hyperlink", "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("dcs-sequence", "a\x1bP+q544e\x1b\\b", "ab"),
    ("device-attributes-query", "a\x1b[cb", "ab"),
    ("c1-csi", "a\x9b2Jb", "ab"),
    ("c1-osc", "a\x9d0;title\x9cb", "ab"),
    ("bel", "ding\x07dong", "dingdong"),
    ("nul-and-backspace", "a\x00b\x08c", "abc"),
    ("bidi-override", "abc\u202edcba\u202c", "abcdcba"),
    ("bidi-isolate", "x\u2066y\u2069z", "xyz"),
    ("zero-width", "pay\u200bpal", "paypal"),
    ("tag-characters", "hi\U000e0041\U000e0042", "hi"),
    (
        "markup-kept-as-text",
        "[bold]x[/b] [@click=app.quit]q[/]",
        "[bold]x[/b] [@click=app.quit]q[/]",
    ),
    ("seed-brackets-kept", "we believe that [Putin] has", "we believe that [Putin] has"),
    ("crlf-to-lf", "a\r\nb\rc", "a\nb\nc"),
    ("paragraphs-kept", "one\n\n\n\ntwo\nthree", "one\n\ntwo\nthree"),
    ("nfc", "Cafe\u0301", "Café"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [(r, e) for _, r, e in HOSTILE], ids=[name for name, _, _ in HOSTILE]
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_folds_whitespace_and_caps_length() -> None:
    assert clean_line("  a\n\tb  ") == "a b"
    assert len(clean_line("x" * 2_000_000)) == 1000


def test_title_derived_from_lede_skips_caption() -> None:
    text = (
        "File photo of US Embassy in Kyiv from Instagram/US Embassy Ukraine\n"
        "Kyiv, Ukraine (JEN): The United States is closing its embassy. More text follows here."
    )
    assert derive_title(text) == "Kyiv, Ukraine (JEN): The United States is closing its embassy."


def _is_clean(text: str) -> bool:
    for ch in text:
        if ch in "\n\t":
            continue
        cat = unicodedata.category(ch)
        if cat in {"Cc", "Cs"}:
            return False
        if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b":
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=400))
def test_any_input_gives_clean_text(raw: str) -> None:
    out = clean_text(raw)
    assert _is_clean(out)
    assert "\x1b" not in out
    assert clean_text(out) == out  # idempotent


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["\x1b", "[", "]", "\x9b", "\x9d", "\x07", "\\", "2J", "a", ";", "\n"]),
        max_size=60,
    ).map("".join)
)
def test_escape_fragments_never_survive(raw: str) -> None:
    out = strip_escapes(raw)
    assert "\x1b" not in out and "\x9b" not in out and "\x9d" not in out
