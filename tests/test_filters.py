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


# -- issue 20, item 18: common words walk the date index in stretches ------------------

FORMS = [
    "diplomat", "diplomats", "Diplomatic", "diplomacy", "embassy", "Embassies", "Ukraine",
    "Ukrainian", "Lavrov’s", "Kyïv", "Kyiv", "talks", "A400M", "ceasefire", "zones",
]  # fmt: skip
WORD_FILTERS = [
    "diplom", "DIPLOMAT", "diplomats", "emb", "ukrain", "ukr talks", "Kyïv", "kyi", "Lavrov’s",
    "s", "a4", "zzz", "diplom unread", "diplom saved", "read emb", "outlet:wire diplom",
    "since:2021-03-01 until:2021-06-30 emb", "unread since:2021-01-01 ukrain talks",
    "tag:world diplomacy", "diplomat diplomacy ceasefire",
]  # fmt: skip


@pytest.fixture
def wordy(tmp_path) -> Store:  # type: ignore[no-untyped-def]
    """900 articles over two years whose words begin alike, a tenth of them imported
    out of date order and some undated; 600 are read, one in 9 saved, one feed tagged."""
    import random

    rng = random.Random(20)
    store = Store(tmp_path / "wordy.db")
    feed, _ = store.add_feed("https://example.org/wire", "Wire")
    store.tag_feed(feed.id, ["world"])
    start = date(2021, 1, 1).toordinal()
    days = sorted(date.fromordinal(start + rng.randrange(700)) for _ in range(900))
    for i in rng.sample(range(900), 90):
        days[i] = None if i % 3 == 0 else date(2021, 1, 1 + i % 28)  # type: ignore[call-overload]
    items = []
    for n, day in enumerate(days):
        words = rng.choices(FORMS, k=rng.randrange(1, 6))
        items.append(
            (
                NewArticle(
                    outlet=("Wire", "Post", "DW")[n % 3],
                    title=" ".join(rng.choices(FORMS, k=2)),
                    text=f"Article {n}: " + " ".join(words) + ".",
                    published=day,
                    origin=f"https://example.org/a/{n}",
                    feed_id=feed.id if n % 3 == 0 else None,
                    guid=str(n) if n % 3 == 0 else None,
                ),
                None,
            )
        )
    added = store.add_articles(items)
    ids = [a.id for a, _ in added]
    store.set_read(rng.sample(ids, 600))
    for aid in ids[::9]:
        store.toggle_saved(aid)
    return store


def _reference(store: Store, text: str, limit: int) -> tuple[list[str], bool]:
    """The filter as one query with FTS5's own prefix queries (the plan before issue 20)."""
    parsed = parse_filter(text)
    rows = store.conn.execute(
        f"SELECT a.id FROM articles a WHERE {parsed.where} "
        f"ORDER BY a.published DESC, a.rowid DESC LIMIT {limit + 1}",
        parsed.params,
    ).fetchall()
    return [r[0] for r in rows[:limit]], len(rows) > limit


@pytest.mark.parametrize("plan", ["default", "always-walk", "walk-gives-up"])
@pytest.mark.parametrize("limit", [3, 40, 2000])
def test_word_filters_find_what_prefix_queries_found(
    wordy: Store, monkeypatch: pytest.MonkeyPatch, plan: str, limit: int
) -> None:
    import reader.store.search as db

    if plan != "default":
        monkeypatch.setattr(db, "FILTER_WALK_MIN", 0)
    if plan == "walk-gives-up":
        monkeypatch.setattr(db, "FILTER_WALK_SPAN", 300)
    for text in WORD_FILTERS:
        found, more = wordy.filter_articles(text, limit=limit)
        assert ([s.id for s in found], more) == _reference(wordy, text, limit), text


def test_common_words_are_checked_by_rowid_range_not_gathered(
    wordy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.store.search as db

    monkeypatch.setattr(db, "FILTER_WALK_MIN", 100)
    statements: list[str] = []
    wordy.conn.set_trace_callback(statements.append)
    try:
        wordy.filter_articles("diplom", limit=20)
    finally:
        wordy.conn.set_trace_callback(None)
    ours = [s for s in statements if not s.startswith("--")]  # not FTS5's own
    fts = [s for s in ours if "articles_fts" in s and "articles_fts_terms" not in s]
    assert fts and all("rowid BETWEEN" in s for s in fts), fts
    assert not any("IN (SELECT rowid FROM articles_fts" in s for s in ours)
    # the words were expanded from the index's own word list, lazily read as an OR
    assert any("articles_fts_terms" in s for s in ours)
    assert any('"diplomacy" OR "diplomat"' in s for s in fts), fts
    plan = wordy.explain_filter("diplom")
    assert "in stretches" in plan[0] and "INDEX" in plan[0], plan
    # words in fewer articles than FILTER_WALK_MIN gather their matches once
    monkeypatch.setattr(db, "FILTER_WALK_MIN", 10_000)
    assert "in stretches" not in wordy.explain_filter("diplom")[0]


def test_migration_6_keeps_a_v5_library(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from reader.store.schema import MIGRATIONS, SCHEMA_VERSION, _statements

    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:5]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO articles(id, outlet, title, text, content_hash, origin, imported_at, "
        "published) VALUES ('x1', 'DW', 'Diplomats leave', 'The embassy closed.', 'h1', "
        "'f', '2022-02-01T00:00:00Z', '2022-02-01')"
    )
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert [a.id for a in store.all_articles()] == ["x1"]
    assert [s.id for s in store.filter_articles("diplom")[0]] == ["x1"]
    assert [s.id for s in store.filter_articles("embass")[0]] == ["x1"]
    terms = [r[0] for r in store.conn.execute("SELECT term FROM articles_fts_terms")]
    assert terms == sorted(terms) and "diplomats" in terms and "embassy" in terms
