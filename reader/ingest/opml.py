"""OPML subscription lists: read them (hardened) and write them.

Owns: ``parse_opml`` (bytes in, ``OpmlFeed``s out: every ``<outline>`` with an
``xmlUrl``, at any depth, titled by ``title`` or ``text``) and ``export_opml``.

Tags (issue 11) survive the round trip ``parse_opml(export_opml(feeds))``:

- reading, a feed's tags are the titles of the folders it sits in (an outline with
  no ``xmlUrl``: outermost first), then the entries of its ``category`` attribute
  (OPML 2.0: comma-separated; each entry may be a path like ``/News/World``, which
  becomes the tag ``News/World``: the whole path without its leading slash, so two
  folders of the same name under different parents stay two tags). Duplicates
  (case-insensitive) are dropped, first one kept.
- writing, each feed goes inside a folder outline named after its first tag (untagged
  feeds at the top level) and carries all its tags, in order, in ``category``.
  Newsboat-, Feedly- and Inoreader-style files (folders, no categories) read the same.
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
from reader.sanitize import MAX_URL, clean_line, clean_url

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
    tags: tuple[str, ...] = ()  # folders, then the category attribute's entries


def clean_tag(value: str) -> str:
    """A tag as stored: one line, no commas (they separate tags in OPML), no outer slashes."""
    return clean_line(value.replace(",", " "), 100).strip().strip("/").strip()


def _dedupe(tags: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for tag in tags:
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return tuple(out)


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
        raw = (lowered.get("xmlurl") or "").strip()
        # stored whole; one too long to store stays, so the import says why it skips it
        url = clean_url(raw) or clean_line(raw, MAX_URL + 1)
        if url and url not in seen:
            seen.add(url)
            category = "/".join(t for t in stack if t)
            folders = [clean_tag(t) for t in stack if t]
            listed = [clean_tag(c) for c in (lowered.get("category") or "").split(",")]
            tags = _dedupe(folders + listed)
            feeds.append(OpmlFeed(url=url, title=title, category=category, tags=tags))
        # only folders (no xmlUrl) name the feeds inside them
        stack.append("" if url else title)

    def end(_name: str) -> None:
        if stack:
            stack.pop()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
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


def tags_by_url(entries: Iterable[OpmlFeed]) -> dict[str, tuple[str, ...]]:
    """The tags of each entry, keyed by its URL as ``subscribe_all`` stores it."""
    from reader.ingest.http import FetchError, check_url

    out: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        if not entry.tags:
            continue
        try:
            out[check_url(entry.url)] = entry.tags
        except FetchError:
            continue
    return out


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
    )


def export_opml(feeds: Iterable[Feed], title: str = "Parallax subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds``: in a folder per first tag, with every
    tag in ``category`` (see the module docstring)."""
    folders: dict[str, list[Feed]] = {}
    for feed in feeds:
        first = clean_tag(feed.tags[0]) if feed.tags else ""
        folders.setdefault(first, []).append(feed)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_attr(title)}</title>",
        "  </head>",
        "  <body>",
    ]
    for folder, members in folders.items():
        indent = "    "
        if folder:
            lines.append(f'    <outline text="{_attr(folder)}" title="{_attr(folder)}">')
            indent = "      "
        for feed in members:
            name = clean_line(feed.name)
            tags = ",".join(t for t in (clean_tag(t) for t in feed.tags) if t)
            category = f' category="{_attr(tags)}"' if tags else ""
            lines.append(
                f'{indent}<outline type="rss" text="{_attr(name)}" title="{_attr(name)}" '
                f'xmlUrl="{_attr(clean_url(feed.url))}"{category}/>'
            )
        if folder:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
