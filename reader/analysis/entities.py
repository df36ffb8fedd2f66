"""Entity linking: the NER mentions of a set of articles become canonical entities.

Owns: deciding which mentions (across all the articles given) name the same person,
place, organisation or group, what that entity is called, what type it is, and its
stable id (``"person:volodymyr-zelensky"``: the UI derives colours from it). Must not:
import spaCy or Textual, touch the store, or change the mentions it is given (it may
*add* mentions for @handles the model missed, see rule 9). Linking is pure and fast
(the five seeds link in about 20-30 ms): analyses are cached, linking is not.

The rules, in the order they run (each has a row in ``tests/test_entities.py``):

1. **Clean the surface.** Non-breaking and repeated spaces become one space; leading
   dashes, quotes and brackets, a leading "the", possessives ("Scholz’s", "Putin's",
   "RFE/RL's") and leading titles ("President", "Secretary of State", "Foreign
   Minister", "Sec" ...) are dropped. A @handle is split at its capitals
   ("@DmytroKuleba" -> "Dmytro Kuleba", "@SecBlinken" -> "Blinken"). A trailing score
   ("Nicolas Jarry 6-4") or dash ("Kim Kardashian -") goes; a word run together with a
   name the span already has is cut there ("Kristi NoemKristi" -> "Kristi Noem").
2. **Junk is not linked.** A span tagged PERSON with a lowercase word in it ("Russian
   de-escalation"), a span with a currency sign ("Can$7.8"), and the lone title
   fragments in ``FRAGMENTS`` ("State" of "Secretary of State", "Defense" of "Defense
   Minister", "Embassy") get no entity; nor does a several-word span tagged PERSON whose
   every word the same article also writes in lowercase ("Military Buildup" in a promo
   headline, in an article about "the military buildup"); ``entity_of`` returns None
   for them. Nor, whatever the label: a span with "@" or ", " in it ("Big Machine,
   Braun"); one with no Latin letter (Korean text read by the English model); a date
   ("July 25"); a common acronym that names a thing (``COMMON_ACRONYMS``: "USB", "GPU",
   "GMT"); titles alone ("Lt Col"); a span starting lowercase ("earlier MacBook Pro",
   "n't") or with a lowercase word inside that is no connector ("Garrett hit Rudolph");
   a capitalised small word inside or a small word at the end (headline case "Stadia
   Is Essentially A Beta Version", cut short "The MacBook Pro for"); three or more
   words in capitals ("KAZAKHSTAN WINS AGAIN"); a PERSON starting with an -ing word
   ("Questioning Vindman"); a span every mention of which stands right before a
   capitalised title ("UK Home [Secretary]", "National Security [Adviser]"); a name
   written only in lines in Title Case (headlines, titles of works: "Stadia Falls
   Short"); and a one-word PERSON said once, with nothing (title, role, "said he", a
   full name ending in it) to back the model's guess ("Ubisoft", "Kalamazoo"). Headings
   count as Title Case lines: one word alone on its line ("Linebacker" over a table), a
   short capitalised question or lead-in ("What Does Stadia Offer?"). Also junk: two
   names joined by a hyphen, each written alone ("Browns-Steelers game"), and an
   acronym counted like a noun ("a PBU in coverage": after "a" or a number and before
   no word it could qualify).
2b. **Run-together spans.** A span whose tail (two or more words) is a name the
   articles also write alone is that name ("the Ukraine Marie Yovanovitch" -> "Marie
   Yovanovitch", "Browns DL Sheldon Richardson" -> "Sheldon Richardson"); an owner in the
   possessive that is a name of its own is dropped ("Braun’s Ithaca Holdings" ->
   "Ithaca Holdings") unless an organisation word follows ("McDonald's Corp"), and so is
   an owner whose owned thing is a name of its own ("The Verge’s Stadia" -> "Stadia");
   a given name and surname after a name the model tags as a place are cut out when the
   surname is written alone ("the Ukraine Kurt Volker" -> "Kurt Volker", which then gets
   a PERSON vote). Such a mention casts no label vote and takes nothing from the words
   before it (they were the prefix's), only from the words after ("Fox News’ Jessica
   Napoli contributed to this report"). A span the model cut after a possessive gets
   back the organisation or institution word after it ("Westminster Magistrate's" ->
   "Westminster Magistrate's Court").
3. **Keys.** The cleaned surface is lowercased, stripped of diacritics and passed
   through transliteration rules (word-final -iy/-yy/-yi -> -y, -ei -> -ey), so
   "Zelenskiy", "Zelenskyy", "Zelensky" and "Sergey"/"Sergei" share a key; then through
   ``ALIASES`` (renamed places and abbreviations: "Kiev" -> "kyiv", "U.S."/"US"/"United
   States" -> "united states", "US State Department"/"State Dept" -> "state
   department"); a typographic apostrophe is a plain one ("Founder’s Edition"). Mentions
   with equal keys are one form; forms are label-agnostic, so the
   model's wrong labels do not split an entity. A demonym ("Russian") never has the key
   of its country ("Russia"): NORP stays separate.
4. **Plural and lost-apostrophe s.** A one-word non-person form ending in "s" joins the
   form without it when that exists: "Americans" -> "American", "Ukraines" (the Post's
   headline typo for "Ukraine's") -> "Ukraine".
5. **Kind before linking.** Each form gets votes: one per mention for its NER label,
   +3 PERSON when a personal title stands right before it ("Chancellor Olaf Scholz",
   "Foreign Minister Lavrov"), +2 PLACE after a place preposition ("in Kyiv", "capital
   of Kyiv", "to Moscow"; a preposition alone not for a name the model calls an ORG: "a
   statement to Rolling Stone", "going to Pizza Express"), before a place noun ("Pangram
   area", "Crimea peninsula") or after a compass word ("southern Crimea"), and no
   PERSON vote from a span with a digit ("Nord Stream 2"; with no vote left it is an
   ORG, a product) or followed by a number ("Mortal Kombat 11"), nor a PLACE vote from a
   GPE with a digit ("G7"). Also: +3 PERSON after a role noun
   (``ROLE_NOUNS``: "quarterback Mason Rudolph"), a role in apposition ("deputy director
   of public prosecutions, Eva-Marie Persson,"), before "said he/she" or a credit
   ("Dixon reported from Moscow", "... contributed to this report"), beside a "/" of a
   picture credit ("Whitney Shefte/The Washington Post"); +2 ORG before "said it", after
   "told"/"via"/"according to" (an outlet: "told Rolling Stone"; not "via Brian Batko
   of the Post-Gazette"), for "&" ("AT&T"); +3 ORG for an organisation or product word
   at the end (``ORG_SUFFIXES``, ``PRODUCT_SUFFIXES``: "Dick Clark Productions", "Davis
   Cup", "Xbox Live"). A one-word form the model calls a person written with "the" ("the
   Browns", "the Chronicle") is no person, unless it is a word of a person's full name
   ("the Bidens" beside "Hunter Biden"); a name also written with a number after it
   takes that name's kind ("Nord Stream" beside "Nord Stream 2"). Consensus across
   forms: a two-word name written like a given name and a surname, whose surname is
   written alone as a title- or role-backed person, is a person ("Eva-Marie Persson"
   beside "Ms Persson"); a one-word form that is the surname of a full name voted
   PERSON is a person ("Volker", which the model tags ORG, beside "Kurt Volker"). Only
   forms whose votes say PERSON take part in rules 6-8.
6. **Full names.** Two full names (two or more capitalised words) are one person when
   their surnames share a key, or are near-identical typos (rapidfuzz ratio >= 90, same
   first letter, both at least 6 letters: "Schalleberg"/"Schallenberg"), and their given
   names agree: same key or a near-identical typo (ratio >= 80, same first letter:
   "Dymtro"/"Dmytro"). An initial ("J. Kirby") joins only when exactly one person fits.
   "Sergei Lavrov" and "Sergei Shoigu" share a given name but not a surname, so they
   stay apart.
7. **Surname in the same article.** A capitalised one-word form joins the one full name
   of the same article whose surname matches it (by key or as a rule-6 typo:
   "Scholtz" beside "Olaf Scholz"), whatever the model tagged it. With two candidate
   full names it stays alone. A one-word form written like a given name joins the one
   full name of the article with that given name which the context backs as a person
   ("Scooter" beside "manager Scooter Braun"; not "Mac" beside "Mac Pro"), and an
   organisation named again without its corporate word joins it as an ORG ("Ithaca"
   beside "Ithaca Holdings", "Porto" beside "FC Porto").
8. **Surname across articles.** A one-word form left over that is a PERSON by its votes
   joins the full name elsewhere only when exactly one person in the whole set has that
   surname ("Biden" in the Post, which never writes "Joe Biden"). Otherwise it stays its
   own entity ("Harris"). An all-capitals acronym is one entity across articles only
   when they agree on the place it belongs to (the place or nationality written right
   before it, or first in its expansion): "China's CDC" and "the US CDC" stay apart,
   and an article that names no place joins only when a single one is in play.
9. **Handles the model missed.** An @handle in the text that no mention covers is
   cleaned (rule 1) and, if it resolves to an existing entity by key or by rules 7-8,
   becomes an extra mention of it (``EntityIndex.added``); unresolved handles
   ("@StateDeptSpox") are left alone. Handles never create entities.
10. **Consensus type.** An entity's label is the sum of the votes of all its mentions
   (rule 5), GPE/LOC/FAC folded to PLACE; it applies to every mention. An entity that
   writes a two-word name (given-name shape) and its last word alone is a PERSON
   whatever the votes ("Julian Assange" ... "Assange"). An entity whose model labels
   have no majority and no context vote is an ORG ("Ubisoft" twice PERSON and twice
   GPE): the model hesitates like that over brands and products.
11. **Name and id.** A person's name is the full form with the most words, with its
   given name and surname each spelled as most outlets spell them (then most mentions):
   "Volodymyr Zelensky", "Alexander Schallenberg". Other entities take the cleaned
   surface most outlets use (ties: the longer): "United States", "Kyiv". The id is the
   label plus the key of the name ("person:volodymyr-zelensky", "place:kyiv"), so it
   depends neither on run order nor on which transliteration or alias won; two
   clusters that would get one id (never on the seeds) get "-2", "-3" in sorted order.

Known limits: the fuzzy rules cannot tell a typo from a different person with a
near-identical surname in the same article ("Johnson"/"Johnston"); rule 7 would join a
one-word place to a person of that surname in the same article ("Washington" beside
"George Washington"); a capitalised headline phrase tagged PERSON passes as a person
when its words never appear in lowercase in that article; an id follows the entity's
label and, for typos, the winning spelling, so a subset of articles that votes
otherwise ("Dymtro Kuleba" alone) gives another id.

Why one module of ~1,400 lines: every rule below votes on the same forms (kind,
name, links) and their order matters (junk before votes, votes before linking across
articles); the numbered rules are the module's table of contents.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from reader.analysis.vocabulary import (
    COMMON_ACRONYMS,
    ORG_SUFFIXES,
    PRODUCT_SUFFIXES,
    ROLE_NOUNS,
    TITLE_WORDS,
    TITLES,
)
from reader.models import Article, ArticleAnalysis, Entity, Mention

LINKED_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "NORP",
}
_SPACY_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "GPE", "NORP": "NORP"}

ALIASES: Mapping[str, str] = {
    # Russian-era names of Ukrainian places -> the Ukrainian ones most outlets now use.
    "kiev": "kyiv",
    "lvov": "lviv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    # Abbreviations.
    "us": "united states",
    "u.s.": "united states",
    "u.s": "united states",
    "usa": "united states",
    "u.s.a.": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "us state department": "state department",
    "u.s. state department": "state department",
    "state dept": "state department",
    "us state dept": "state department",
    "un": "united nations",
    "u.n.": "united nations",
}
"""Key -> key. Only names that are certain to be one thing in news text."""

FRAGMENTS = frozenset(
    {"state", "defense", "defence", "embassy", "ministry", "department", "court", "group"}
)
"""One-word spans that are pieces of a title or a common noun, never an entity alone."""

_TITLE_PREFIX = re.compile(
    r"^(?:(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?\s+)+", re.IGNORECASE
)
_PLACE_WORDS = frozenset(
    {"in", "from", "near", "outside", "into", "across", "to", "via", "capital"}
)
_PLACE_PAIRS = frozenset(
    (noun, "of")
    for noun in ("capital", "city", "region", "area", "province", "district", "town", "village")
)
_PARTICLES = frozenset(
    {"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "al", "el"}
)
_LEADING_JUNK = " \t\u00a0—–-‘’“”\"'([{"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{1,30})")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
_FINAL_Y = re.compile(r"(?:iy|yy|yi)$")
_FINAL_EI = re.compile(r"ei$")

TITLE_WEIGHT = 3
PLACE_WEIGHT = 2
SURNAME_RATIO = 90.0
GIVEN_RATIO = 80.0
MIN_FUZZY_LEN = 6


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Canonical entities of a set of articles and which mention belongs to which."""

    entities: tuple[Entity, ...]  # most-mentioned first
    by_mention: Mapping[tuple[str, int], str]  # (article_id, mention.start) -> entity id
    added: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)
    """Mentions the NER model missed (@handles, rule 9), by article id, in text order."""
    _by_id: dict[str, Entity] = field(init=False, repr=False, compare=False)
    _by_article: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entities})
        per_article: dict[str, set[str]] = defaultdict(set)
        for e in self.entities:
            for aid in e.mentions:
                per_article[aid].add(e.id)
        object.__setattr__(self, "_by_article", {k: frozenset(v) for k, v in per_article.items()})

    def entity_of(self, mention: Mention) -> Entity | None:
        eid = self.by_mention.get((mention.article_id, mention.start))
        return self._by_id.get(eid) if eid else None

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def entity_ids_in(self, article_id: str) -> frozenset[str]:
        return self._by_article.get(article_id, frozenset())

    def linked_mentions(
        self, article_id: str, analysis: ArticleAnalysis
    ) -> list[tuple[Mention, Entity]]:
        """Every linked mention of one article (the model's and ``added``), in text order."""
        out = []
        for mention in (*analysis.mentions, *self.added.get(article_id, ())):
            entity = self.entity_of(mention)
            if entity is not None:
                out.append((mention, entity))
        out.sort(key=lambda pair: pair[0].start)
        return out


