"""``reader.library.Library``: the one service under the CLI and the app (issue 21).

The CLI and TUI tests run its stages end to end (fetch, import, prune, the refresh
worker, the background analysis); these check the rules the front ends rely on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Settings
from reader.library import Library, RefreshInterrupted
from reader.store import Store


def test_settings_are_read_only_when_needed(store: Store) -> None:
    loads: list[int] = []

    def load() -> Settings:
        loads.append(1)
        return Settings(keep_read_days=0)

    library = Library(store, load_settings=load)
    library.remove(["no-such-id"])
    assert loads == []
    assert library.prune() == 0  # retention off: nothing pruned
    assert library.prune() == 0
    assert loads == [1]


def test_import_files_regroups_only_when_every_file_imported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regrouped: list[list[str]] = []
    monkeypatch.setattr(Library, "_regroup", lambda self, ids: regrouped.append(list(ids)))
    good = tmp_path / "one.txt"
    good.write_text("A headline here\n\nThe council met on Tuesday and voted.\n", encoding="utf-8")
    seen: list[str] = []
    library = Library(store, Settings())
    results = library.import_files(
        [good, tmp_path / "missing.txt"], each=lambda r: seen.append(r.path.name)
    )
    assert seen == ["one.txt", "missing.txt"]
    assert results[0].created and results[0].article is not None
    assert results[1].article is None and results[1].error
    assert regrouped == []  # a failure leaves the grouping for later, as before
    again = library.import_files([good])
    assert not again[0].created
    assert regrouped == [[]]


def test_refresh_without_feeds_prunes_with_the_settings(store: Store) -> None:
    outcome = Library(store, Settings(keep_read_days=30)).refresh()
    assert outcome.report.results == ()
    assert (outcome.keep_read_days, outcome.pruned, outcome.analysed) == (30, 0, 0)


def test_refresh_cancelled_by_the_caller_stops_after_the_downloads(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pruned: list[int] = []
    monkeypatch.setattr(store, "prune", lambda days, dry_run=False: pruned.append(days) or 0)
    outcome = Library(store, Settings(keep_read_days=30)).refresh(cancelled=lambda: True)
    assert pruned == [] and outcome.keep_read_days == 0


def test_ctrl_c_during_the_downloads_is_refresh_interrupted(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest.feeds.refresh as feeds

    def interrupted(*args: object, **kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(feeds, "refresh_feeds", interrupted)
    with pytest.raises(RefreshInterrupted):
        Library(store, Settings()).refresh()


def test_a_read_only_library_analyses_nothing(store: Store) -> None:
    store.read_only = True
    assert Library(store, Settings()).analyse_pending() == []


def test_subscribe_opml_subscribes_tags_and_reports_what_it_skipped(store: Store) -> None:
    from reader.ingest.opml import OpmlFeed

    library = Library(store, Settings())
    report = library.subscribe_opml(
        [
            OpmlFeed("https://example.org/world.xml", "World", "News", ("News",)),
            OpmlFeed("file:///etc/passwd", "Local file"),
        ]
    )
    assert (report.added, len(report.rejected)) == (1, 1)
    (feed,) = store.feeds()
    assert (feed.name, feed.tags) == ("World", ("News",))
    again = library.subscribe_opml([OpmlFeed("https://example.org/world.xml", "World")])
    assert again.added == 0 and len(store.feeds()) == 1
