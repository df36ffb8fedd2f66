"""The filter language of the library's filter line and ``parallax list --filter``.

Owns: ``parse_filter`` (a filter string in, an SQL ``WHERE`` over ``articles a`` and
its parameters out) and ``fts_match`` (free words as an FTS5 MATCH expression, shared
with ``Store.search``). Pure: no database, no Textual. Must not: run queries (that is
``Store.filter_articles``) or build SQL from user text other than through ``?``
parameters.

Syntax (terms separated by spaces; all terms must hold, repeated keys of one kind are
alternatives: ``outlet:bbc outlet:dw`` is either outlet):

- ``outlet:BBC``   outlet name, case-insensitive, a prefix is enough (``outlet:wash``)
- ``tag:world``    articles of feeds carrying this tag (case-insensitive, whole tag)
- ``feed:NAME``    articles of one feed: a name prefix, the feed's id or its URL
- ``unread`` / ``read`` / ``saved``
- ``since:2022-02-01`` / ``until:2022-02-14``   publication dates, both inclusive
- ``outlet:"Deutsche Welle"``   double quotes for values with spaces
- any other words: full text (titles and texts) through the FTS5 index, every word
  must occur, each as a prefix (``diplom`` finds "diplomats"); words are split the
  way the index splits them, so "Lavrov’s" matches and FTS5 syntax characters
  (``"``, ``*``, ``NEAR(``, ``-``, ``:``) are plain punctuation, never an error.

An unknown ``key:``, a bad date or more than ``MAX_TERMS`` terms raises
``FilterError`` with a one-line reason (issue 17: 1,100 ``outlet:`` terms made
SQLite refuse the query, ``until:9999-12-31`` overflowed the date type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

_WORD = re.compile(r"\w+")
_KEY = re.compile(r"([A-Za-z]+):")
KEYS = ("outlet", "tag", "feed", "since", "until")
FLAGS = ("unread", "read", "saved")
MAX_TERMS = 100
"""Terms (keys, flags and words) one filter may hold: SQLite limits how deep one
expression may nest (1,000), and a longer filter is a mistake, not a query."""
FTS_CLAUSE = "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
"""The free-text condition (always the last clause, its MATCH the last parameter)."""
HELP = "filters: outlet:X tag:X feed:X since:YYYY-MM-DD until:YYYY-MM-DD unread read saved, words"


class FilterError(ValueError):
    """A filter string that cannot be understood; ``str(exc)`` is one line."""


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed filter: ``where`` (``"1"`` when empty) with ``?`` placeholders for ``params``."""

    where: str
    params: tuple[object, ...]
    words: tuple[str, ...] = ()
    terms: tuple[str, ...] = field(default=())  # what was understood, for messages
    base_where: str = "1"
    """``where`` without the free-text clause (the store walks it by date and asks
    the FTS index which rows of each stretch match: ``Store.filter_articles``)."""
    base_params: tuple[object, ...] = ()

    @property
    def empty(self) -> bool:
        return self.where == "1"


def fts_words(text: str) -> list[str]:
    """The words of ``text`` as the index's ``unicode61`` tokenizer splits them."""
    return _WORD.findall(text)


def fts_match(text: str) -> str | None:
    """Free text as an FTS5 MATCH: every word, each a quoted prefix; None without words.

    Words are what the index's ``unicode61`` tokenizer sees (``\\w+``: "Lavrov’s" is
    "Lavrov" and "s"); quoting each makes ``NEAR``, ``AND``, ``-`` or ``*`` plain words.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def _tokens(text: str) -> list[tuple[str | None, str]]:
    """``(key, value)`` pairs; ``key`` None for a bare word. Quotes group a value."""
    out: list[tuple[str | None, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        key = None
        m = _KEY.match(text, i)
        if m:
            key = m.group(1).lower()
            i = m.end()
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            value = text[i + 1 : end]
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            value = text[i:j]
            i = j
        out.append((key, value))
    return out


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _day(key: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"{key}: wants a date like 2022-02-14, not '{value[:40]}'") from None


def parse_filter(text: str) -> Filter:
    """Turn a filter string into SQL over ``articles a`` (see the module docstring)."""
    by_key: dict[str, list[str]] = {}
    flags: list[str] = []
    words: list[str] = []
    tokens = _tokens(text)
    if len(tokens) > MAX_TERMS:
        raise FilterError(f"too many terms ({len(tokens)}); a filter holds at most {MAX_TERMS}")
    for key, value in tokens:
        if key is None:
            if value.lower() in FLAGS:
                flags.append(value.lower())
            else:
                words += _WORD.findall(value)
            continue
        if key not in KEYS:
            raise FilterError(f"unknown filter '{key[:20]}:' ({HELP})")
        if not value.strip():
            raise FilterError(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[key]}")
        by_key.setdefault(key, []).append(value.strip())

    clauses: list[str] = []
    params: list[object] = []
    terms: list[str] = []
    if outlets := by_key.get("outlet"):
        clauses.append("(" + " OR ".join("a.outlet LIKE ? ESCAPE '\\'" for _ in outlets) + ")")
        params += [_like_prefix(v) for v in outlets]
        terms += [f"outlet:{v}" for v in outlets]
    if tags := by_key.get("tag"):
        marks = ",".join("?" * len(tags))
        clauses.append(f"a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag IN ({marks}))")
        params += tags
        terms += [f"tag:{v}" for v in tags]
    if feeds := by_key.get("feed"):
        one = "name LIKE ? ESCAPE '\\' OR url = ? OR CAST(id AS TEXT) = ?"
        clauses.append(
            "a.feed_id IN (SELECT id FROM feeds WHERE "
            + " OR ".join(f"({one})" for _ in feeds)
            + ")"
        )
        for v in feeds:
            params += [_like_prefix(v), v, v]
        terms += [f"feed:{v}" for v in feeds]
    if since := by_key.get("since"):
        first = max(_day("since", v) for v in since)
        clauses.append("a.published >= ?")
        params.append(first.isoformat())
        terms.append(f"since:{first.isoformat()}")
    if until := by_key.get("until"):
        last = min(_day("until", v) for v in until)
        clauses.append("a.published < ?")  # inclusive: before the next day
        # (9999-12-31 has no next day: every ISO date sorts before "9999-12-32")
        params.append((last + timedelta(days=1)).isoformat() if last < date.max else "9999-12-32")
        terms.append(f"until:{last.isoformat()}")
    for flag in dict.fromkeys(flags):
        clauses.append(
            {
                "unread": "a.read_at IS NULL",
                "read": "a.read_at IS NOT NULL",
                "saved": "a.saved_at IS NOT NULL",
            }[flag]
        )
        terms.append(flag)
    if len(words) > MAX_TERMS:  # "a-b-c-…" is one token but many index words
        raise FilterError(f"too many words ({len(words)}); a filter holds at most {MAX_TERMS}")
    base_where, base_params = " AND ".join(clauses) or "1", tuple(params)
    match = fts_match(" ".join(words))
    if match is not None:
        clauses.append(FTS_CLAUSE)
        params.append(match)
        terms += words
    return Filter(
        where=" AND ".join(clauses) or "1",
        params=tuple(params),
        words=tuple(words),
        terms=tuple(terms),
        base_where=base_where,
        base_params=base_params,
    )


_EXAMPLES = {
    "outlet": "bbc",
    "tag": "world",
    "feed": "1",
    "since": "2022-02-01",
    "until": "2022-02-14",
}
