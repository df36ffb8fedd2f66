"""The core does not know Textual, and a warm start never imports spaCy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reader"
CORE = sorted(
    ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
    for path in ROOT.rglob("*.py")
    if "tui" not in path.relative_to(ROOT).parts and path.name != "__main__.py"
)
"""Every module below the user interface (all of reader/ but reader/tui and
``__main__``, which starts the app): none of them may import Textual."""


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return set(out.split())


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after("\n".join(f"import {m}" for m in CORE))
    assert "textual" not in loaded
    assert "spacy" not in loaded


def test_warm_start_does_not_import_spacy(analysed_db: Path) -> None:
    code = f"""
import asyncio
from reader.tui.app import make_app
async def main():
    app = make_app(db={str(analysed_db)!r})
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.press("c")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        assert type(app.screen).__name__ == "CompareScreen", app.screen
asyncio.run(main())
"""
    loaded = _modules_after(code)
    assert "textual" in loaded
    assert "spacy" not in loaded and "thinc" not in loaded


def test_cold_start_analyses_in_a_child_process(tmp_path: Path) -> None:
    """On a fresh database the app analyses the seeds, but spaCy runs in a child
    process: the app's own process never imports it (its GIL stays with the UI)."""
    db = tmp_path / "fresh.db"
    code = f"""
import asyncio
from reader.tui.app import make_app
from reader.analysis.cache import cached_analyses
async def main():
    app = make_app(db={str(db)!r})
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):
            await pilot.pause(0.2)
            if not any(w.name == "analyse_library" for w in app.workers):
                break
        articles = app.store.all_articles()
        assert len(cached_analyses(app.store, articles)) == len(articles) == 5
asyncio.run(main())
"""
    loaded = _modules_after(code)
    assert "spacy" not in loaded and "thinc" not in loaded


def test_stop_words_without_importing_scikit_learn() -> None:
    code = """
from reader.analysis.vocabulary import ENGLISH_STOP_WORDS as words
assert len(words) > 300 and "the" in words and "embassy" not in words
"""
    assert "sklearn" not in _modules_after(code)


def test_first_start_spawns_the_analysis_child_before_textual(tmp_path: Path) -> None:
    """``parallax`` on a fresh database starts the analysis child (spaCy's import and
    model load, most of the wait for highlights) before it imports Textual; a second
    start, with nothing new, starts none."""
    code = f"""
import sys
from reader.analysis import nlp
spawned = []
nlp.start_child = lambda: spawned.append("textual" in sys.modules)
sys.modules["reader.tui.app"] = None  # the import of the app fails: stop there
from reader.cli import main
for _ in range(2):
    try:
        main(["--db", {str(tmp_path / "fresh.db")!r}])
    except ImportError:
        pass
print("SPAWNED", spawned)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "SPAWNED [False]" in out


def test_warm_start_draws_the_library_before_the_workers_import(analysed_db: Path) -> None:
    """Issue 20, item 17: the workers (change poll, background analysis) start once
    the first frame is drawn; their imports (the analysis cache, importlib.metadata
    for the model's version) do not share the GIL with it."""
    code = f"""
import asyncio, sys
from reader.tui.app import ParallaxApp, make_app
seen = {{}}
start = ParallaxApp._start_workers
def spy(self):
    seen["rows"] = self.screen.query_one("#library").row_count
    seen["early"] = sorted(m for m in ("reader.analysis.cache", "reader.analysis.nlp")
                           if m in sys.modules)
    start(self)
ParallaxApp._start_workers = spy
async def main():
    app = make_app(db={str(analysed_db)!r})
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
asyncio.run(main())
print("SEEN", seen["rows"], seen["early"])
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("SEEN"))
    rows, early = line.split(" ", 2)[1:]
    assert int(rows) > 0 and early == "[]", line
