"""The publication date and the site's name of an article page, from the page's own metadata.

Owns: ``published_date(html)``: the day the publisher says it published the article, in
the publisher's own time zone; ``site_name(html)``: the name the site gives itself;
``page_metadata(html)``: both from one parse. Must not: download anything, or guess from
text that is not the article's metadata (an embedded script of another story, a related
link, a date in the URL of a page linked from it).

Why the site's own name (``og:site_name``, then ``application-name``) before
trafilatura's: trafilatura prefers the JSON-LD publisher, which on a syndicated story is
the wire or the desk ("Associated Press" on the Times Union's page, "DH News Service" on
Deccan Herald's), so one outlet's articles got several names and counted as several
outlets. A name followed by " | " and another form of it ("The Jerusalem Post |
JPost.com") keeps its first part.

Why not trafilatura's date alone: it (through htmldate) prefers a date in the URL, scans
scripts, and reads UTC timestamps as dates, so an article published at 7:04 pm ET on 18
November ("2019-11-19T00:04Z") became the 19th, and a page whose URL carries the previous
day was dated by it. The rules:

1. **Only the article's own metadata**: ``datePublished`` of a JSON-LD object whose type is
   an article (``NewsArticle``, ``Article``, ``BlogPosting``, ``LiveBlogPosting`` ...; with
   several, the one whose url matches the page's canonical url), the
   ``article:published_time``/``datePublished``/``pubdate``-style meta tags, and ``<time>``
   elements marked as the publication (``itemprop="datePublished"``, ``pubdate``, or a
   class naming publication).
2. **The publisher's day, not UTC's**: a timestamp with a non-UTC offset gives its own
   date. A UTC timestamp is moved to the publisher's zone when the page states the same
   instant (within ten minutes) with an offset (another timestamp: "2019-11-19 21:57:00
   -0800" beside "05:57:50Z"), or in words beside the byline ("Nov. 18, 2019 7:04 pm ET"
   for "00:04Z"); otherwise its UTC date stands.
3. Nothing found: ``None`` (the caller falls back to trafilatura's date).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "report",
    }
)
_META_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "date",
)
_ZONES = {  # the abbreviations pages print beside a time, in November-style offsets
    "ET": None,
    "EST": -5,
    "EDT": -4,
    "CT": None,
    "CST": -6,
    "CDT": -5,
    "MT": None,
    "MST": -7,
    "MDT": -6,
    "PT": None,
    "PST": -8,
    "PDT": -7,
    "GMT": 0,
    "UTC": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
}
_GENERIC = {"ET": (-5, -4), "CT": (-6, -5), "MT": (-7, -6), "PT": (-8, -7)}
_SAME_INSTANT = timedelta(minutes=10)
_ISO_STAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s?(Z|UTC|GMT|[+-]\d{2}:?\d{2})"
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH_NUMBER = {
    m: n for n, m in enumerate([*_MONTHS.split("|")[:8], "sep", "oct", "nov", "dec"], 1)
}
_SPOKEN = re.compile(
    rf"(?i)\b(?:(?P<mon1>{_MONTHS})[a-z]*\.?\s+(?P<day1>\d{{1,2}}),?\s+(?P<year1>\d{{4}})"
    r"[\s,]*(?:at\s+)?(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*(?P<ap1>[ap])\.?m\.?\s*(?P<z1>[A-Z]{2,4})\b"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2})\s*(?P<ap2>[ap])\.?m\.?\s*(?P<z2>[A-Z]{2,4}),?\s+"
    rf"(?:[a-z]+day,?\s+)?(?P<mon2>{_MONTHS})[a-z]*\.?\s+(?P<day2>\d{{1,2}}),?\s+(?P<year2>\d{{4}}))"
)


def page_metadata(html: bytes | str) -> tuple[date | None, str | None]:
    """The publication day (``published_date``) and the site's name (``site_name``)."""
    from lxml import html as lxml_html

    raw = html if isinstance(html, bytes) else html.encode("utf-8", errors="replace")
    try:  # bytes: lxml refuses str with an XML encoding declaration
        tree = lxml_html.fromstring(raw)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None, None
    return _published(raw.decode("utf-8", errors="replace"), tree), _site_name(tree)


def published_date(html: bytes | str) -> date | None:
    """The article's publication day in the publisher's zone (see the module docstring)."""
    return page_metadata(html)[0]


def site_name(html: bytes | str) -> str | None:
    """The name the site gives itself, or None (see the module docstring)."""
    return page_metadata(html)[1]


