"""Issue 17 item 6 end to end: a library written by another tool (shared, synced,
restored) with OSC 0 (window title) and OSC 52 (clipboard) in titles, outlets, a
feed name and a tag, opened by the real ``parallax`` in tmux with
``set-clipboard on``: the paste buffer stays empty and the pane title unchanged.

A control first runs ``printf`` with the same sequences in this tmux, so the test
fails if the sequences would not have worked here (it proves the guard, not tmux).
"""

from __future__ import annotations

import base64
import os
import shutil
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from reader.ingest.seeds import import_seeds
from reader.models import NewArticle
from reader.store import Store
from tests.test_e2e_tmux import PARALLAX, Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("terminal"),  # one after another on one worker (-n auto)
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PAYLOAD = base64.b64encode(b"rm -rf ~").decode()
ESCAPES = f"\x1b]0;PWNED\x07\x1b]52;c;{PAYLOAD}\x07\x9d2;PWNED8\x9c\x1b[2J"


def hostile_library(db: Path) -> None:
    store = Store(db)
    import_seeds(store)
    feed, _ = store.add_feed("https://example.org/feed", "Example")
    store.tag_feed(feed.id, ["world"])
    store.add_article(
        NewArticle(
            outlet="Example News",
            title="Harbour reopens after the storm",
            text="The harbour reopened on Monday after the storm damaged two piers.",
            published=date(2022, 3, 1),
            origin="https://example.org/1",
            url="https://example.org/1",
            feed_id=feed.id,
            guid="1",
        )
    )
    store.close()
    conn = sqlite3.connect(db)  # the other tool: no sanitizer on the way in
    conn.execute("UPDATE articles SET title = title || ?, outlet = ? || outlet", (ESCAPES, ESCAPES))
    conn.execute("UPDATE feeds SET name = name || ?", (ESCAPES,))
    conn.execute("UPDATE feed_tags SET tag = tag || ?", (ESCAPES,))
    conn.commit()
    conn.close()


def wait_until(check, timeout: float = 10) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g set-clipboard on\nset -g allow-rename on\n", encoding="utf-8")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARALLAX_DB": str(tmp_path / "hostile.db"),
        "PARALLAX_CONFIG_DIR": str(tmp_path / "config"),
        "PARALLAX_STATE_DIR": str(tmp_path / "state"),
        "TMUX_TMPDIR": str(tmp_path),
    }
    env.pop("TMUX", None)
    session = Tmux(f"hostile-{os.getpid()}", env)
    # The control: the same sequences from printf do reach tmux here.
    script = tmp_path / "control.sh"
    script.write_text(
        "printf '\\033]0;PWNED\\007\\033]52;c;%s\\007' " + PAYLOAD + "; sleep 30\n",
        encoding="utf-8",
    )
    session.run("-f", str(conf), "new-session", "-d", "-s", "control", "-x", "80", "-y", "24",
                "sh", str(script))  # fmt: skip
    yield session
    subprocess.run(["tmux", "kill-server"], env=env, capture_output=True, timeout=30)


def test_escapes_in_the_library_never_reach_the_terminal(tmux: Tmux, tmp_path: Path) -> None:
    assert wait_until(
        lambda: "PWNED" in tmux.run("display", "-p", "-t", "control", "#{pane_title}")
    )
    assert wait_until(lambda: bool(tmux.run("list-buffers").strip()))
    tmux.run("delete-buffer")
    assert not tmux.run("list-buffers").strip()

    hostile_library(tmp_path / "hostile.db")
    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "24", PARALLAX)
    title = tmux.run("display", "-p", "-t", tmux.name, "#{pane_title}")
    screen = tmux.wait_for("Harbour reopens")
    assert "PWNED" not in screen and "52;c" not in screen
    tmux.keys("g")  # grouped by tag: the tag's name is drawn
    tmux.wait_for("world")
    tmux.keys("f")  # the feeds screen: the feed's name is drawn
    tmux.wait_for("Example")
    time.sleep(1)
    assert tmux.run("display", "-p", "-t", tmux.name, "#{pane_title}") == title
    assert "PWNED" not in title
    assert not tmux.run("list-buffers").strip()  # nothing reached the clipboard
    tmux.keys("Escape", "q")

    # The command line: `parallax list | cat -v` shows no sequence either.
    out = subprocess.run(
        [PARALLAX, "list"], capture_output=True, text=True, env=tmux.env, check=True
    ).stdout
    assert "\x1b" not in out and "\x07" not in out and "\x9d" not in out and "PWNED" not in out
    out = subprocess.run(
        [PARALLAX, "feeds", "list"], capture_output=True, text=True, env=tmux.env, check=True
    ).stdout
    assert "Example" in out and "\x1b" not in out and "PWNED" not in out
