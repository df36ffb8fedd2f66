"""The fact table: who reports what, on the seeds and a devcorpus cluster (unit, Pilot, export)."""

from __future__ import annotations

import json
from pathlib import Path

from reader.analysis.facts import build_fact_table, coverage_gaps, facts_markdown, md_cell
from reader.export import build_export, export_markdown
from reader.store import Store
from reader.tui.screens.compare import CompareScreen
from reader.tui.screens.facts import FactsScreen
from tests.tui_helpers import app_for, screen_text, settle


def _seed_table(feb14_story):  # type: ignore[no-untyped-def]
    from reader.analysis.alignment import align_story
    from reader.analysis.framing import build_framing

    articles, analyses, index = feb14_story
    alignment = align_story(articles, analyses, index)
    return build_fact_table(
        articles, alignment, build_framing(articles, analyses, index, alignment)
    )


def _row(table, kind: str, label: str):  # type: ignore[no-untyped-def]
    return next(r for r in table.rows if r.kind == kind and label in r.label)


def test_seed_troop_counts_side_by_side_without_a_false_difference(feb14_story) -> None:  # type: ignore[no-untyped-def]
    """JEN's "more than 100,000 troops" against the others' 130,000: shown side by side,
    and not marked as a difference (130,000 is more than 100,000)."""
    table = _seed_table(feb14_story)
    assert table.outlets == ("DW", "JEN", "RFE/RL", "The Washington Post")
    troops = _row(table, "quantity", "troops")
    assert troops.cells["JEN"].text == "more than 100,000 troops"
    assert all("130,000" in troops.cells[o].text for o in ("DW", "RFE/RL", "The Washington Post"))
    assert not troops.differs
    assert not any(r.kind == "quantity" and r.differs for r in table.rows)


def test_seed_blinken_is_quoted_by_several_outlets(feb14_story) -> None:  # type: ignore[no-untyped-def]
    table = _seed_table(feb14_story)
    blinken = _row(table, "quote", "Blinken")
    assert len(blinken.cells) >= 3
    assert all(c.text.startswith("“") for c in blinken.cells.values())
    # quote rows come most-quoted first
    quotes = [r for r in table.rows if r.kind == "quote"]
    assert quotes[0] is blinken


def test_seed_kiev_and_kyiv_is_a_naming_row(feb14_story) -> None:  # type: ignore[no-untyped-def]
    table = _seed_table(feb14_story)
    kyiv = _row(table, "naming", "Kyiv")
    assert kyiv.differs
    assert "Kiev" in kyiv.cells["JEN"].text
    assert kyiv.cells["DW"].text == "Kyiv"


def test_claims_come_first_ordered_by_outlets_carrying_them(feb14_story) -> None:  # type: ignore[no-untyped-def]
    table = _seed_table(feb14_story)
    claims = [r for r in table.rows if r.kind == "claim"]
    assert claims and table.rows[: len(claims)] == tuple(claims)
    counts = [len(r.cells) for r in claims]
    assert counts == sorted(counts, reverse=True)
    shared = [r for r in claims if not r.label.startswith("only ")]
    assert all(len(r.cells) >= 2 for r in shared)
    # then each outlet's own claims (framing's unique), at most ONLY_HERE each, one cell
    own = claims[len(shared) :]
    assert own and all(len(r.cells) == 1 and r.differs for r in own)
    assert max(sum(1 for r in own if o in r.cells) for o in table.outlets) <= 3


def test_coverage_names_followed_outlets_that_did_not_publish() -> None:
    from reader.models import Article

    story = [
        Article(
            id="a",
            outlet="DW",
            title="t",
            text="x",
            published=None,
            origin="o",
            url=None,
            content_hash="h",
        ),
        Article(
            id="b",
            outlet="JEN",
            title="t",
            text="x",
            published=None,
            origin="o",
            url=None,
            content_hash="h",
        ),
    ]
    gaps = coverage_gaps(story, ["DW", "BBC", "jen"], ["Reuters", "bbc"])
    assert gaps == ["BBC", "Reuters"]


def test_markdown_cells_are_escaped_and_one_line() -> None:
    cell = md_cell("we believe that [Putin] has | <script>x</script>\nmore", 200)
    assert cell == "we believe that \\[Putin\\] has \\| &lt;script&gt;x&lt;/script&gt; more"
    assert md_cell("![x](http://e.test/i.png)", 200) == "\\!\\[x\\]\\(http://e.test/i.png\\)"
    assert md_cell("a" * 50, 10).endswith("…")


