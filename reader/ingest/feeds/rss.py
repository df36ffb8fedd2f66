"""Plain RSS 2.0 read with lxml, exactly as feedparser's strict parser would read it.

Owns: ``plain_rss`` (None for anything that is not plain RSS 2.0 in UTF-8: then
``parse`` hands the body to feedparser). Must not: guess: a document it is not
sure to read as feedparser does goes to feedparser.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from reader.ingest.feeds.parsers import fast_deps

# feedparser is pure Python: on a realistic mix of 135 feeds (7 MB) it was ~2 s of a
# cold refresh's ~3.7 s of CPU (issue 16's benchmark against newsboat). Most feeds are
# plain RSS 2.0 in UTF-8; for those, ``plain_rss`` reads the few fields Parallax uses
# with lxml (C) and gives them exactly as feedparser's strict parser would (its
# whitespace stripping, its UTF-8 mojibake repair and cp1252 mapping, its permalink
# GUID rules, its date parser). Anything else (Atom, RDF, other encodings, xml:base,
# markup inside a field, an element it would map into these fields, an author with an
# e-mail address, a malformed document) returns None: feedparser reads it, as before.
# ``tests/test_feeds_web.py`` checks the two agree on every feed of the test corpora.

_RSS_ITEM_FIELDS = frozenset(
    "title link guid description pubDate author category comments enclosure source".split()
)
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_ALLOWED_NS_FIELDS = frozenset(
    {
        f"{{{_CONTENT_NS}}}encoded",
        f"{{{_DC_NS}}}creator",
        f"{{{_DC_NS}}}date",
        "{http://purl.org/rss/1.0/modules/slash/}comments",
        "{http://wellformedweb.org/CommentAPI/}commentRss",
    }
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
_URI_FIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_LINK_ENTITY = re.compile(r"&([A-Za-z0-9_]+);")
_XML_PARSER = None


def _xml_parser():  # type: ignore[no-untyped-def]
    global _XML_PARSER
    if _XML_PARSER is None:
        etree = fast_deps()[0]
        _XML_PARSER = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            recover=False,
            remove_comments=True,
            remove_pis=True,
            strip_cdata=True,
        )
    return _XML_PARSER


def _as_feedparser(text: str | None, table: dict[int, str]) -> str:
    """A field's text as feedparser's ``pop`` leaves it (strict parser, UTF-8)."""
    output = (text or "").strip()
    try:  # its repair of UTF-8 that was read as ISO-8859-1 and encoded again
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(table)


def _feedparser_uri(value: str) -> str:
    """feedparser's ``resolve_uri`` with no base: extra slashes after the scheme go."""
    try:
        return urljoin("", _URI_FIXER.sub(r"\1\3", value))
    except ValueError:
        return value


def plain_rss(body: bytes, content_type: str = "") -> tuple[str, list[dict]] | None:  # type: ignore[type-arg]
    """(feed title, entries as feedparser's dicts with the keys ``parse_feed`` reads)
    for a plain RSS 2.0 document in UTF-8; None for anything else (see above)."""
    ctype = (content_type or "").lower()
    if ctype.startswith("text/") or (
        "charset" in ctype and "charset=utf-8" not in ctype.replace(" ", "").replace('"', "")
    ):
        return None  # feedparser's RFC 3023 charset rules: leave them to it
    head = body[:512].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    declared = _XML_DECL_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    if b"xml:base" in body or b"<!DOCTYPE" in body[:2048] or b"\x00" in head:
        return None
    etree, _parse_date, _cp1252 = fast_deps()
    try:
        root = etree.fromstring(body, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != "rss" or root.get("version") not in ("2.0", "0.91", "0.92"):
        return None
    channels = [c for c in root if c.tag == "channel"]
    if len(channels) != 1 or len(root) != 1:
        return None
    channel = channels[0]
    title = ""
    title_seen = False
    entries: list[dict] = []  # type: ignore[type-arg]
    for item in channel:
        tag = item.tag
        if not isinstance(tag, str):
            continue
        if tag == "title":
            if title_seen or len(item):
                return None
            title, title_seen = _as_feedparser(item.text, _cp1252), True
            continue
        if tag != "item":
            # Another element that feedparser could read as the feed's title (a
            # namespaced title, or a nested one before the channel's own): not plain.
            nested = (d.tag for d in item.iter() if d is not item and isinstance(d.tag, str))
            if tag.endswith("}title") or any(
                t == "item" or (not title_seen and (t == "title" or t.endswith("}title")))
                for t in nested
            ):
                return None
            continue
        entry: dict = {}  # type: ignore[type-arg]
        seen: set[str] = set()
        for child in item:
            tag = child.tag
            if not isinstance(tag, str):
                return None
            if tag not in _RSS_ITEM_FIELDS and tag not in _ALLOWED_NS_FIELDS:
                return None
            if tag in seen and tag != "category":
                return None
            seen.add(tag)
            if tag in ("category", "comments", "enclosure", "source") or tag.endswith(
                ("}comments", "}commentRss")
            ):
                if tag == "source" or len(child):
                    return None  # feedparser reads a source's own title, and so on
                continue
            if len(child):  # markup inside a child: feedparser keeps it as text
                return None
            value = _as_feedparser(child.text, _cp1252)
            if tag == "title":
                entry["title"] = value
            elif tag == "link":
                value = _feedparser_uri(value) if value else value
                value = _LINK_ENTITY.sub(r"&\g<1>", value.replace("&amp;", "&"))
                entry["link"] = value
            elif tag == "guid":
                permalink = (
                    next((v for k, v in child.attrib.items() if k.lower() == "ispermalink"), "true")
                    == "true"
                )
                if permalink and value:
                    value = _feedparser_uri(value)
                entry["id"] = value
                entry["guidislink"] = permalink and "link" not in entry
                if permalink and "link" not in entry:
                    entry["link"] = value
            elif tag == "description":
                entry["summary"] = value
            elif tag == f"{{{_CONTENT_NS}}}encoded":
                entry["content"] = [{"value": value}]
            elif tag in ("author", f"{{{_DC_NS}}}creator"):
                if "@" in value or "author" in entry:
                    return None
                entry["author"] = value
            elif tag == "pubDate":
                entry["published"] = value
                entry["published_parsed"] = _parse_date(value) if value else None
            elif tag == f"{{{_DC_NS}}}date":
                entry["updated"] = value
                entry["updated_parsed"] = _parse_date(value) if value else None
        entries.append(entry)
    return title, entries
