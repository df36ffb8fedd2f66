"""`parallax stories` (issue 20, item 13) and `parallax import` titles, --outlet and
--date (item 14), through the command line's main()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.ingest.files import headline


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_stories_lists_ids_that_export_takes(
    analysed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(analysed_db), "stories")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "id\tarticles\toutlets\tdates\ttitle"
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[1] for r in rows] == ["4", "1"]
    assert rows[0][2] == "DW, JEN, RFE/RL, The Washington Post" and rows[0][3] == "2022-02-14"
    code, out, _ = run(capsys, "--db", str(analysed_db), "export", "--story", rows[0][0])
    assert code == 0 and len(json.loads(out)["articles"]) == 4
    code, _, err = run(capsys, "--db", str(analysed_db), "export", "--story", "nope")
    assert code != 0 and "parallax stories" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks resume in Geneva\n\nDiplomats met again on Tuesday.", "Talks resume in Geneva"),
        ("Why did the embassy move?\nOfficials gave no reason.", "Why did the embassy move?"),
        ("Diplomats met again on Tuesday in Geneva.\nMore followed.", None),  # a sentence
        ("Officials said:\nthe talks go on.", None),  # a clause
        ("Only one line here", None),  # nothing follows
        ("Embassy\n\nOne word is a label, not a headline.", None),
        (" ".join(["word"] * 20) + "\nmore", None),  # too long
    ],
    ids=["headline", "question", "sentence", "clause", "alone", "one-word", "long"],
)
def test_headline_rule(text: str, expected: str | None) -> None:
    assert headline(text) == expected


def test_import_txt_takes_its_headline_outlet_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    note = tmp_path / "note.txt"
    note.write_text("Talks resume in Geneva\n\nDiplomats met again on Tuesday, officials said.\n")
    code, out, _ = run(
        capsys, "--db", db, "import", str(note), "--outlet", "Example Times", "--date", "2022-02-15"
    )
    assert code == 0 and "Example Times · 2022-02-15 — Talks resume in Geneva" in out
    _, out, _ = run(capsys, "--db", db, "export")
    article = next(a for a in json.loads(out)["articles"] if a["title"] == "Talks resume in Geneva")
    assert article["outlet"] == "Example Times" and article["published"] == "2022-02-15"
    assert article["text"].startswith("Talks resume in Geneva")  # nothing dropped


def test_import_without_outlet_says_where_the_name_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Diplomats met again on Tuesday, officials said, and more talks follow.\n")
    code, out, _ = run(capsys, "--db", str(tmp_path / "db"), "import", str(note))
    assert code == 0 and "note · undated" in out and "set it with --outlet" in out


def test_import_refuses_a_bad_date_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Text.\n")
    code, _, err = run(capsys, "--db", str(tmp_path / "db"), "import", str(note), "--date", "14/2")
    assert code != 0 and err.count("\n") == 1 and "YYYY-MM-DD" in err
