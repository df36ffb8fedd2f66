"""Child processes of this package: a plain ``python -c`` running one of its functions.

Used by the analysis child (``reader.analysis.nlp``) and the feed-parsing child
(``reader.ingest.feeds.child``). Not ``multiprocessing``: its resource tracker cannot start
under Textual's captured stderr. A child gets pipes on stdin and stdout, its stderr
goes to /dev/null (it shares the app's terminal), and it runs in its own session (no
SIGINT or SIGWINCH from the terminal). It leaves when its stdin closes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a child is spawned: the children import this too
    import subprocess


def child_code(module: str, function: str) -> str:
    """The ``-c`` code that runs ``module.function()``.

    The child finds this copy of ``reader``: its folder (the first argument) is
    appended to ``sys.path`` only when missing (a source checkout run through a path
    hack), never put in front, where a site-packages folder would shadow the standard
    library.
    """
    return (
        "import sys\n"
        "sys.argv[1] in sys.path or sys.path.append(sys.argv[1])\n"
        f"from {module} import {function}\n"
        f"{function}()\n"
    )


def spawn(code: str) -> subprocess.Popen[bytes]:
    """Start ``python -c code`` as a child (see the module's docstring)."""
    import subprocess

    return subprocess.Popen(
        [sys.executable, "-c", code, str(Path(__file__).resolve().parents[1])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