# --- rule 1-3: surfaces and keys -------------------------------------------------------


def clean_surface(text: str) -> str:
    """The surface without titles, possessives, a leading "the", or a handle's @ (rule 1)."""
    s = " ".join(text.split())
    if s.startswith("@"):
        s = " ".join(_CAMEL.findall(s[1:]))
    s = s.lstrip(_LEADING_JUNK)
    s = _TRAILING_SCORE.sub("", s).rstrip(' ,;:)]}"”—–-').rstrip()
    s = _POSSESSIVE.sub("", s)
    s = _split_run_together(s)
    if s[:4].lower() == "the ":
        s = s[4:]
    stripped = _TITLE_PREFIX.sub("", s)
    return stripped or s


_TRAILING_SCORE = re.compile(r"(?:\s+\(?\d+[-–]\d+\)?)+\s*$")
_INNER_POSSESSIVE = re.compile(r"^(.{1,40}?)['’]s?\s+(?=[A-Z0-9])")
_RUN_TOGETHER = re.compile(r"^([A-Z][a-z]+)([A-Z][a-z]+)$")


_INSTITUTION_WORDS = frozenset(
    {
        "hospital",
        "college",
        "school",
        "church",
        "cathedral",
        "square",
        "park",
        "street",
        "road",
        "bay",
        "island",
        "day",
        "health",
        "world",
    }
)


