"""Issue 17 item 8: config.toml is the user's file. Parallax never rewrites it; a
broken one is reported with its line and the defaults are used for this run; a
setting of the wrong type is reported by name. The theme chosen with ctrl+t is
remembered in a state file under the user's state dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.config import Settings, user_config_dir
from reader.state import State
from reader.tui.themes import DEFAULT_THEME
from tests.tui_helpers import app_for, settle

USER_FILE = """\
# my settings: keep this comment
theme = "solarized"
keep_read_days = 30
unknown_later_setting = true

[keys]
"library.save" = "ctrl+s"
"""


def _notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return seen


def test_a_valid_file_is_read() -> None:
    path = user_config_dir() / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(USER_FILE, encoding="utf-8")
    settings = Settings.load()
    assert (settings.theme, settings.keep_read_days, settings.keys, settings.problems) == (
        "solarized",
        30,
        {"library.save": "ctrl+s"},
        ["config.toml: unknown setting 'unknown_later_setting' (ignored)"],  # a typo shows
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "solarized"\nkeep_read_days = 30\n[keys\n', "line 3"),
        ('keep_read_days = "30"\n', "keep_read_days must be a whole number of days"),
        ("keep_read_days = -5\n", "keep_read_days must be a whole number of days"),
        ("keep_read_days = 2.5\n", "keep_read_days must be a whole number of days"),
        ('[keys]\n"library.save" = { key = "x" }\n', "keys.library.save must be keys in quotes"),
        ('keys = "ctrl+s"\n', "keys must be a [keys] table"),
        ("theme = 3\n", "theme must be a theme name"),
        ('them = "solarized"\n', "unknown setting 'them' (ignored)"),
    ],
    ids=[
        "syntax-error",
        "days-as-text",
        "days-negative",
        "days-float",
        "binding-table",
        "keys-not-table",
        "theme-number",
        "misspelt-setting",
    ],
)
def test_problems_name_the_line_or_the_setting(text: str, expected: str) -> None:
    path = user_config_dir() / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    settings = Settings.load()
    assert len(settings.problems) == 1 and expected in settings.problems[0], settings.problems
    assert "\n" not in settings.problems[0]
    assert settings.keep_read_days == 0  # the default for what was wrong
    assert path.read_text(encoding="utf-8") == text


def test_prune_says_what_is_wrong_with_keep_read_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = user_config_dir() / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('keep_read_days = "30"\n', encoding="utf-8")
    assert main(["--db", str(tmp_path / "db"), "prune"]) == 0
    _, err = capsys.readouterr()
    assert (
        "keep_read_days must be a whole number of days (0 keeps everything), not text ('30')" in err
    )


@pytest.mark.parametrize("text", [USER_FILE, USER_FILE + "[broken\n"], ids=["valid", "broken"])
async def test_the_users_file_survives_ctrl_t_byte_for_byte(analysed_db: Path, text: str) -> None:
    path = user_config_dir() / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8"))
    app = app_for(analysed_db)
    seen = _notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = app.theme
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme != first
        assert path.read_bytes() == text.encode("utf-8")
        app.theme = chosen = "monochrome"  # as the palette's "theme: monochrome" does
        await settle(pilot)
    assert path.read_bytes() == text.encode("utf-8")
    assert State.load().theme == chosen
    if text == USER_FILE:
        assert first == "solarized"
    else:
        assert first == DEFAULT_THEME  # the defaults, for this run only
        assert any("config.toml" in s and "line 8" in s for s in seen), seen

    again = app_for(analysed_db)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == chosen


def test_editing_the_theme_in_config_wins_over_an_older_choice() -> None:
    State("monochrome", "parallax-dark").save()
    assert State.load().theme_for("parallax-dark") == "monochrome"
    assert State.load().theme_for("solarized") == "solarized"  # edited since


def test_a_broken_state_file_counts_as_none() -> None:
    State.path().parent.mkdir(parents=True)
    State.path().write_text("[not json", encoding="utf-8")
    assert State.load() == State()
