"""Issue 17 items 6, 7, 11 and 12: text that reaches the terminal or a Markdown viewer
by a way other than the ingestion gate, and the characters scripts need."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reader.cli import main
from reader.sanitize import clean_line, clean_text, drawable, markdown_inline
from reader.store import Store
from tests.tui_helpers import app_for, settle

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
SEQUENCES = OSC_TITLE + OSC_CLIPBOARD + "\x1b[2J\x9b6n\x9d2;PWNED\x9c"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def clean(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\x9c\x9d") and "PWNED" not in text


# -- item 12: what scripts need is kept --------------------------------------------------
KEPT = [
    ("emoji-zwj-family", "family \U0001f468\u200d\U0001f469\u200d\U0001f467 here"),
    ("persian-zwnj", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),  # می‌خواهم
    ("devanagari-zwj", "\u0915\u094d\u200d\u0937"),  # क्‍ष
    ("malayalam-zwnj", "\u0d15\u0d4d\u200c\u0d15"),
    ("rlm-mark", "price 20\u200f$ today"),
    ("arabic-letter-mark", "\u0661\u061c\u0662"),
]
REMOVED = [
    ("bidi-override", "abc\u202edcba\u202c", "abcdcba"),
    ("bidi-isolate", "x\u2066y\u2069z", "xyz"),
    ("zero-width-space", "pay\u200bpal", "paypal"),
    ("joiners-between-ascii", "paypal\u200c.\u200dcom", "paypal.com"),
    ("tag-characters", "hi\U000e0041\U000e0042", "hi"),
    ("c0-c1", "a\x00b\x85c\x81d", "ab\n\ncd"),
    ("osc-title", f"a{OSC_TITLE}b", "ab"),
]


@pytest.mark.parametrize("text", [t for _, t in KEPT], ids=[n for n, _ in KEPT])
def test_the_sanitizer_keeps_what_scripts_need(text: str) -> None:
    assert clean_text(text) == text
    assert clean_line(text) == text
    assert drawable(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"), [(r, e) for _, r, e in REMOVED], ids=[n for n, _, _ in REMOVED]
)
def test_the_sanitizer_removes_what_spoofs_or_controls(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


# -- item 6: the draw-time guard ------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"title{SEQUENCES}", "title"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("we believe that [Putin] has", "we believe that [Putin] has"),
        ("x\u202ey", "xy"),
        ("a\x7fb\x08c", "abc"),
    ],
    ids=["sequences", "newline-tab-kept", "markup-is-text", "bidi-override", "del-backspace"],
)
def test_drawable(raw: str, expected: str) -> None:
    assert drawable(raw) == expected


def foreign_written(db: Path) -> None:
    """Escapes written by another tool straight into every string column we draw."""
    store = Store(db)
    from reader.ingest.seeds import import_seeds

    import_seeds(store)
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    store.tag_feed(feed.id, ["world"])
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET title = title || ?, outlet = outlet || ?", (SEQUENCES,) * 2)
    conn.execute("UPDATE feeds SET name = name || ?, last_error = ?", (SEQUENCES,) * 2)
    conn.execute("UPDATE feed_tags SET tag = tag || ?", (SEQUENCES,))
    conn.commit()
    conn.close()


def test_cli_output_of_a_library_written_by_another_tool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    foreign_written(db)
    for command in (["list"], ["list", "--filter", "dw"], ["feeds", "list"]):
        code, out, err = run(capsys, "--db", str(db), *command)
        assert code == 0, err
        assert clean(out) and clean(err), (command, out)
    code, out, _ = run(capsys, "--db", str(db), "list")
    assert "DW\t2022-02-14\tUkraine latest" in out  # the text itself is all there


# -- item 7: file names ---------------------------------------------------------------------
def test_import_and_opml_paths_with_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    named = tmp_path / f"report{OSC_TITLE}.txt"
    named.write_text("An article that came from a file with a hostile name.", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "import", str(named))
    assert code == 0 and "imported:" in out and clean(out) and clean(err)
    for args in (
        ["import", str(tmp_path / f"missing{OSC_TITLE}.txt")],
        ["import", str(tmp_path / f"wrong{OSC_CLIPBOARD}.pdf")],
        ["feeds", "import", str(tmp_path / f"subs{OSC_TITLE}.opml")],
    ):
        code, out, err = run(capsys, "--db", db, *args)
        assert code == 1 and err.startswith("parallax: ")
        assert clean(out) and clean(err), err


async def test_a_theme_file_name_with_escapes_is_drawn_clean(analysed_db: Path) -> None:
    from reader.config import user_config_dir

    themes = user_config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / f"evil{OSC_TITLE}.toml").write_text("not = [valid", encoding="utf-8")
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("evil" in s and "theme skipped" in s for s in shown), shown
        assert all(clean(s) for s in shown), shown


# -- item 11: the Markdown export ------------------------------------------------------------
HOSTILE_MD = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![tracker](http://evil.example/pixel.png)",
    "[click](javascript:alert(1))",
    "<http://evil.example/auto>",
    "**bold** _em_ `code` # heading | table |",
]


@pytest.mark.parametrize("text", HOSTILE_MD)
def test_markdown_inline_renders_as_the_text_itself(text: str) -> None:
    html = MarkdownIt("commonmark").render(f"- {markdown_inline(text)}")
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<strong>" not in html and "<em>" not in html and "<code>" not in html
    # what a reader sees is the original text
    import html as html_lib
    import re

    shown = html_lib.unescape(re.sub(r"<[^>]+>", "", html)).strip()
    assert shown == text


def test_markdown_export_escapes_titles_and_outlets(
    analysed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(analysed_db)
    conn.execute(
        "UPDATE articles SET title = ? || title, outlet = outlet || ?",
        (HOSTILE_MD[0] + HOSTILE_MD[2], HOSTILE_MD[1]),
    )
    conn.execute("UPDATE stories SET title = ? || title", (HOSTILE_MD[3],))
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "--db", str(analysed_db), "export", "--format", "md")
    assert code == 0, err
    html = MarkdownIt("commonmark").render(out)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
