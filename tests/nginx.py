"""A real nginx on 127.0.0.1 serving a folder of static files, for feed tests and the
fetch benchmark.

Owns: ``Nginx`` (writes an nginx.conf into a temporary folder: listen on a free port
of 127.0.0.1, gzip on for feeds and pages, ETag and Last-Modified as nginx sends
them, a few ``return 301`` redirects, pid, logs and temp paths inside the folder;
starts ``nginx -c conf -p prefix`` in the foreground, waits for the port, stops it)
and the ``nginx`` fixture, which skips with a clear reason when nginx is not
installed (``.ci/run`` installs Debian's ``nginx-light``). Must not: touch the
internet, the machine's own nginx configuration, or anything outside its folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

LOG_QUIET = 0.1  # seconds the access log must stay unchanged before it is read
LOG_WAIT = 5.0  # the longest ``Nginx.log`` waits for that

NGINX_MISSING = "nginx is not installed (Debian: apt-get install nginx-light; .ci/run does it)"


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CONF = """
{user}
worker_processes 2;
daemon off;
master_process on;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{
        application/rss+xml rss;
        application/atom+xml atom;
        text/xml xml;
        text/html html;
        text/plain txt;
    }}
    default_type application/octet-stream;
    log_format parallax '$status $request_uri';
    access_log {prefix}/access.log parallax;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    keepalive_requests 10000;
    gzip on;
    gzip_min_length 256;
    gzip_types application/rss+xml application/atom+xml text/xml application/xml text/plain;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        location = /moved.xml {{ return 301 /feeds/feed-0.rss; }}
        location = /moved-away.html {{ return 301 /pages/page-1.html; }}
    }}
}}
"""


class Nginx:
    """nginx serving ``root`` on ``base_url`` (see the module docstring)."""

    def __init__(self, root: Path, prefix: Path, binary: str) -> None:
        self.root = root
        self.prefix = prefix
        self.binary = binary
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> Nginx:
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(
            CONF.format(user=user, prefix=self.prefix, port=self.port, root=self.root),
            encoding="utf-8",
        )
        self.proc = subprocess.Popen(
            [self.binary, "-c", str(conf), "-p", str(self.prefix)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"nginx did not start: {err.strip()[:400]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("nginx did not open its port within 10 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish, pid file removed
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def log(self) -> list[tuple[int, str]]:
        """(status, request URI) of every request so far, in order.

        nginx writes a request's line after it has sent the response, so a client can
        read its answer before the line is there: the log is read once it has been quiet
        (unchanged in size) for ``LOG_QUIET`` seconds, waiting at most ``LOG_WAIT``."""
        path = self.prefix / "access.log"
        deadline = time.monotonic() + LOG_WAIT
        size = -1
        while time.monotonic() < deadline:
            now = path.stat().st_size if path.exists() else 0
            if now == size:
                break
            size = now
            time.sleep(LOG_QUIET)
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            status, _, uri = line.partition(" ")
            if status.isdigit():
                out.append((int(status), uri))
        return out

    def reset_log(self) -> None:
        """Empty the access log (nginx keeps appending to the same open file)."""
        path = self.prefix / "access.log"
        if path.exists():
            with path.open("r+") as fh:
                fh.truncate(0)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    binary = find_nginx()
    if binary is None:
        pytest.skip(NGINX_MISSING)
    root = tmp_path / "site"
    root.mkdir()
    server = Nginx(root, tmp_path / "nginx", binary).start()
    try:
        yield server
    finally:
        server.stop()