def _split_run_together(s: str) -> str:
    """ "Kristi NoemKristi": a name run together with the next one (a byline glued to a
    caption). A word that is two capitalised words, the second of which the span
    already has, is cut there: "Kristi Noem". "MacBook", "DeSantis" stay whole."""
    words = s.split()
    if len(words) < 2:
        return s
    for n, word in enumerate(words):
        m = _RUN_TOGETHER.match(word)
        if m and m[2] in words[:n] + words[n + 1 :]:
            return " ".join([*words[:n], m[1]])
    return s


def name_key(surface: str) -> str:
    """The key of a cleaned surface: no case, no diacritics, transliteration folded, a
    typographic apostrophe written plain ("Founder’s Edition" = "Founder's Edition";
    rule 3)."""
    decomposed = unicodedata.normalize("NFKD", surface.lower().replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = [_FINAL_EI.sub("ey", _FINAL_Y.sub("y", w)) for w in plain.split()]
    key = " ".join(words)
    return ALIASES.get(key, key)


_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z]+(?![\w’'])")


def _headline_words(clean: str, article: Article, lower: dict[str, frozenset[str]]) -> bool:
    """A several-word PERSON span whose every word the same article also writes in
    lowercase ("Military Buildup" of a promo headline, beside "the military buildup")
    is capitalised prose, not a name. ``lower`` caches each article's lowercase words."""
    words = clean.split()
    if len(words) < 2:
        return False
    seen = lower.get(article.id)
    if seen is None:
        seen = lower[article.id] = frozenset(_LOWER_WORD.findall(article.text))
    return all(w.lower() in seen for w in words)


_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in", "at", "de", "del", "du", "y", "&"})
_FUNCTION_WORDS = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "to",
        "a",
        "an",
        "with",
        "as",
        "from",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "your",
        "not",
        "no",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "about",
        "after",
        "before",
        "into",
        "than",
        "then",
        "so",
        "if",
        "seems",
    }
)
_MONTH_OR_DAY = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$"
)


def is_title_case(text: str) -> bool:
    """A headline or a title of a work: five or more words other than small ones, every
    one of them capitalised ("Stadia Falls Short of 4K at Launch, Destiny 2 Runs at a
    Native 1080p"; "Stadia Is Essentially A Beta Version Until 2020"). A sentence of
    prose has a lowercase verb or noun among its words."""
    big = 0
    for token in text.split():
        word = token.strip(".,;:!?()[]\"“”‘’'—–-…")
        if not word[:1].isalpha() or word.lower() in _SMALL_WORDS:
            continue
        if not word[0].isupper():
            if not any(c.isdigit() for c in word):
                return False  # prose: a lowercase word that is not a small one
            continue
        big += 1
    return big >= 5


_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "for",
        "nor",
        "on",
        "at",
        "to",
        "by",
        "of",
        "in",
        "is",
        "are",
        "was",
        "its",
        "it",
        "up",
        "as",
    }
)


def _in_title_line(text: str, start: int, seen: dict[tuple[int, int], bool]) -> bool:
    """Whether the mention at ``start`` stands in a line written in Title Case, or in a
    heading: one word alone on its line ("Linebacker" over a table of linebackers), or a
    short question or lead-in with every word capitalised ("What Does Stadia Offer?").
    ``seen`` caches each line's answer: an article's mentions share few lines."""
    a = text.rfind("\n", 0, start) + 1
    key = (id(text), a)
    if key not in seen:
        b = text.find("\n", start)
        line = text[a : b if b >= 0 else len(text)]
        seen[key] = is_title_case(line) or _is_heading(line)
    return seen[key]


def _is_heading(line: str) -> bool:
    words = line.split()
    if len(words) == 1:
        return words[0].strip(".:").isalpha()
    return (
        3 <= len(words) <= 6
        and line.rstrip()[-1:] in ("?", ":")
        and all(w[:1].isupper() for w in words)
    )


def _is_junk(clean: str, label: str) -> bool:
    """Rule 2: spans that are no name (see the module docstring)."""
    if not clean or not any(c.isalpha() for c in clean):
        return True
    if any(c in "$€£¥" for c in clean) or "@" in clean or ", " in clean:
        return True
    if not re.search("[A-Za-z]", clean):  # a script the English model cannot read
        return True
    lower = clean.lower()
    if lower in FRAGMENTS or lower in COMMON_ACRONYMS:
        return True
    words = clean.split()
    if all(_MONTH_OR_DAY.match(w.lower()) or w.isdigit() for w in words):
        return True  # "July 25" of "Trump’s July 25 call"
    if all(
        w.lower().rstrip(".") in TITLE_WORDS or w.lower() in _TITLE_ABBREVIATIONS for w in words
    ):
        return True  # "Lt Col"
    if words[0][0].islower() and words[0] not in _PARTICLES and not _camel(words[0]):
        return True  # "earlier MacBook Pro", "n’t", "intra-Afghan"
    if len(words) >= 2:
        middle = words[1:-1]
        if any(w[0].islower() and w not in _PARTICLES and w not in _CONNECTORS for w in middle):
            return True  # "American Music Awards after Swift", "Garrett hit Rudolph"
        if any(
            (w.lower() in _FUNCTION_WORDS or w.lower() in _CONNECTORS) and w[0].isupper()
            for w in words[1:]
        ):
            return True  # a headline in Title Case: "Stadia Is Essentially A Beta Version"
        if words[-1].lower() in _FUNCTION_WORDS or words[-1].lower() in _CONNECTORS:
            return True  # cut short: "The MacBook Pro for"
        if len(words) >= 3 and clean.isupper():
            return True  # a heading in capitals: "KAZAKHSTAN WINS AGAIN"
        if label == "PERSON" and words[0].lower().endswith("ing") and len(words[0]) > 5:
            return True  # "Questioning Vindman": a heading, not a given name
    if label == "PERSON":
        return any(w[0].islower() and w not in _PARTICLES for w in words)
    return False


_TITLE_ABBREVIATIONS = frozenset(
    {"lt", "col", "sgt", "capt", "maj", "cpl", "adm", "gov", "lt.", "col."}
)


def _camel(word: str) -> bool:
    """A brand written in camel case ("iPhone", "eBay"): lowercase first, a capital after."""
    return any(c.isupper() for c in word[1:])


# --- forms: one key, all its mentions ---------------------------------------------------


