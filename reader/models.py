"""The reader's vocabulary: small frozen dataclasses that cross layer boundaries.

Owns: the shapes of articles, stories, sentences, mentions and entities as every
layer sees them. Must not: import anything from the rest of the package, touch SQL,
HTTP, spaCy or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article. ``text`` is already sanitized (see ``reader.sanitize``)."""

    id: str
    outlet: str
    title: str
    text: str
    published: date | None
    url: str | None
    origin: str
    content_hash: str
    imported_at: str = ""
    language: str = "en"
    author: str | None = None
    feed_id: int | None = None
    guid: str | None = None
    story_id: str | None = None

    @property
    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article on its way into the store, before it has an id or hash.

    Everything that builds one (seeds, file import, feeds) must have passed its
    strings through ``reader.sanitize`` first; ``Store.add_article`` checks again.
    """

    outlet: str
    title: str
    text: str
    published: date | None
    origin: str
    url: str | None = None
    language: str = "en"
    author: str | None = None
    feed_id: int | None = None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from different outlets about one event."""

    id: str
    title: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, by character offsets into ``Article.text``."""

    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention as the NER model tagged it, by character offsets."""

    article_id: str
    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, DATE, CARDINAL, ...
    sentence: int  # index into the article's sentences


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """What the NLP pass computed for one article text (cached by content hash)."""

    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]

    def sentence_text(self, text: str, index: int) -> str:
        s = self.sentences[index]
        return text[s.start : s.end]


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: every mention of one person, place or organisation."""

    id: str
    name: str
    label: str  # PERSON, ORG, PLACE (GPE/LOC/FAC folded), NORP
    variants: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # article_id -> surface forms
    mentions: dict[str, int] = field(default_factory=dict)  # article_id -> count


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article without its text: what lists and tables need."""

    id: str
    outlet: str
    title: str
    published: date | None
    story_id: str | None = None
    origin: str = ""
    read: bool = False  # opened (or marked read) by the reader
    saved: bool = False  # starred: kept forever, listed by the ``saved`` filter
    url: str | None = None

    @property
    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscribed RSS/Atom feed and what its last refresh said."""

    id: int
    url: str
    name: str
    etag: str | None = None
    last_modified: str | None = None
    added_at: str = ""
    last_fetched_at: str | None = None
    last_status: str | None = None  # "ok", "unchanged", "error"
    last_error: str | None = None  # one line, sanitized
    article_count: int = 0
    unread_count: int = 0
    tags: tuple[str, ...] = ()  # from OPML categories/folders or ``feeds tag``
    retry_after: str | None = None  # UTC ISO time: rate-limited (HTTP 429/503) until then


@dataclass(frozen=True, slots=True)
class SavedComparison:
    """A comparison the reader saved: exactly these articles, whatever stories become."""

    id: int
    title: str
    article_ids: tuple[str, ...]
    saved_at: str = ""
