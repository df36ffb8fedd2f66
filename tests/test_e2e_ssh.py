"""End to end over SSH: a throwaway sshd on a free loopback port, `ssh -tt` inside tmux at
80x24 with TERM=xterm-256color, the real `parallax` on the far side; the seed story side by
side (`c`), its timeline pane (`t`) and the diff view (`d`), each read back with capture-pane.

`.ci/run` installs openssh-server and openssh-client, so in CI this never skips.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_e2e_tmux import Tmux

SSHD = "/usr/sbin/sshd"
PARALLAX = str(Path(sys.executable).with_name("parallax"))

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("terminal"),  # one after another on one worker (-n auto)
    pytest.mark.skipif(
        not Path(SSHD).exists(), reason="sshd is missing (apt-get install openssh-server)"
    ),
    pytest.mark.skipif(
        shutil.which("ssh") is None, reason="ssh is missing (apt-get install openssh-client)"
    ),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sshd(tmp_path: Path):  # type: ignore[no-untyped-def]
    """(port, user key) of an sshd that only this test can log in to."""
    import getpass

    base = tmp_path / "ssh"
    base.mkdir(mode=0o700)
    host_key, user_key = base / "host_ed25519", base / "user_ed25519"
    for key in (host_key, user_key):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30
        )
    authorized = base / "authorized_keys"
    authorized.write_text(user_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = _free_port()
    config = base / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {authorized}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nUsePAM no\n"
        f"StrictModes no\nPidFile {base / 'sshd.pid'}\nPermitRootLogin yes\n"
        f"AllowUsers {getpass.getuser()}\nPermitUserEnvironment no\nSubsystem sftp internal-sftp\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    log = (base / "sshd.log").open("w")
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"sshd exited: {(base / 'sshd.log').read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        raise AssertionError("sshd never listened")
    yield port, user_key
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_parallax_over_ssh_compare_timeline_diff(sshd, tmp_path: Path, analysed_db: Path) -> None:  # type: ignore[no-untyped-def]
    import getpass

    port, key = sshd
    remote = (
        f"env PARALLAX_DB={analysed_db} PARALLAX_CONFIG_DIR={tmp_path / 'remote-config'} {PARALLAX}"
    )
    ssh = [
        "ssh", "-tt", "-p", str(port), "-i", str(key),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
        f"{getpass.getuser()}@127.0.0.1", remote,
    ]  # fmt: skip
    env = {**os.environ, "TERM": "xterm-256color", "TMUX_TMPDIR": str(tmp_path)}
    env.pop("TMUX", None)
    session = Tmux(f"parallax-ssh-{os.getpid()}", env)
    session.run(
        "new-session", "-d", "-s", session.name, "-x", "80", "-y", "24",
        "env", "TERM=xterm-256color", *ssh,
    )  # fmt: skip
    try:

        def fits(screen: str) -> str:
            lines = screen.splitlines()
            assert len(lines) <= 24 and all(len(line) <= 80 for line in lines), screen
            return screen

        fits(session.wait_for("AFP via French", timeout=90))
        # the first frame arrives over SSH in pieces: wait for its last line too
        screen = fits(session.wait_for("articles in 2 stories"))
        assert "AFP via French" in screen

        session.keys("c")
        screen = fits(session.wait_for("panes 1-2 of 4"))
        assert "DW" in screen and "JEN" in screen

        session.keys("t")
        screen = fits(session.wait_for("2022-02-14"))
        assert "Timeline" in screen or "timeline" in screen
        coloured = session.run("capture-pane", "-e", "-p", "-t", session.name)
        assert "\x1b[38;5;" in coloured or "\x1b[38;2;" in coloured  # colour made it through

        session.keys("d")
        screen = fits(session.wait_for("group 1/"))
        assert "legend:" in screen and "baseline 1 DW" in screen

        session.keys("Escape")
        fits(session.wait_for("panes 1-2 of 4"))
        session.keys("Escape")
        session.wait_for("AFP via French")
        session.keys("q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # the ssh session ends with the app
            if (
                "parallax-ssh"
                not in subprocess.run(
                    ["tmux", "ls"], env=env, capture_output=True, text=True
                ).stdout
            ):
                break
            time.sleep(0.25)
        else:
            raise AssertionError(f"parallax did not quit over ssh:\n{session.screen()}")
    finally:
        subprocess.run(["tmux", "kill-server"], env=env, capture_output=True, timeout=30)
