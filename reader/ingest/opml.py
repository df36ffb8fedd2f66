"""OPML subscription lists: read them (hardened) and write them.

Owns: ``parse_opml`` (bytes in, ``OpmlFeed``s out: every ``<outline>`` with an
``xmlUrl``, at any depth, titled by ``title`` or ``text``) and ``export_opml``.
The reader uses expat directly and refuses any DOCTYPE, entity declaration or
external reference (billion laughs, XXE), inputs over ``MAX_OPML_BYTES`` and more
than ``MAX_OUTLINES`` outlines. Must not: validate or fetch the URLs (the caller
checks schemes with ``ingest.http.check_url``), or touch the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from reader.models import Feed
from reader.sanitize import clean_line

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OUTLINES = 10_000
MAX_DEPTH = 50


class OpmlError(Exception):
    """An OPML file that cannot be read; ``str(exc)`` is one line."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    category: str = ""  # the enclosing outlines' titles, "/"-joined


def read_opml_file(path: Path) -> list[OpmlFeed]:
    """The feeds in an OPML file; ``OpmlError`` with a one-line reason otherwise."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_OPML_BYTES + 1)
    except OSError as exc:
        raise OpmlError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return parse_opml(data)
    except OpmlError as exc:
        raise OpmlError(f"{path.name}: {exc}") from None


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds listed in an OPML document (duplicates by URL dropped, order kept)."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file larger than {MAX_OPML_BYTES // (1024 * 1024)} MB")
    parser = expat.ParserCreate()
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    stack: list[str] = []  # open elements: an outline's title, "" for anything else
    state = {"outlines": 0, "root": ""}

    def refuse(*_args: object) -> None:
        raise OpmlError("OPML file declares a DOCTYPE or entities (refused)")

    def start(name: str, attrs: dict[str, str]) -> None:
        if not state["root"]:
            state["root"] = name
            if name.lower() != "opml":
                raise OpmlError(f"not an OPML file (root element <{clean_line(name, 40)}>)")
        if len(stack) > MAX_DEPTH:
            raise OpmlError("OPML outlines nested too deeply")
        if name != "outline":
            stack.append("")
            return
        state["outlines"] += 1  # type: ignore[operator]
        if state["outlines"] > MAX_OUTLINES:  # type: ignore[operator]
            raise OpmlError(f"OPML file has more than {MAX_OUTLINES} outlines")
        lowered = {k.lower(): v for k, v in attrs.items()}
        title = clean_line(lowered.get("title") or lowered.get("text") or "", 200)
        url = clean_line(lowered.get("xmlurl") or "", 2000)
        if url and url not in seen:
            seen.add(url)
            category = "/".join(t for t in stack if t)
            feeds.append(OpmlFeed(url=url, title=title, category=category))
        stack.append(title)

    def end(_name: str) -> None:
        if stack:
            stack.pop()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise OpmlError(
            f"not a readable OPML file: {expat.errors.messages[exc.code]} at line {exc.lineno}"
        ) from None
    if not state["root"]:
        raise OpmlError("not an OPML file (empty)")
    return feeds


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
    )


def export_opml(feeds: Iterable[Feed], title: str = "Parallax subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds`` (one flat list)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_attr(title)}</title>",
        "  </head>",
        "  <body>",
    ]
    for feed in feeds:
        name = clean_line(feed.name)
        lines.append(
            f'    <outline type="rss" text="{_attr(name)}" title="{_attr(name)}" '
            f'xmlUrl="{_attr(clean_line(feed.url))}"/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