@dataclass(slots=True)
class _Form:
    key: str
    words: tuple[str, ...]
    mentions: list[tuple[Mention, str]] = field(default_factory=list)  # (mention, clean)
    votes: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)  # the model's, one per own mention
    articles: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        return _winner(self.votes)

    @property
    def full(self) -> bool:
        return len(self.words) >= 2


_ORDER = ("PERSON", "PLACE", "ORG", "NORP")


def _winner(votes: Mapping[str, int]) -> str:
    order = _ORDER if not votes.get(DEFINITE) else _ORDER[1:]  # "the Browns": no person
    if not any(votes.get(label, 0) > 0 for label in order):
        return "ORG"  # no vote: a name with a digit ("Destiny 2"), a product
    return max(order, key=lambda label: (votes.get(label, 0), -_ORDER.index(label)))


def _votes(
    label: str,
    clean: str,
    text: str,
    start: int,
    end: int,
    raw_label: str = "",
    *,
    own: bool = True,
) -> dict[str, int]:
    """Rule 5: the NER label plus what the words around the mention say. ``own=False``
    for the name cut out of a run-together span: the label and the words before were the
    prefix's, only the words after are the name's."""
    votes: dict[str, int] = {label: 1} if own else {}
    if label == "PERSON" and any(c.isdigit() for c in clean):
        votes = {}
    if raw_label == "GPE" and any(c.isdigit() for c in clean):
        votes = {}  # "G7", "G20": no country or city has a digit in its name
    after = text[end : end + 40]
    if label == "PERSON" and _NUMBER_AFTER.match(after):
        votes.pop("PERSON", None)  # "Mortal Kombat 11", "Rage 2": a title and its number

    def add(kind: str, weight: int) -> None:
        votes[kind] = votes.get(kind, 0) + weight

    line = text[max(0, start - 40) : start].rsplit("\n", 1)[-1]
    raw = line.replace(",", " ").replace(".", " ").lower().split()
    before = [w for w in raw if w not in ("the", "a", "an")][-2:]  # "told the BBC"
    last = before[-1] if before else ""
    near = raw[-2:]  # a place preposition right before: "in Kyiv", not "in the AFC West"
    words = clean.split()
    if not own:
        pass
    elif last in TITLE_WORDS or last in ROLE_NOUNS or before == ["of", "state"]:
        add("PERSON", TITLE_WEIGHT)
    elif last in _MEDIA_CUES or before == ["according", "to"]:
        if not _OF_AFTER.match(after):  # "via Brian Batko of the Pittsburgh Post-Gazette"
            add("ORG", PLACE_WEIGHT)  # "told Fox News", "via USA Today": an outlet
    elif label != "NORP" and (
        tuple(near) in _PLACE_PAIRS or (label != "ORG" and near and near[-1] in _PLACE_WORDS)
    ):
        # A preposition alone is no cue for a name the model calls an organisation: "a
        # statement to Rolling Stone", "going to Pizza Express", "to EU citizens" name no
        # place; "the city of", "area of" do.
        add("PLACE", PLACE_WEIGHT)
    if own and (_PLACE_NOUN_AFTER.match(after) or (raw and raw[-1] in _COMPASS)):
        add("PLACE", PLACE_WEIGHT)  # "in Pangram area of Sarkh", "southern Crimea peninsula"
    if own and _APPOSITIVE_ROLE.search(line):
        add("PERSON", TITLE_WEIGHT)  # "deputy director of public prosecutions, Eva-Marie Persson,"
    if len(words) >= 2 and words[-1].lower().rstrip(".") in ORG_SUFFIXES | PRODUCT_SUFFIXES:
        add("ORG", TITLE_WEIGHT)  # "Dick Clark Productions", "Davis Cup", "Xbox Live"
    if "&" in clean:
        add("ORG", PLACE_WEIGHT)  # "AT&T", "PG&E"
    if _SAID_PERSON.match(after) or _CREDIT_AFTER.match(after):
        add("PERSON", TITLE_WEIGHT)  # "Volker said he", "Dixon reported from Moscow"
    elif _SAID_THING.match(after):
        add("ORG", PLACE_WEIGHT)  # "Google said it"
    if (
        len(words) >= 2
        and _given_name_shape(words[0])
        and (after.startswith("/") or text[max(0, start - 1) : start] == "/")
    ):
        add("PERSON", TITLE_WEIGHT)  # a picture credit: "(Whitney Shefte/The Washington Post)"
    if (
        own
        and len(words) == 1
        and raw[-1:] == ["the"]
        and (label == "PERSON" or clean.endswith("s"))
    ):
        add(DEFINITE, 1)  # "the Browns", "the Chronicle": a team, a paper, never one person
    return votes


_PLACE_NOUN_AFTER = re.compile(
    r"[ \u00a0]+(?:area|region|province|district|peninsula|village|town|county|valley|river"
    r"|border|coast|oblast)\b"
)
_COMPASS = frozenset(
    {
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
    }
)
DEFINITE = "DEFINITE"
"""A pseudo-vote: the one-word form was written with "the" ("the Browns", "the
Chronicle"), so it is not a person whatever the model says (``_winner`` leaves PERSON
out), unless it is a word of a person's full name ("the Bidens", "the Gordon problem":
see ``_family_names``)."""
_NUMBER_AFTER = re.compile(r"[ \u00a0]+(?:\d{1,4}|[IVX]{2,5})(?=[,.;:)!?]|\s*$|\s+[a-z(])")
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_CREDIT_AFTER = re.compile(
    r"\s+(?:reported\s+from|contributed\s+(?:to\s+this|reporting)|reports\s+from)\b"
)
_APPOSITIVE_ROLE = re.compile(
    r"\b(?:" + "|".join(sorted(ROLE_NOUNS | TITLE_WORDS)) + r")(?:\s+of(?:\s+[a-z]+){1,3})?,\s*$"
)


_MEDIA_CUES = frozenset({"told", "via"})
_SAID_PERSON = re.compile(
    r"['’]?\s*,?\s+(?:said|says|told|added|testified|wrote|argued|explained|insisted|recalled)"
    r"\s+(?:that\s+)?(?:he|she|his|her)\b",
    re.IGNORECASE,
)
_SAID_THING = re.compile(
    r"['’]?\s*,?\s+(?:said|says|told|added|wrote|announced)\s+(?:that\s+)?(?:it|its)\b",
    re.IGNORECASE,
)
_TITLE_AFTER = re.compile(
    r"[ \u00a0]+(?:Secretary|Minister|Adviser|Advisor|Spokesman|Spokeswoman|Spokesperson"
    r"|Chancellor|Commissioner|Ambassador)\b"
)


