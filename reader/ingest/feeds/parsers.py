"""feedparser and lxml, imported once and thread-safely, for ``parse`` and ``rss``.

Refresh threads importing feedparser's modules at the same moment saw one partly
initialised (its modules import each other), so the first import is made under a
lock. Must not: parse anything itself.
"""

from __future__ import annotations

import threading


def load_feedparser():  # type: ignore[no-untyped-def]
    """feedparser, with its preference for the libxml2 SAX driver dropped when that
    driver is not installed: ``xml.sax.make_parser`` retries the failing import on
    every parse (a search of ``sys.path``, ~1 ms a feed, serialised on the import
    lock). The parser used is the same either way: expat. The first import is made
    under a lock: refresh threads importing feedparser's modules at once could see one
    partly initialised (its modules import each other)."""
    global _FEEDPARSER_READY
    if not _FEEDPARSER_READY:
        with _FEEDPARSER_LOCK:
            import feedparser
            import feedparser.api
            import feedparser.datetimes
            import feedparser.mixin

            if not _FEEDPARSER_READY:
                from importlib.util import find_spec

                preferred = list(feedparser.api.PREFERRED_XML_PARSERS)
                kept = [name for name in preferred if find_spec(name) is not None]
                if kept != preferred:
                    feedparser.api.PREFERRED_XML_PARSERS = kept
                _FEEDPARSER_READY = True
    import feedparser

    return feedparser


_FEEDPARSER_READY = False
_FEEDPARSER_LOCK = threading.RLock()


_FAST_DEPS: tuple | None = None  # type: ignore[type-arg]
_FAST_DEPS_LOCK = threading.Lock()  # taken after _FEEDPARSER_LOCK, never before


def fast_deps():  # type: ignore[no-untyped-def]
    """(lxml.etree, feedparser's date parser, its cp1252 table), imported once under a
    lock: refresh threads importing feedparser's modules at the same moment saw a
    partly initialised module (ImportError)."""
    global _FAST_DEPS
    if _FAST_DEPS is not None:
        return _FAST_DEPS
    load_feedparser()
    with _FAST_DEPS_LOCK:
        if _FAST_DEPS is None:
            from feedparser.datetimes import _parse_date
            from feedparser.mixin import _cp1252
            from lxml import etree

            _FAST_DEPS = (etree, _parse_date, _cp1252)
        return _FAST_DEPS
