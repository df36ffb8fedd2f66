"""End to end: the real `parallax` command in tmux at 80x24, read back with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("terminal"),  # one after another on one worker (-n auto)
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PARALLAX = str(Path(sys.executable).with_name("parallax"))


class Tmux:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", *args], capture_output=True, text=True, check=True, env=self.env, timeout=30
        ).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.name, key)
            time.sleep(0.3)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARALLAX_DB": str(tmp_path / "e2e.db"),
        "PARALLAX_CONFIG_DIR": str(tmp_path / "config"),
        "TMUX_TMPDIR": str(tmp_path),
    }
    env.pop("TMUX", None)
    session = Tmux(f"parallax-{os.getpid()}", env)
    session.run("new-session", "-d", "-s", session.name, "-x", "80", "-y", "24", PARALLAX)
    yield session
    subprocess.run(["tmux", "kill-server"], env=env, capture_output=True, timeout=30)


def test_library_shows_the_five_outlets(tmux: Tmux) -> None:
    screen = tmux.wait_for("AFP via French")
    for outlet in ["DW", "JEN", "RFE/RL", "The Washington", "AFP via French"]:
        assert outlet in screen
    assert len(screen.splitlines()) <= 24
    assert all(len(line) <= 80 for line in screen.splitlines())


def test_open_the_seed_story_side_by_side(tmux: Tmux) -> None:
    tmux.wait_for("AFP via French")
    tmux.keys("c")
    screen = tmux.wait_for("panes 1-2 of 4")
    assert "DW" in screen and "JEN" in screen
    tmux.keys(">")
    screen = tmux.wait_for("panes 3-4 of 4")
    assert "RFE/RL" in screen and "Washington Post" in screen
    tmux.keys("Escape")
    tmux.wait_for("articles in 2 stories")
    tmux.keys("q")


def test_fact_table_says_who_reports_what(tmux: Tmux) -> None:
    tmux.wait_for("AFP via French")
    tmux.keys("F")
    screen = tmux.wait_for("outlets 1–2 of 4")
    assert "what" in screen and "DW" in screen and "JEN" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    tmux.keys("/")
    for ch in "troops":
        tmux.keys(ch)
    screen = tmux.wait_for("filter: troops")
    assert "130,000" in screen and "100,000" in screen
    tmux.keys("Escape", "Escape")
    tmux.wait_for("articles in 2 stories")
    tmux.keys("q")