def _strip_prefix(
    key: str, clean: str, keys: set[str], places: frozenset[str] = frozenset()
) -> tuple[str, str, bool] | None:
    """The name inside a span that runs two things together (its key, its surface, and
    whether the cut says it is a person's), or None when it does not.

    "Ukraine Marie Yovanovitch" (ambassador to the Ukraine Marie Yovanovitch), "Browns DL
    Sheldon Richardson": a place, team or role run into a name the articles also write
    alone; the name (two or more words, a form of its own elsewhere) is kept. So is a
    given name and surname after a place the model tags as one, when the surname is
    written alone ("the Ukraine Kurt Volker" beside "Volker"). "Braun’s
    Ithaca Holdings", "Verge’s Stadia": an owner in the possessive (a form of its own)
    and what it owns; the owned thing is kept, unless an organisation or institution
    word follows the possessive ("McDonald's Corp", "St. Mary's Hospital")."""
    words = key.split()
    cwords = clean.split()
    if len(words) != len(cwords):
        return None
    for cut in range(1, len(words) - 1):
        tail = " ".join(words[cut:])
        if tail in keys and len(words) >= 3:
            return tail, " ".join(cwords[cut:]), False
        if (
            len(words) - cut == 2
            and " ".join(words[:cut]) in places
            and words[-1] in keys
            and _given_name_shape(cwords[cut])
            and _given_name_shape(cwords[-1])
        ):
            return tail, " ".join(cwords[cut:]), True
    if (m := _INNER_POSSESSIVE.match(clean)) and (
        name_key(m[1]) in keys or name_key(clean[m.end() :]) in keys
    ):  # the owner or the thing owned is a name of its own ("The Verge’s Stadia")
        tail = clean[m.end() :]
        first = tail.split()[0].rstrip(".,").lower() if tail.split() else ""
        if tail and first not in ORG_SUFFIXES and first not in _INSTITUTION_WORDS:
            return name_key(tail), tail, False  # "Braun’s Ithaca Holdings": Ithaca Holdings
    return None


def _pair_of_names(clean: str, keys: set[str]) -> bool:
    """Two names joined by a hyphen, each written alone in the articles: a pairing
    ("Browns-Steelers game", "US-China talks"), not a name."""
    parts = clean.split("-")
    return (
        len(parts) == 2
        and " " not in clean
        and all(p[:1].isupper() and name_key(p) in keys for p in parts)
    )


_ACRONYM_SPAN = re.compile(r"[A-Z]{2,5}s?")
_COUNT_BEFORE = re.compile(r"(?:^|\s)(?:a|an|one|two|three|four|five|six|\d+)\s+$", re.IGNORECASE)
_NOTHING_AFTER = re.compile(
    r"(?:\s+(?:in|on|at|for|and|or|of|to|with|from|by|per|this|that|is|was)\b|\s*[.,;:!?)]|\s*$)"
)


def _count_noun(text: str, start: int, end: int, clean: str) -> bool:
    """An acronym counted like a common noun: "two INTs and a PBU in coverage" (a pass
    broken up), "an MP": after "a" or a number and before no word it could qualify ("a
    NATO summit" names NATO)."""
    return bool(
        _ACRONYM_SPAN.fullmatch(clean)
        and _COUNT_BEFORE.search(text[max(0, start - 8) : start])
        and _NOTHING_AFTER.match(text, end)
    )


_NAME_ENDS = frozenset(
    {"court", "hospital", "college", "school", "church", "cathedral", "university"}
    | {"institute", "foundation", "club", "park", "square", "street", "road", "bay"}
)
"""Words after a possessive that end a name ("Westminster Magistrate's Court", "St Mary's
Hospital", "Queen's Park")."""
_POSSESSIVE_END = re.compile(r"(?:['’]s|s['’])$")
_NEXT_WORD = re.compile(r"[ \u00a0]([A-Z][a-z]+)\b")


def _cut_before_institution(text: str, m: Mention) -> str | None:
    """A span the model cut after a possessive, before the word that makes it a name:
    "Westminster Magistrate's" of "Westminster Magistrate's Court", "St Mary's"
    [Hospital]. The word (one that ends such names) is put back; not after a place or
    a people the model saw as one ("Britain's Health Secretary", "Russia's Defense
    Ministry": an owner in the possessive)."""
    if m.label in ("GPE", "LOC", "NORP") or not _POSSESSIVE_END.search(m.text):
        return None
    nxt = _NEXT_WORD.match(text, m.end)
    if nxt is None or nxt[1].lower() not in _NAME_ENDS:
        return None
    suffix = m.text[-2:] if m.text[-2:] in ("'s", "’s") else m.text[-1:]
    return f"{suffix} {nxt[1]}"


class _Union:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller node is the root, so the result does not depend on order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _typo(a: str, b: str, ratio: float, min_len: int) -> bool:
    return (
        a[:1] == b[:1]
        and min(len(a), len(b)) >= min_len
        and abs(len(a) - len(b)) <= 2
        and fuzz.ratio(a, b) >= ratio
    )


def _same_surname(a: str, b: str) -> bool:
    return a == b or _typo(a, b, SURNAME_RATIO, MIN_FUZZY_LEN)


def _is_initial(given: str) -> bool:
    return len(given.rstrip(".")) == 1


def _same_given(a: str, b: str) -> bool:
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[:1] == b[:1]
    return _typo(a, b, GIVEN_RATIO, 4)


# --- linking -----------------------------------------------------------------------------


