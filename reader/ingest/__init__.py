"""Where articles come from: the bundled seeds, local files, and RSS/Atom feeds.

Every string that leaves this package for the store has passed ``reader.sanitize``.
Only this package talks HTTP. Heavy parsers (trafilatura, feedparser) are imported
inside the functions that need them.
"""
