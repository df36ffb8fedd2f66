"""Shared fixtures: isolated paths, a seeded store, and a seeded store analysed once per run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from reader.ingest.seeds import import_seeds
from reader.store import Store

REPO = Path(__file__).resolve().parent.parent

# Property tests: a quick run by default, a long one on demand
# (HYPOTHESIS_PROFILE=long python -m pytest tests/test_sanitize_fastpath.py ...). A test's
# own @settings(max_examples=...) wins: the slow ones keep their smaller numbers.
settings.register_profile("default", max_examples=300, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _isolated_paths(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user config or data dirs."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PARALLAX_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PARALLAX_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("PARALLAX_DB", str(base / "default.db"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "parallax.db")
    import_seeds(s)
    return s


@pytest.fixture(scope="session")
def analysed_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the seeds imported, analysed and grouped: spaCy runs once per session."""
    from reader.analysis.cache import ensure_analyses
    from reader.analysis.stories import regroup

    path = tmp_path_factory.mktemp("analysed") / "seeds.db"
    s = Store(path)
    import_seeds(s)
    ensure_analyses(s, s.all_articles())
    regroup(s)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


@pytest.fixture
def analysed_db(analysed_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the analysed seed database."""
    target = tmp_path / "analysed.db"
    shutil.copy(analysed_db_template, target)
    return target


@pytest.fixture
def analysed_store(analysed_db: Path) -> Store:
    return Store(analysed_db)


FEB14_OUTLETS = ("DW", "JEN", "RFE/RL", "The Washington Post")


@pytest.fixture(scope="session")
def feb14_story(analysed_db_template: Path):  # type: ignore[no-untyped-def]
    """(articles in FEB14_OUTLETS order, analyses, entity index) for the 14 Feb seed story."""
    from reader.analysis.cache import analyse_and_link

    s = Store(analysed_db_template)
    articles = [a for a in s.all_articles() if a.published_iso == "2022-02-14"]
    articles.sort(key=lambda a: FEB14_OUTLETS.index(a.outlet))
    analyses, index = analyse_and_link(s, articles)
    return articles, analyses, index


@pytest.fixture(scope="session")
def truth_corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The seeds and the development corpus imported and analysed (tests/bench/truth_corpus.py).

    Skips when the corpus is not on this machine (it is third-party material that lives
    beside the repository, never in it: ``../shared/devcorpus`` or ``PARALLAX_DEVCORPUS``).
    """
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "bench"))
    from truth_corpus import corpus_dir, open_corpus

    if corpus_dir() is None:
        pytest.skip("the development corpus is missing (set PARALLAX_DEVCORPUS)")
    return open_corpus(tmp_path_factory.mktemp("truth") / "truth.sqlite")