def link_entities(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> EntityIndex:
    """Canonical entities of ``articles`` (those without an analysis are skipped)."""
    outlet_of = {a.id: a.outlet or a.id for a in articles}
    # Local forms: (article id, key) -> form. Linking works on these, never on mentions.
    local: dict[tuple[str, str], _Form] = {}
    forms: dict[str, _Form] = {}  # key -> form over all articles
    memo: dict[tuple[str, str], tuple[str, str | None]] = {}  # (text, label) -> (clean, key)
    lower: dict[str, frozenset[str]] = {}  # article id -> its lowercase words (rule 2)
    prepared: list[tuple[Article, Mention, str, str, str]] = []
    titled: dict[str, bool] = {}  # key -> every mention stands right before a title
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        for m in analysis.mentions:
            label = LINKED_LABELS.get(m.label)
            if label is None:
                continue
            seen = memo.get((m.text, label))
            if seen is None:
                clean = clean_surface(m.text)
                seen = memo[(m.text, label)] = (
                    clean,
                    None if _is_junk(clean, label) else name_key(clean),
                )
            clean, key = seen
            if key is None or (label == "PERSON" and _headline_words(clean, article, lower)):
                continue
            prepared.append((article, m, label, clean, key))
            before_title = bool(_TITLE_AFTER.match(article.text, m.end))
            titled[key] = titled.get(key, True) and before_title
    all_keys = {p[4] for p in prepared}  # every name as written, titles included
    places = frozenset(p[4] for p in prepared if p[1].label in ("GPE", "NORP"))
    resolved: list[tuple[Article, Mention, str, str, str, dict[str, int]]] = []
    for article, m, label, clean, key in prepared:
        if titled[key]:  # every mention is the first half of a title: "UK Home Secretary"
            continue
        if _pair_of_names(clean, all_keys) or _count_noun(article.text, m.start, m.end, clean):
            continue  # "Browns-Steelers game", "a PBU in coverage"
        if (cut := _cut_before_institution(article.text, m)) is not None:
            clean = f"{clean}{cut}"  # "Westminster Magistrate's" [Court]
            key = name_key(clean)
        stripped = _strip_prefix(key, clean, all_keys, places)
        if stripped is None:
            votes = _votes(label, clean, article.text, m.start, m.end, m.label)
        else:  # the span's label and context are the prefix's ("to the Ukraine Marie ...")
            key, clean, person = stripped
            if _is_junk(clean, label):  # "Trump’s July 25"
                continue
            # ... but what follows is the name's: "Fox News’ Jessica Napoli contributed"
            votes = _votes(label, clean, article.text, m.start, m.end, own=False)
            if person:  # a given name and a surname after a place
                votes["PERSON"] = votes.get("PERSON", 0) + 1
            label = ""  # the prefix's
        resolved.append((article, m, label, clean, key, votes))
    # A name seen only in Title Case lines (headlines, titles of works) is not listed:
    # "Stadia Falls Short" there is a headline's words, not a name.
    lines: dict[tuple[int, int], bool] = {}
    in_title = [_in_title_line(r[0].text, r[1].start, lines) for r in resolved]
    outside = {r[4] for r, t in zip(resolved, in_title, strict=True) if not t}
    for (article, m, model_label, clean, key, votes), title in zip(resolved, in_title, strict=True):
        if title and key not in outside:
            continue
        here = local.get((article.id, key))
        if here is None:
            here = local[(article.id, key)] = _Form(key, tuple(key.split()))
        everywhere = forms.get(key)
        if everywhere is None:
            everywhere = forms[key] = _Form(key, tuple(key.split()))
        for form in (here, everywhere):
            form.mentions.append((m, clean))
            form.votes.update(votes)
            if votes.get(model_label):  # not a label rule 5 set aside ("Nord Stream 2")
                form.labels[model_label] += 1
            form.articles.add(article.id)

    _drop_lone_guesses(local, forms)
    uf = _Union()
    for node in local:
        uf.find(node)
    _link_forms(local, forms, uf, {a.id: a.text for a in articles})
    clusters: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for node in sorted(local):
        clusters[uf.find(node)].append(node)

    entities: list[Entity] = []
    by_mention: dict[tuple[str, int], str] = {}
    entity_of_node: dict[tuple[str, str], str] = {}
    used_ids: set[str] = set()
    for root in sorted(clusters):
        nodes = clusters[root]
        entity = _make_entity([local[n] for n in nodes], outlet_of, used_ids)
        used_ids.add(entity.id)
        entities.append(entity)
        for n in nodes:
            entity_of_node[n] = entity.id
            for m, _ in local[n].mentions:
                by_mention[(m.article_id, m.start)] = entity.id

    by_id = {e.id: e for e in entities}
    added = _link_handles(articles, analyses, local, entity_of_node, by_id)
    for aid, found in added.items():
        for m, eid in found:
            by_mention[(aid, m.start)] = eid
            e = by_id[eid]
            e.mentions[aid] = e.mentions.get(aid, 0) + 1
            e.variants[aid] = tuple(sorted({*e.variants.get(aid, ()), m.text}))
    entities = list(by_id.values())
    entities.sort(key=lambda e: (-sum(e.mentions.values()), e.name, e.id))
    return EntityIndex(
        tuple(entities), by_mention, {k: tuple(m for m, _ in v) for k, v in added.items()}
    )


def _numbered_siblings(local: Mapping[tuple[str, str], _Form], forms: Mapping[str, _Form]) -> None:
    """A name the articles also write with a number after it ("Nord Stream" beside "Nord
    Stream 2", "Destiny" beside "Destiny 2") is a thing of that kind, a product, a
    pipeline, a sequel, never a person: its PERSON votes go to the numbered name's kind."""
    numbered: dict[str, str] = {}
    for form in forms.values():
        if len(form.words) >= 2 and form.words[-1].isdigit():
            numbered[" ".join(form.words[:-1])] = form.kind
    for key, kind in numbered.items():
        bare = forms.get(key)
        if bare is None or kind == "PERSON" or not bare.votes.get("PERSON"):
            continue
        for f in [bare, *(here for node, here in local.items() if node[1] == key)]:
            f.votes[kind] += f.votes.pop("PERSON", 0)


def _family_names(local: Mapping[tuple[str, str], _Form], forms: Mapping[str, _Form]) -> None:
    """ "The Bidens" beside "Joe Biden" is a family, "the Gordon problem" beside "Gordon
    Sondland" a person's: a one-word form written with "the" is kept from being a person
    (rule 5, "the Browns") only when it (or its singular) is no word of a person's
    full name."""
    names = {w for f in forms.values() if f.full and f.kind == "PERSON" for w in f.words}
    for key, form in forms.items():
        if form.votes.get(DEFINITE) and (key in names or key[:-1] in names):
            del form.votes[DEFINITE]
            for node, here in local.items():
                if node[1] == key:
                    here.votes.pop(DEFINITE, None)


def _surname_consensus(local: Mapping[tuple[str, str], _Form], forms: Mapping[str, _Form]) -> None:
    """Rule 5's consensus across forms: a full name whose surname is written alone as a
    person elsewhere in the articles is a person ("Eva-Marie Persson", tagged ORG, beside
    "Persson"), and a one-word form that is the surname of a full name voted PERSON is a
    person's surname ("Volker", tagged ORG, beside "Kurt Volker"). Names with an
    organisation word or a digit are left as they are."""
    boost: dict[str, int] = {}
    for key, form in forms.items():
        words = form.words
        if not form.full or len(words) > 3 or any(ch.isdigit() for ch in key):
            continue
        if words[-1].rstrip(".") in ORG_SUFFIXES | PRODUCT_SUFFIXES:
            continue
        surname = forms.get(words[-1])
        if surname is None:
            continue
        if (
            surname.kind == "PERSON"
            and form.kind != "PERSON"
            and len(words) == 2
            and surname.votes["PERSON"] > len(surname.mentions)  # a title, a role, "said he"
            and any(_given_name_shape(c.split()[0]) for _, c in form.mentions)
        ):
            boost[key] = sum(form.votes.values()) + 1
        elif form.kind == "PERSON" and surname.kind != "PERSON":
            boost[words[-1]] = sum(surname.votes.values()) + 1
    for key, extra in boost.items():
        forms[key].votes["PERSON"] += extra
        for node, form in local.items():
            if node[1] == key:
                form.votes["PERSON"] += sum(form.votes.values()) + 1


def _drop_lone_guesses(local: dict[tuple[str, str], _Form], forms: dict[str, _Form]) -> None:
    """A one-word PERSON said once in all the articles, with no title or role before it, no
    "said he" after it and no full name ending in it, is the model's guess ("Ubisoft",
    "Thumper", "Kalamazoo" tagged PERSON): unsure, so it is not listed."""
    surnames = {f.words[-1] for f in forms.values() if f.full}
    for key, form in list(forms.items()):
        if (
            not form.full
            and len(form.mentions) == 1
            and dict(form.votes) == {"PERSON": 1}
            and not any(_same_surname(key, surname) for surname in surnames)
        ):
            del forms[key]
            for node in [n for n in local if n[1] == key]:
                del local[node]


def _link_forms(
    local: Mapping[tuple[str, str], _Form],
    forms: Mapping[str, _Form],
    uf: _Union,
    texts: Mapping[str, str],
) -> None:
    """Rules 3, 4, 6, 7 and 8, as unions of local forms."""
    _family_names(local, forms)
    _numbered_siblings(local, forms)
    _surname_consensus(local, forms)
    single_person = {k for k, f in forms.items() if not f.full}
    # Rule 6 first: full person names. Names are grouped by surname, and only distinct
    # surnames (bucketed by first letter) are compared for typos, never pairs of mentions.
    full_people = sorted(k for k, f in forms.items() if f.full and f.kind == "PERSON")
    by_surname: dict[str, list[str]] = defaultdict(list)
    for k in full_people:
        by_surname[forms[k].words[-1]].append(k)
    buckets: dict[str, list[str]] = defaultdict(list)
    for surname in sorted(by_surname):
        buckets[surname[:1]].append(surname)
    person_root: dict[str, str] = {k: k for k in full_people}

    def root(k: str) -> str:
        while person_root[k] != k:
            k = person_root[k]
        return k

    def join(a: str, b: str) -> None:
        ra, rb = sorted((root(a), root(b)))
        person_root[rb] = ra

    initials: list[tuple[str, list[str]]] = []  # (key, keys it could join)
    for bucket in buckets.values():
        for i, sa in enumerate(bucket):
            for sb in bucket[i:]:
                if not _same_surname(sa, sb):
                    continue
                for ka in by_surname[sa]:
                    for kb in by_surname[sb]:
                        if ka >= kb and sa == sb:
                            continue
                        ga, gb = forms[ka].words[0], forms[kb].words[0]
                        if _is_initial(ga) != _is_initial(gb):
                            # "A. Smith" joins later, and only if one person fits.
                            short, other = (ka, kb) if _is_initial(ga) else (kb, ka)
                            if _same_given(ga, gb):
                                initials.append((short, [other]))
                        elif _same_given(ga, gb):
                            join(ka, kb)
    candidates: dict[str, set[str]] = defaultdict(set)
    for short, others in initials:
        candidates[short].update(root(o) for o in others)
    for short, roots in candidates.items():
        if len(roots) == 1:
            join(short, roots.pop())
    people: dict[str, list[str]] = defaultdict(list)  # person root -> full-name keys
    for k in full_people:
        people[root(k)].append(k)

    # Rule 3: the same key is the same thing in every article, except one-word forms,
    # which may be surnames of different people in different articles (rules 7-8).
    # Full-name keys and other multi-word keys are joined across articles now.
    first_node: dict[str, tuple[str, str]] = {}
    for node in sorted(local):
        key = node[1]
        if key in single_person:
            continue
        if key in first_node:
            uf.union(first_node[key], node)
        else:
            first_node[key] = node
    for keys in people.values():
        nodes = [first_node[k] for k in keys]
        for n in nodes[1:]:
            uf.union(nodes[0], n)

    surnames: dict[str, set[str]] = defaultdict(set)  # surname word -> person roots
    for proot, keys in people.items():
        for k in keys:
            surnames[forms[k].words[-1]].add(proot)
    by_article: dict[str, set[tuple[str, str]]] = defaultdict(set)  # -> {(surname, root)}
    given_here: dict[str, set[tuple[str, str]]] = defaultdict(set)  # -> {(given, root)}
    for proot, keys in people.items():
        for k in keys:
            for aid in forms[k].articles:
                by_article[aid].add((forms[k].words[-1], proot))
                if len(forms[k].words) == 2 and _backed_person(forms[k]):
                    given_here[aid].add((forms[k].words[0], proot))

    short_forms = _org_short_forms(local)
    leftovers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node in sorted(local):
        aid, key = node
        if key not in single_person:
            continue
        form = local[node]
        target = _surname_owner(key, form, by_article.get(aid, set()))
        if target is None:
            target = _given_name_owner(key, form, by_article.get(aid, set()), given_here[aid])
        if target is not None:
            uf.union(first_node[people[target][0]], node)
        elif (long := short_forms.get(node)) is not None and not _backed_person(form):
            uf.union(long, node)  # "Porto" beside "FC Porto", "Ithaca" beside "Ithaca Holdings"
            # The full name says what it is: the short form's votes go to ORG.
            form.votes = Counter({"ORG": sum(form.votes[k] for k in _ORDER)})
        else:
            leftovers[key].append(node)

    for key, nodes in leftovers.items():
        groups = _acronym_referents(key, nodes, local, forms, texts)
        for group in groups:
            for n in group[1:]:
                uf.union(group[0], n)
        if len(groups) > 1:
            continue  # one acronym, several referents: none of them is linked further
        # Rule 8: across articles, only a PERSON by its own votes and only when unique.
        votes: Counter[str] = Counter()
        for n in nodes:
            votes.update(local[n].votes)
        owners = surnames.get(key, set())
        if _winner(votes) == "PERSON" and len(owners) == 1:
            uf.union(first_node[people[next(iter(owners))][0]], nodes[0])
        # Rule 4: plural / lost apostrophe, never for people.
        elif _winner(votes) != "PERSON" and key.endswith("s") and key[:-1] in forms:
            stem = key[:-1]
            target_nodes = leftovers.get(stem) or ([first_node[stem]] if stem in first_node else [])
            if target_nodes:
                uf.union(target_nodes[0], nodes[0])


_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}")
_QUALIFIER_BEFORE = re.compile(r"([A-Z][\w.]*?)(?:['’]s?)?\s+(?:\(\s*)?$")
_EXPANSION_BEFORE = re.compile(r"([A-Z][\w.]*)(?:\s+(?:[A-Z][\w.-]*|of|for|and|the|on)){1,8}\s*\($")


