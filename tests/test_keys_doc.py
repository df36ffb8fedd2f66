"""docs/keys.md is generated from the bindings (issue 20, item 9): stale, this fails."""

from __future__ import annotations

from pathlib import Path

from reader.tui.keys_doc import keys_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "keys.md"


def test_keys_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/keys.md is stale: run `.venv/bin/python -m reader.tui.keys_doc > docs/keys.md`"
    )


def test_keys_doc_lists_the_keys_a_newcomer_missed() -> None:
    text = keys_markdown()
    for key in ("`tab`", "`pgup`", "`pgdn`", "`home`", "`end`", "`z`", "`j`"):
        assert key in text, key
    assert "The timeline pane" in text and "`compare.next_mention`" in text
