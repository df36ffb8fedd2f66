"""Parallax: a terminal news reader that puts several outlets' coverage of one event side by side.

The package follows the data's path: ``ingest`` (where articles come from) →
``sanitize`` (the one gate) → ``store`` (SQLite) → ``analysis`` (spaCy, linking,
dates, alignment, framing, stories) → ``export`` and ``tui`` (where it is shown).
``cli`` is the thin command line over all of them.
"""

__version__ = "0.1.0"
