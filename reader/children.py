"""Child processes of this package: a plain ``python -c`` running one of its functions.

Used by the analysis child (``reader.analysis.nlp``) and the feed-parsing child
(``reader.ingest.feeds.child``). Not ``multiprocessing``: its resource tracker cannot start
under Textual's captured stderr. A child gets pipes on stdin and stdout, its stderr
goes to /dev/null (it shares the app's terminal), and it runs in its own session (no
SIGINT or SIGWINCH from the terminal). It leaves when its stdin closes.

One protocol for both: ``write_frame``/``read_frame``, a marker, a length and the
value in ``marshal`` form (built in, so a child imports nothing for it, and unlike
pickle it cannot run code: a child's garbled or hostile output is only data).
Values are str, bytes, int, float, None and tuples, lists and dicts of them.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

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


MAX_FRAME = 1 << 28
"""Bytes in one frame at most (a feed body or a chunk of articles is capped far lower):
a garbled length must not allocate the machine's memory."""

FRAME_MAGIC = b"PXF1"


def write_frame(out: IO[bytes], value: object) -> None:
    """``value`` as one frame: the marker, its length, then its ``marshal`` form."""
    data = marshal.dumps(value)  # type: ignore[arg-type]  # marshal checks at run time
    out.write(FRAME_MAGIC + len(data).to_bytes(8, "little") + data)
    out.flush()


def read_frame(source: IO[bytes]) -> object:
    """The next frame's value; ``EOFError`` at the end of input, ``ValueError`` for
    anything that is not a frame (nothing but a frame reaches ``marshal``)."""
    head = source.read(12)
    if len(head) < 12:
        raise EOFError
    size = int.from_bytes(head[4:], "little")
    if head[:4] != FRAME_MAGIC or size > MAX_FRAME:
        raise ValueError("not a frame")
    data = source.read(size)
    if len(data) < size:
        raise EOFError
    return marshal.loads(data)
