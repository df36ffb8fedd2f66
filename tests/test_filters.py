"""The filter language (reader.store.filters): parsing, SQL, hostile input, index walks."""

from __future__ import annotations

from datetime import date

import pytest

from reader.models import NewArticle
from reader.store import Store
from reader.store.filters import FilterError, fts_match, parse_filter


@pytest.mark.parametrize(
    ("text", "where", "params"),
    [
        ("", "1", ()),
        ("unread", "a.read_at IS NULL", ()),
        ("READ", "a.read_at IS NOT NULL", ()),
        ("saved", "a.saved_at IS NOT NULL", ()),
        ("outlet:BBC", "(a.outlet LIKE ? ESCAPE '\\')", ("BBC%",)),
        ('outlet:"Deutsche Welle"', "(a.outlet LIKE ? ESCAPE '\\')", ("Deutsche Welle%",)),
        ("outlet:50%_off", "(a.outlet LIKE ? ESCAPE '\\')", ("50\\%\\_off%",)),
        (
            "outlet:bbc outlet:dw",
            "(a.outlet LIKE ? ESCAPE '\\' OR a.outlet LIKE ? ESCAPE '\\')",
            ("bbc%", "dw%"),
        ),
        ("since:2022-02-01", "a.published >= ?", ("2022-02-01",)),
        ("until:2022-02-14", "a.published < ?", ("2022-02-15",)),  # inclusive
        ("Tag:world", "a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag IN (?))", ("world",)),
        (
            "embassy Lavrov’s",
            "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
            ('"embassy"* "Lavrov"* "s"*',),
        ),
    ],
    ids=[
        "empty",
        "unread",
        "read-any-case",
        "saved",
        "outlet-prefix",
        "quoted-value",
        "like-wildcards-escaped",
        "same-key-is-or",
        "since",
        "until-inclusive",
        "tag",
        "free-text-as-index-words",
    ],
)
def test_parse_filter(text: str, where: str, params: tuple[object, ...]) -> None:
    parsed = parse_filter(text)
    assert (parsed.where, parsed.params) == (where, params)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour:red", "unknown filter 'colour:'"),
        ("outlet:", "outlet: needs a value"),
        ("since:yesterday", "since: wants a date"),
        ("until:2022-13-01", "until: wants a date"),
    ],
)
def test_parse_filter_errors_are_one_line(text: str, message: str) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(text)
    assert message in str(info.value) and "\n" not in str(info.value)


HOSTILE = [
    '"',
    '""',
    '"unterminated',
    'outlet:"unterminated',
    "*",
    "embassy*",
    "NEAR(embassy kyiv)",
    "NEAR(",
    "-embassy",
    "x OR y",
    "AND",
    "embassy AND NOT kyiv",
    "'; DROP TABLE articles; --",
    "col:",
    ":",
    "::",
    ":embassy",
    'tag:"a\'b"',
    "feed:%",
    "^embassy",
    "{title}: embassy",
    "\x00",
    "[/b] [Putin]",
    "outlet:\\",
    "since:2022-02-01 until:2022-01-01",
    "saved-items",
    "unread read saved",
    "unread unread",
    "read:",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_filters_never_raise_sqlite_errors(store: Store, text: str) -> None:
    try:
        parsed = parse_filter(text)
    except FilterError:
        return
    rows, _more = store.filter_articles(parsed)
    assert isinstance(rows, list)


def test_fts_match_quotes_every_word() -> None:
    assert fts_match('NEAR("a" -b*)') == '"NEAR"* "a"* "b"*'
    assert fts_match("--- ***") is None


@pytest.fixture
def library(store: Store) -> Store:
    feed, _ = store.add_feed("https://example.org/feed", "Example World")
    store.tag_feed(feed.id, ["world"])
    for n in range(3):
        store.add_article(
            NewArticle(
                outlet="BBC World",
                title=f"Feed item {n}",
                text=f"Diplomats left the embassy in Lviv on day {n}.",
                published=date(2022, 2, 20 + n),
                origin=f"https://example.org/{n}",
                url=f"https://example.org/{n}",
                feed_id=feed.id,
                guid=str(n),
            )
        )
    return store


def _outlets(store: Store, text: str) -> list[str]:
    return [s.outlet for s in store.filter_articles(text)[0]]


def test_filters_on_the_seeds_and_a_feed(library: Store) -> None:
    assert _outlets(library, "outlet:bbc") == ["BBC World"] * 3
    # unquoted, "wash" is a text word: outlets starting "the" whose text has "wash…"
    assert _outlets(library, "outlet:the wash") == ["The Washington Post"]
    assert _outlets(library, 'outlet:"the wash"') == ["The Washington Post"]
    assert _outlets(library, "tag:WORLD") == ["BBC World"] * 3
    assert _outlets(library, "feed:example") == ["BBC World"] * 3
    assert _outlets(library, "feed:1") == ["BBC World"] * 3
    assert _outlets(library, "Shoigu") == ["The Washington Post"]
    assert _outlets(library, "Lavrov’s") and "JEN" not in _outlets(library, "Shoigu")
    assert sorted(_outlets(library, "since:2022-02-14 until:2022-02-14")) == [
        "DW",
        "JEN",
        "RFE/RL",
        "The Washington Post",
    ]
    assert _outlets(library, "since:2022-02-21") == ["BBC World", "BBC World"]
    assert len(_outlets(library, "unread")) == 8
    newest = library.filter_articles("unread")[0][0]
    library.set_read([newest.id])
    assert len(_outlets(library, "unread")) == 7
    assert [s.id for s in library.filter_articles("read")[0]] == [newest.id]
    assert _outlets(library, "tag:world unread diplomats") == ["BBC World"] * 2


def test_filter_results_are_newest_first_and_bounded(library: Store) -> None:
    rows, more = library.filter_articles("", limit=3)
    assert more and len(rows) == 3
    dates = [r.published for r in library.filter_articles("")[0]]
    assert dates == sorted(dates, key=lambda d: d or date.min, reverse=True)


@pytest.mark.parametrize(
    "text",
    ["unread", "read", "saved", "outlet:bbc", "tag:world", "since:2022-01-01", "embassy unread"],
)
def test_filters_are_index_walks(library: Store, text: str) -> None:
    plan = " | ".join(library.explain_filter(text))
    assert "INDEX" in plan, plan
    assert "SCAN a " not in plan or "COVERING INDEX" in plan or "USING INDEX" in plan, plan