def _acronym_referents(
    key: str,
    nodes: list[tuple[str, str]],
    local: Mapping[tuple[str, str], _Form],
    forms: Mapping[str, _Form],
    texts: Mapping[str, str],
) -> list[list[tuple[str, str]]]:
    """Rule 3's exception for acronyms: the articles' nodes of one acronym, grouped by the
    place it belongs to. "China's CDC" (or "the Chinese Center for Disease Control and
    Prevention (CDC)") and "the US CDC" name different bodies: each article's acronym
    takes the place or nationality written right before it or first in its expansion;
    articles with different ones stay apart, and an article that names none joins only
    when a single referent is in play. Other keys: one group."""
    if not all(_ACRONYM.fullmatch(c) for n in nodes for _, c in local[n].mentions):
        return [nodes]
    qualified: dict[str, list[tuple[str, str]]] = defaultdict(list)
    bare: list[tuple[str, str]] = []
    for node in nodes:
        found = set()
        for m, _ in local[node].mentions:
            before = texts.get(m.article_id, "")[max(0, m.start - 80) : m.start]
            for pattern in (_QUALIFIER_BEFORE, _EXPANSION_BEFORE):
                if (hit := pattern.search(before)) and (q := _place_key(hit[1], forms)):
                    found.add(q)
        if len(found) == 1:
            qualified[found.pop()].append(node)
        elif not found:
            bare.append(node)
    if len(qualified) <= 1:
        return [nodes]
    return [*qualified.values(), *([n] for n in bare)]


def _place_key(word: str, forms: Mapping[str, _Form]) -> str | None:
    """The key of a capitalised word when the articles use it as a place or nationality."""
    key = name_key(clean_surface(word))
    form = forms.get(key)
    return key if form is not None and form.kind in ("PLACE", "NORP") else None


def _surname_owner(key: str, form: _Form, people_here: set[tuple[str, str]]) -> str | None:
    """Rule 7: the one person of this article whose surname this one-word form is."""
    if not any(m.text.lstrip(_LEADING_JUNK)[:1].isupper() for m, _ in form.mentions):
        return None
    owners = {proot for surname, proot in people_here if _same_surname(key, surname)}
    return next(iter(owners)) if len(owners) == 1 else None


def _backed_person(form: _Form) -> bool:
    """A name that the words around it say is a person's (a title, a role, "said he"),
    not only the model: "manager Scooter Braun", not "Mac Pro"."""
    return not _is_initial(form.words[0]) and form.votes["PERSON"] > form.labels["PERSON"]


_CORPORATE = frozenset(
    {"holdings", "group", "inc", "corp", "corporation", "co", "company", "ltd", "llc", "plc"}
    | {"fc", "club", "productions", "records", "studios", "labs", "works", "media"}
)
"""Organisation words an article drops when it names the organisation again ("Ithaca
Holdings" ... "Ithaca"; "FC Porto" ... "Porto"); not "Post", "Times", "Cup", "Court"
("Washington Post" is no short "Washington")."""


