"""Issue 17 item 1: one paragraph longer than spaCy's ``max_length`` (1,000,000
characters) used to raise E088 and disable the analysis of the whole library.

Now long paragraphs are analysed in pieces (offsets mapped back), only the first
``MAX_ANALYSED_CHARS`` of an article are analysed and the export says so, and an
article whose analysis fails anyway is recorded as failed for itself alone. The
1,000,001-character article goes through fetch, import, the app and export.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.analysis import nlp
from reader.analysis.cache import (
    NO_ANALYSIS,
    analysis_notes,
    ensure_analyses,
    failed_analyses,
)
from reader.cli import main
from reader.ingest.seeds import import_seeds
from reader.models import NewArticle
from reader.store import Store
from tests.feedserver import FeedServer, feed_server, rss  # noqa: F401
from tests.hostile.corpus import SENTENCE
from tests.tui_helpers import settle

LONG = 1_000_001


def long_paragraph(n: int = LONG) -> str:
    """One paragraph of real sentences, ``n`` characters, no newline."""
    text = (SENTENCE + " ") * (n // (len(SENTENCE) + 1) + 1)
    return text[: n - 1] + "."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pieces_stay_below_max_length_and_map_back() -> None:
    text = "Short first paragraph about Kyiv.\n" + long_paragraph()
    pieces = nlp._pieces("a", text)
    assert all(len(p[3]) <= nlp.MAX_PIECE for p in pieces)
    assert max(p[2] + len(p[3]) for p in pieces) <= nlp.MAX_ANALYSED_CHARS
    for _, _, offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
    # cut at sentence ends: every piece of the long paragraph but the last ends a sentence
    assert all(p[3].rstrip().endswith(".") for p in pieces[1:-1])
    assert {p[1] for p in pieces[1:]} == {1}  # one paragraph, many pieces


def test_a_paragraph_of_a_million_characters_is_analysed() -> None:
    text = long_paragraph()
    analysis = nlp.analyse_texts([("a", text)])["a"]
    assert analysis.sentences and analysis.mentions
    assert analysis.sentences[-1].end <= nlp.MAX_ANALYSED_CHARS
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
    first = analysis.sentences[0]
    assert text[first.start : first.end] == SENTENCE
    assert nlp.analysed_part(text) == nlp.MAX_ANALYSED_CHARS
    assert nlp.analysed_part(SENTENCE) is None


def test_one_failing_article_is_recorded_for_itself_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, _ = store.add_article(
        NewArticle(
            outlet="Poison",
            title="Poisoned",
            text="POISON in this text. " + SENTENCE,
            published=None,
            origin="poison.txt",
        )
    )
    real = nlp.analyse_texts

    def failing(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any("POISON" in t for _, t in texts):
            raise ValueError("[E088] Text of length 1000001 exceeds maximum of 1000000.")
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(nlp, "analyse_texts", failing)
    articles = store.all_articles()
    analyses = ensure_analyses(store, articles)
    assert analyses[bad.id] is NO_ANALYSIS
    assert all(analyses[a.id].sentences for a in articles if a.id != bad.id)
    assert failed_analyses(store, articles) == {
        bad.id: "[E088] Text of length 1000001 exceeds maximum of 1000000."
    }
    # The failure is cached: it is not tried again at every start.
    assert store.unanalysed_articles(nlp.ANALYSER, nlp.analyser_version()) == []
    # Export works, with the others' analysis and a note for the failed article.
    code, out, err = run(capsys, "--db", str(store.path), "export", "--format", "md")
    assert code == 0, err
    assert f"Poison ({bad.id}): not analysed" in out.replace("\\", "")
    assert "## Shared claims" in out
    notes = analysis_notes(store, articles)
    assert list(notes) == [bad.id]


def test_import_and_export_a_million_character_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    big = tmp_path / "long.txt"
    big.write_text("A very long article\n\n" + long_paragraph(), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db), "import", str(big))
    assert code == 0, err
    aid = out.split()[1]
    code, out, err = run(capsys, "--db", str(db), "export", "--format", "json")
    assert code == 0, err
    import json

    data = json.loads(out)
    assert data["notes"] == {aid: "only the first 100,000 of 1,000,022 characters analysed"}
    assert data["entities"]  # the seeds' analysis is all there
    code, out, err = run(capsys, "--db", str(db), "export", "--format", "md")
    assert code == 0 and "Traceback" not in err


def test_fetch_a_million_character_item(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    feed_server: FeedServer,  # noqa: F811
) -> None:
    feed = rss(
        "Long",
        [{"title": "The longest item", "guid": "long-1", "description": long_paragraph()}],
    )
    url = feed_server.add("/long.xml", feed, content_type="application/rss+xml")
    db = str(tmp_path / "db")
    assert run(capsys, "--db", db, "feeds", "add", url, "--name", "Long")[0] == 0
    code, out, err = run(capsys, "--db", db, "fetch")
    assert code == 0, err
    assert "Traceback" not in err and "ok\tLong: 1 new" in out
    store = Store(db)
    (article,) = [a for a in store.all_articles() if a.outlet == "Long"]
    assert len(article.text) == LONG
    cached = store.get_analyses([article.content_hash], nlp.ANALYSER, nlp.analyser_version())
    assert nlp.loads(article.id, cached[article.content_hash], article.text).mentions


async def test_the_app_analyses_the_library_around_a_million_character_article(
    tmp_path: Path,
) -> None:
    from reader.tui.app import make_app

    db = tmp_path / "db"
    store = Store(db)
    import_seeds(store)
    store.add_article(
        NewArticle(
            outlet="Long", title="Long", text=long_paragraph(), published=None, origin="long.txt"
        )
    )
    store.close()
    app = make_app(db=db)  # analyses on start, in its child process
    seen: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (seen.append(str(message)), notify(message, *a, **k))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
    assert not [s for s in seen if "failed" in s], seen
    again = Store(db)
    assert again.unanalysed_articles(nlp.ANALYSER, nlp.analyser_version()) == []
    assert not failed_analyses(again, again.all_articles())
    assert again.count_stories() >= 2
