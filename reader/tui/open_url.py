"""Opening an article's URL in the user's browser, and copying it (``o`` and ``y``).

Owns: deciding whether a browser can be used here (``browser_available``), opening
one off the UI thread, and the clipboard fallback. Copying goes through Textual's
``App.copy_to_clipboard`` (OSC 52: works over SSH in terminals that allow it).

Rules: with ``$BROWSER`` set, use it (``webbrowser`` reads it). Without it, over SSH
(``SSH_CONNECTION``/``SSH_TTY``) or on a Linux/BSD machine with no ``DISPLAY`` or
``WAYLAND_DISPLAY``, do not try (a text browser would take over the terminal the
app is drawing on, or nothing would happen): copy the URL and say so. URLs were
sanitized at ingestion; notifications never parse them as markup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from textual.app import App

NO_URL = "This article has no URL"
NO_BROWSER = "No browser on this machine — URL copied to the clipboard"


def browser_available(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if env.get("BROWSER"):
        return True
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def copy_url(app: App, url: str | None) -> None:
    """``y``: the URL to the clipboard, and a notification showing it."""
    if not url:
        app.notify(NO_URL, markup=False)
        return
    app.copy_to_clipboard(url)
    app.notify(f"Copied {url}", markup=False)


def open_url(app: App, url: str | None) -> None:
    """``o``: the URL in a browser, in a thread worker (``webbrowser`` may block);
    the clipboard instead when no browser can be used."""
    if not url:
        app.notify(NO_URL, markup=False)
        return
    if not browser_available():
        app.copy_to_clipboard(url)
        app.notify(NO_BROWSER, markup=False)
        return

    def run() -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except Exception:  # webbrowser raises whatever its helper raises
            opened = False
        app.call_from_thread(_opened, app, url, opened)

    app.run_worker(run, name="open url", group="open-url", thread=True, exit_on_error=False)


def _opened(app: App, url: str, opened: bool) -> None:
    if opened:
        app.notify(f"Opening {url}", markup=False)
    else:
        app.copy_to_clipboard(url)
        app.notify(f"Could not start a browser — URL copied to the clipboard: {url}", markup=False)
