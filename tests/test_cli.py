"""The command line, run as a user runs it (in-process via main(), and one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_in_a_pipe_is_tab_separated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(tmp_path / "db"), "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "outlet\tdate\ttitle\tid\tstate"
    rows = [line.split("\t") for line in lines[1:]]
    assert {r[4] for r in rows} == {"unread"}
    assert {(r[0], r[1]) for r in rows} == {
        ("DW", "2022-02-14"),
        ("JEN", "2022-02-14"),
        ("RFE/RL", "2022-02-14"),
        ("The Washington Post", "2022-02-14"),
        ("AFP via French-language outlet", "2022-01-18"),
    }


def test_export_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--format", "json", "--db", str(tmp_path / "db"))
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "parallax.export/1"
    assert set(data) >= {"articles", "stories", "entities", "timeline", "alignments", "framing"}
    assert len(data["articles"]) == 5
    for article in data["articles"]:
        assert set(article) == {"id", "outlet", "title", "published", "url", "origin", "text"}
    origins = {a["origin"] for a in data["articles"]}
    assert "003_a0ff64bcedeab269.txt" in origins
    # the four same-day seeds form one story, the January article its own
    sizes = sorted(len(s["article_ids"]) for s in data["stories"])
    assert sizes == [1, 4]
    for story in data["stories"]:
        assert set(story) == {"id", "title", "article_ids", "outlets"}
        # each outlet once ("outlets" is an addition to the contract's story fields)
        assert len(story["outlets"]) == len(set(story["outlets"]))


def test_export_one_story_and_unknown_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    _, out, _ = run(capsys, "--db", db, "export")
    story = max(json.loads(out)["stories"], key=lambda s: len(s["article_ids"]))
    code, out, _ = run(capsys, "--db", db, "export", "--story", story["id"])
    assert code == 0 and len(json.loads(out)["articles"]) == 4
    code, _, err = run(capsys, "--db", db, "export", "--story", "nope")
    assert code == 1 and err.count("\n") == 1 and "no story with id 'nope'" in err


def test_version_names_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("parallax ") and "en_core_web_sm" in out


@pytest.mark.parametrize(
    "args",
    [["--bogus"], ["list", "--nope"], ["export", "--format", "pdf"]],
    ids=["unknown-option", "unknown-sub-option", "bad-choice"],
)
def test_usage_errors_are_one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and err.startswith("parallax: ")


def test_unreadable_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    code, _, err = run(capsys, "--db", str(bad), "list")
    assert code == 1 and err.count("\n") == 1 and "not a readable Parallax database" in err
    assert bad.read_bytes() == b"this is not sqlite" * 100


def test_import_txt_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "db")
    txt = tmp_path / "note.txt"
    txt.write_text(
        "Local heading line here\n\nThe ministry said on Monday that talks would go on.\n"
    )
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Talks resume</title>"
        '<meta property="og:site_name" content="Example Times">'
        '<meta property="article:published_time" content="2022-02-15T10:00:00Z"></head><body>'
        "<article><h1>Talks resume</h1><p>Diplomats met again on Tuesday in Geneva to discuss "
        "the crisis, officials said, adding that [more] talks were planned.</p>"
        "<p>A second paragraph keeps the extractor convinced this is an article body.</p>"
        "</article></body></html>"
    )
    code, out, _ = run(capsys, "--db", db, "import", str(txt), str(html))
    assert code == 0 and out.count("imported:") == 2
    code, out, _ = run(capsys, "--db", db, "import", str(txt))
    assert "already in the library" in out
    _, out, _ = run(capsys, "--db", db, "export")
    data = json.loads(out)
    page = next(a for a in data["articles"] if a["title"] == "Talks resume")
    assert page["outlet"] == "Example Times" and page["published"] == "2022-02-15"
    assert page["origin"] == str(html.resolve()) and "[more] talks" in page["text"]


def test_import_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "db"), "import", str(tmp_path / "nope.txt"))
    assert code == 1 and err.strip().endswith("no such file") and err.count("\n") == 1


def test_python_dash_m_reader_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(tmp_path / "db"), "list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "The Washington Post" in result.stdout and result.stderr == ""


def test_export_fills_alignments_framing_and_markdown(
    analysed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(analysed_db), "export")
    data = json.loads(out)
    assert code == 0 and data["alignments"]
    for group in data["alignments"]:
        assert {"id", "members"} <= set(group)
        assert all({"article_id", "sentence"} <= set(m) for m in group["members"])
    framing = data["framing"]
    assert {"quotes", "numbers", "naming", "unique", "disagreements"} <= set(framing)
    # JEN's "more than 100,000 troops" agrees with 130,000 (a bound), and the January
    # article's count is another moment: no troop disagreement (test_disagreements.py).
    assert not [n for n in framing["numbers"] if n["what"].startswith("troops")]
    kyiv = next(n for n in framing["naming"] if n["entity"] == "Kyiv")
    assert set(kyiv["variants"]) == {"Kyiv", "Kiev"}
    assert all({"article_id", "speaker", "text"} <= set(q) for q in framing["quotes"])
    code, out, _ = run(capsys, "--db", str(analysed_db), "export", "--format", "md")
    assert code == 0 and out.startswith("# Parallax comparison")
    assert "## Story: " in out and "130,000" in out


# -- issue 11: filters, prune, tags ----------------------------------------------------


def test_list_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "db")
    code, out, err = run(capsys, "list", "--filter", "outlet:the shoigu", "--db", db)
    assert code == 0 and err == ""
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert [r[0] for r in rows] == ["The Washington Post"]
    store = Store(db)
    store.set_read([rows[0][3]], True)
    store.toggle_saved(rows[0][3])
    store.close()
    code, out, err = run(capsys, "list", "--filter", "saved", "--db", db)
    assert [line.split("\t")[4] for line in out.splitlines()[1:]] == ["read,saved"]
    code, out, err = run(capsys, "list", "--filter", "unread", "--limit", "2", "--db", db)
    assert code == 0 and len(out.splitlines()) == 3
    assert "showing the newest 2 matches; more match" in err
    code, out, err = run(capsys, "list", "--filter", 'NEAR( "embassy* -', "--db", db)
    assert code == 0
    code, out, err = run(capsys, "list", "--filter", "colour:red", "--db", db)
    assert (code, out) == (1, "")
    assert err.startswith("parallax: unknown filter 'colour:'") and err.count("\n") == 1


def test_prune_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from reader.models import NewArticle
    from reader.store import Store

    db = tmp_path / "db"
    store = Store(db)
    feed, _ = store.add_feed("https://example.org/feed", "Ex")
    article, _ = store.add_article(
        NewArticle("Ex", "Old read item", "Text of an old item.", date(2020, 1, 1),
                   "https://example.org/1", url="https://example.org/1", feed_id=feed.id,
                   guid="1")
    )  # fmt: skip
    store.set_read([article.id])
    store.conn.execute("UPDATE articles SET read_at = '2020-01-02T00:00:00Z'")
    store.close()
    code, out, _ = run(capsys, "prune", "--db", str(db))
    assert code == 0 and out.startswith("retention is off")
    code, out, _ = run(capsys, "prune", "--days", "30", "--dry-run", "--db", str(db))
    assert code == 0 and out.startswith("would delete 1 feed article ")
    code, out, _ = run(capsys, "prune", "--days", "30", "--db", str(db))
    assert code == 0 and out.startswith("deleted 1 feed article ")
    code, out, _ = run(capsys, "prune", "--days", "30", "--db", str(db))
    assert out.startswith("deleted 0 feed articles")
    code, _, err = run(capsys, "prune", "--days", "0", "--db", str(db))
    assert (code, err) == (1, "parallax: --days must be at least 1\n")


def test_prune_uses_the_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.config import Settings, user_config_dir
    from tests.settings_file import write_settings

    write_settings(Settings(keep_read_days=7))
    assert Settings.load(user_config_dir() / "config.toml").keep_read_days == 7
    code, out, _ = run(capsys, "prune", "--dry-run", "--db", str(tmp_path / "db"))
    assert code == 0 and out.startswith("would delete 0 feed articles read more than 7 days")


def test_feeds_add_with_tags_tag_and_untag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db")
    code, out, _ = run(
        capsys, "feeds", "add", "https://example.org/rss", "--name", "Ex",
        "--tag", "world", "--tag", "Europe", "--db", db,
    )  # fmt: skip
    assert code == 0 and "tags: world, Europe" in out
    code, out, _ = run(capsys, "feeds", "list", "--db", db)
    assert out.splitlines()[0].endswith("\ttags")
    assert out.splitlines()[1].endswith("\tworld,Europe")
    code, out, _ = run(capsys, "feeds", "tag", "Ex", "politics", "WORLD", "--db", db)
    assert (code, out) == (0, "Ex: added politics; tags: world, Europe, politics\n")
    code, out, _ = run(capsys, "feeds", "untag", "1", "europe", "--db", db)
    assert (code, out) == (0, "Ex: removed europe; tags: world, politics\n")
    code, out, _ = run(capsys, "feeds", "untag", "1", "nope", "--db", db)
    assert code == 1 and "had none of those tags" in out
    code, _, err = run(capsys, "feeds", "tag", "nope", "x", "--db", db)
    assert (code, err) == (1, "parallax: no feed matches 'nope' (see parallax feeds list)\n")
    code, out, _ = run(capsys, "list", "--filter", "tag:politics", "--db", db)
    assert code == 0 and out.splitlines() == ["outlet\tdate\ttitle\tid\tstate"]


@pytest.mark.parametrize("query", ["[/x] embassy", "[bold]embassy"])
def test_list_on_a_terminal_quotes_the_filter_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """The table's title quotes the filter: text, not Rich markup (``[/x]`` was a
    MarkupError traceback)."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, "list", "--filter", query, "--db", str(tmp_path / "db"))
    assert code == 0 and "Traceback" not in err
    assert f"match “{query}”" in out