def _org_short_forms(
    local: Mapping[tuple[str, str], _Form],
) -> dict[tuple[str, str], tuple[str, str]]:
    """Rule 7 for organisations: the one-word short form of a two-word organisation name
    of the same article, its organisation word dropped -> that name's node."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for (aid, key), form in local.items():
        words = form.words
        if len(words) != 2 or form.kind != "ORG":
            continue
        if words[1].rstrip(".") in _CORPORATE:
            short = words[0]
        elif words[0].rstrip(".") in _CORPORATE:
            short = words[1]
        else:
            continue
        node = (aid, short)
        if node in local and local[node].kind != "NORP":
            out[node] = (aid, key)
    return out


def _given_name_owner(
    key: str,
    form: _Form,
    surnames_here: set[tuple[str, str]],
    given_here: set[tuple[str, str]],
) -> str | None:
    """Rule 7 for a first name: a one-word form written like a given name that is the
    given name of exactly one full name of this article that the context backs as a
    person (``_backed_person``: "Scooter" beside "manager Scooter Braun", which the model
    tags ORG; not "Mac" beside "Mac Pro") and nobody's surname there is that person."""
    if any(key == surname for surname, _ in surnames_here):
        return None
    if not all(_given_name_shape(c) for _, c in form.mentions):
        return None
    owners = {proot for given, proot in given_here if given == key}
    return next(iter(owners)) if len(owners) == 1 else None


@dataclass(slots=True)
class _Usage:
    """How often a cleaned surface is written in a cluster, and by which outlets."""

    outlets: set[str] = field(default_factory=set)
    mentions: int = 0


def _make_entity(parts: list[_Form], outlet_of: Mapping[str, str], used: set[str]) -> Entity:
    """Rules 10 and 11: label, name and id of one cluster of local forms."""
    votes: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    variants: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    cleans: dict[str, _Usage] = {}
    for part in parts:
        votes.update(part.votes)
        labels.update(part.labels)
        for m, clean in part.mentions:
            variants[m.article_id].add(m.text)
            counts[m.article_id] += 1
            usage = cleans.get(clean)
            if usage is None:
                usage = cleans[clean] = _Usage()
            usage.outlets.add(outlet_of.get(m.article_id, m.article_id))
            usage.mentions += 1
    label = _winner(votes)
    if label != "PERSON" and _full_name_and_surname(cleans):
        label = "PERSON"
    elif _undecided(label, votes, labels):
        label = "ORG"

    def score(surface: str) -> tuple[int, int, int, str]:
        usage = cleans[surface]
        return (len(usage.outlets), usage.mentions, len(surface), surface)

    name = max(cleans, key=score)
    if label == "PERSON":
        full = [c for c in cleans if len(c.split()) >= 2]
        if full:
            base = max(full, key=lambda c: (len(c.split()), *score(c))).split()
            base[0] = _best_word(((c.split()[0], c) for c in full), cleans)
            given = {name_key(c.split()[0]) for c in full}
            surnames = [c for c in cleans if len(c.split()) >= 2 or name_key(c) not in given]
            base[-1] = _best_word(((c.split()[-1], c) for c in surnames), cleans)
            name = " ".join(base)
    slug = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-") or "x"
    eid = f"{label.lower()}:{slug}"
    n = 2
    while eid in used:
        eid = f"{label.lower()}:{slug}-{n}"
        n += 1
    return Entity(
        eid, name, label, {k: tuple(sorted(v)) for k, v in variants.items()}, dict(counts)
    )


def _undecided(label: str, votes: Mapping[str, int], labels: Mapping[str, int]) -> bool:
    """Rule 10's fallback: the model's labels for one name disagree, none has a majority,
    and no word around any mention backs the winner ("Ubisoft" twice PERSON and twice
    GPE; "Chromecast Ultra" NORP, ORG and PERSON). The model hesitates like that over
    products, brands and companies; such an entity is listed as an ORG."""
    if label == "ORG" or votes.get(label, 0) != labels.get(label, 0):
        return False
    return 2 * labels.get(label, 0) <= sum(labels.values())


def _full_name_and_surname(cleans: Iterable[str]) -> bool:
    """Rule 10's consensus: a cluster that writes a name in full and then by its last word
    alone ("Kurt Volker" ... "Volker said") refers to a person, whatever the model
    tagged the bare surname (it often says ORG); organisations are shortened otherwise
    (by initials or their first words)."""
    singles = {name_key(c) for c in cleans if len(c.split()) == 1}
    for c in cleans:
        words = c.split()
        if (
            len(words) == 2
            and _given_name_shape(words[0])
            and words[1][:1].isupper()
            and words[-1].lower().rstrip(".") not in ORG_SUFFIXES
            and name_key(words[-1]) in singles
        ):
            return True
    return False


def _given_name_shape(word: str) -> bool:
    """Written like a given name: a capital, then lowercase letters (hyphens allowed):
    "Kurt", "Eva-Marie"; not "FC", "MacBook", "San" of a three-word place."""
    return bool(re.fullmatch(r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?", word))


def _best_word(words: Iterable[tuple[str, str]], cleans: Mapping[str, _Usage]) -> str:
    """The spelling of a name part that most outlets use, then most mentions."""
    outlets: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    for word, clean in words:
        outlets[word] |= cleans[clean].outlets
        mentions[word] += cleans[clean].mentions
    return max(outlets, key=lambda w: (len(outlets[w]), mentions[w], w))


# --- rule 9: handles ---------------------------------------------------------------------


def _link_handles(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    local: Mapping[tuple[str, str], _Form],
    entity_of_node: Mapping[tuple[str, str], str],
    by_id: Mapping[str, Entity],
) -> dict[str, list[tuple[Mention, str]]]:
    """@handles no mention covers, resolved to existing entities (article id -> found)."""
    node_of_key = {key: node for node in sorted(local, reverse=True) for key in (node[1],)}
    surnames: dict[str, set[str]] = defaultdict(set)  # surname key -> person entity ids
    for e in by_id.values():
        if e.label == "PERSON":
            words = name_key(e.name).split()
            if len(words) >= 2:
                surnames[words[-1]].add(e.id)
    found: dict[str, list[tuple[Mention, str]]] = {}
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None or "@" not in article.text:
            continue
        covered = [(m.start, m.end) for m in analysis.mentions]
        starts = [s.start for s in analysis.sentences]
        for match in _HANDLE.finditer(article.text):
            start, end = match.span()
            if any(a < end and start < b for a, b in covered):
                continue
            key = name_key(clean_surface(match.group()))
            eid = None
            if (article.id, key) in entity_of_node:
                eid = entity_of_node[(article.id, key)]
            elif " " in key and key in node_of_key:
                eid = entity_of_node[node_of_key[key]]
            else:
                owners = surnames.get(key, set())
                here = {o for o in owners if article.id in by_id[o].mentions}
                if len(here) == 1 or (not here and len(owners) == 1):
                    eid = next(iter(here or owners))
            if eid is None:
                continue
            sentence = max(bisect_right(starts, start) - 1, 0)
            label = _SPACY_LABEL[by_id[eid].label]
            mention = Mention(article.id, start, end, match.group(), label, sentence)
            found.setdefault(article.id, []).append((mention, eid))
    return found