def _site_name(tree: Any) -> str | None:
    for name in ("og:site_name", "application-name"):
        for meta in tree.xpath("//meta"):
            if (meta.get("property") or meta.get("name") or "").lower() != name:
                continue
            value = " ".join((meta.get("content") or "").split()).split(" | ")[0].strip()
            if value:
                return value
    return None


def _published(html: str, tree: Any) -> date | None:
    stamps = [s for s in (_parse(v) for v in _candidates(tree)) if s is not None]
    if not stamps:
        return None
    for when, aware in stamps:
        if aware and when.utcoffset() not in (None, timedelta(0)):
            return _plausible(when.date())
    aware_utc = [when for when, aware in stamps if aware]
    if not aware_utc:
        return _plausible(stamps[0][0].date())
    instant = aware_utc[0]
    local = _local_statement(html, tree, instant)
    return _plausible((local or instant).date())


def _plausible(day: date) -> date | None:
    return day if 1990 <= day.year <= date.today().year + 1 else None


def _candidates(tree: Any) -> Iterator[str]:
    canonical = "".join(tree.xpath("//link[@rel='canonical']/@href")[:1]).rstrip("/")
    articles: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        articles.extend(_ld_articles(data))
    articles.sort(key=lambda obj: not (canonical and _url_of(obj) == canonical))
    for obj in articles:
        value = obj.get("datePublished")
        if isinstance(value, str):
            yield value
    for meta in tree.xpath("//meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in _META_NAMES and meta.get("content"):
            yield meta.get("content")
    for time in tree.xpath("//time[@datetime]"):
        parent = time.getparent()
        outer = parent.get("class") if parent is not None else None
        marks = " ".join((time.get("itemprop") or "", time.get("class") or "", outer or ""))
        marks = marks.lower()
        if time.get("pubdate") is not None or re.search(r"publish|pubdate|datepublished", marks):
            yield time.get("datetime")


def _ld_articles(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_articles(item)
        return
    if not isinstance(data, dict):
        return
    kind = data.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in kinds):
        yield data
    if "@graph" in data:
        yield from _ld_articles(data["@graph"])


def _url_of(obj: dict[str, Any]) -> str:
    for key in ("url", "mainEntityOfPage", "@id"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id")
        if isinstance(value, str):
            return value.rstrip("/")
    return ""


def _parse(value: str) -> tuple[datetime, bool] | None:
    """A timestamp and whether it carries a zone (naive ones keep their written date)."""
    from dateutil import parser

    text = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        when = parser.isoparse(text)
    except ValueError:
        try:
            when = parser.parse(text, tzinfos={"UTC": 0, "GMT": 0})
        except (ValueError, OverflowError):
            return None
    return when, when.tzinfo is not None


def _local_statement(html: str, tree: Any, instant: datetime) -> datetime | None:
    """The same instant as the page states it in the publisher's zone, if it does."""
    for m in _ISO_STAMP.finditer(html):
        zone = m.group(3)
        if zone in ("Z", "UTC", "GMT") or zone.replace(":", "") in ("+0000", "-0000"):
            continue
        parsed = _parse(f"{m.group(1)}T{m.group(2)}{zone}")
        if parsed and abs(parsed[0] - instant) <= _SAME_INSTANT:
            return parsed[0]
    for node in tree.xpath("//time"):
        text = " ".join(node.text_content().split())
        if local := _spoken(text, instant):
            return local
    return None


def _spoken(text: str, instant: datetime) -> datetime | None:
    """ "Nov 18, 2019 at 9:24 pm ET" or "10:01 pm PST, Tuesday, November 19, 2019", if it
    names ``instant`` in some zone."""
    for m in _SPOKEN.finditer(text):
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        n = "1" if "mon1" in g else "2"
        month = _MONTH_NUMBER[g[f"mon{n}"][:3].lower()]
        hour = int(g[f"h{n}"]) % 12 + (12 if g[f"ap{n}"].lower() == "p" else 0)
        zone = g[f"z{n}"].upper()
        if zone not in _ZONES:
            continue
        offsets = _GENERIC.get(zone) or (_ZONES[zone],)
        try:
            written = datetime(int(g[f"year{n}"]), month, int(g[f"day{n}"]), hour, int(g[f"m{n}"]))
        except ValueError:
            continue
        for hours in offsets:
            if hours is None:
                continue
            local = written.replace(tzinfo=timezone(timedelta(hours=hours)))
            if abs(local - instant) <= _SAME_INSTANT:
                return local
    return None