def test_export_has_facts_and_coverage(analysed_db: Path) -> None:
    store = Store(analysed_db)
    data = build_export(store)
    story = next(s for s in data["stories"] if len(s["article_ids"]) == 4)
    rows = [f for f in data["facts"] if f["story_id"] == story["id"]]
    kinds = {r["kind"] for r in rows}
    assert {"claim", "quantity", "quote", "naming"} <= kinds
    troops = next(r for r in rows if r["kind"] == "quantity" and r["label"] == "troops")
    assert not troops["differs"] and troops["cells"]["JEN"]["text"] == "more than 100,000 troops"
    assert {"text", "value", "article_id", "uncertain"} <= set(troops["cells"]["DW"])
    coverage = next(c for c in data["coverage"] if c["story_id"] == story["id"])
    assert coverage["not_covered_by"] == [] and len(coverage["outlets"]) == 4
    json.dumps(data)  # serialisable as it is

    report = export_markdown(store)
    assert "### Who reports what" in report
    assert "| what | DW | JEN | RFE/RL | The Washington Post |" in report


def test_markdown_table_needs_two_outlets(feb14_story) -> None:  # type: ignore[no-untyped-def]
    from reader.analysis.facts import FactTable

    table = _seed_table(feb14_story)
    assert facts_markdown(table).startswith("### Who reports what")
    one = FactTable(table.outlets[:1], {}, tuple(r for r in table.rows if len(r.cells) == 1))
    assert facts_markdown(one) == ""


async def open_facts(pilot, app) -> FactsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("F")
    await settle(pilot)
    assert isinstance(app.screen, FactsScreen)
    return app.screen


async def test_fact_table_from_the_library_at_80x24(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_facts(pilot, app)
        text = screen_text(app)
        assert "outlets 1–2 of 4 (< > for more)" in text
        assert "DW" in [str(c.label) for c in screen.query_one("#facts").columns.values()]
        troops = next(r for r in screen.shown_rows if r.kind == "quantity")
        assert troops.cells["JEN"].text == "more than 100,000 troops"
        # page to outlets 3-4
        await pilot.press("greater_than_sign")
        assert "outlets 3–4 of 4" in screen_text(app)
        await pilot.press("less_than_sign")
        # only the rows where outlets differ
        total = len(screen.shown_rows)
        await pilot.press("a")
        assert all(r.differs for r in screen.shown_rows) and len(screen.shown_rows) <= total
        assert "only differences" in screen_text(app)
        await pilot.press("a")
        # filter rows
        await pilot.press("slash", *"Blinken")
        await pilot.pause()
        assert screen.shown_rows and all(
            "blinken" in (r.label + " ".join(c.text for c in r.cells.values())).lower()
            for r in screen.shown_rows
        )
        await pilot.press("escape")  # clears the filter, stays on the screen
        assert screen.filter_text == "" and isinstance(app.screen, FactsScreen)
        assert len(screen.shown_rows) == total


async def test_enter_on_a_cell_opens_compare_with_the_sentence_marked(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_facts(pilot, app)
        await pilot.press("l")  # from the label column to the first outlet's cell
        row, outlet = screen.selected_cell()
        assert outlet == "DW" and row.kind == "claim"
        cell = row.cells["DW"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        sentence = screen.analyses[cell.article_id].sentences[cell.sentence_index]
        assert (cell.article_id, sentence.start, sentence.end) in app.screen.initial_marks


async def test_j_k_h_l_move_and_paging_follows_the_cursor(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_facts(pilot, app)
        grid = screen.query_one("#facts")
        await pilot.press("j", "j", "k")
        assert grid.cursor_row == 1
        await pilot.press("l", "l")
        assert screen.selected_cell()[1] == "JEN"
        await pilot.press("l")  # past the page's last outlet: the next page
        assert screen.page_start == 2
        await pilot.press("h")
        assert screen.page_start == 2 or screen.page_start == 0


async def test_F_opens_the_table_from_compare_and_diff(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await open_facts(pilot, app)
        await pilot.press("escape")
        await pilot.press("d")
        await settle(pilot)
        await open_facts(pilot, app)


async def test_fact_table_on_a_devcorpus_cluster(truth_corpus) -> None:  # type: ignore[no-untyped-def]
    truth_corpus._as_stories()
    ids = [truth_corpus.article_of[k].id for k in truth_corpus.clusters["swiftamas"].keys]
    app = app_for(truth_corpus.store.path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.push_screen(FactsScreen(ids))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FactsScreen)
        assert len(screen.shown_outlets) == len(screen.table.outlets) == 3
        assert any(r.kind == "claim" and len(r.cells) >= 2 for r in screen.shown_rows)
        assert "Taylor Swift" in screen_text(app) or "Swift" in screen_text(app)
