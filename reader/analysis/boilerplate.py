"""Boilerplate: the lines of a page that are not reporting, so never a claim.

Owns: ``is_junk`` (one sentence) and ``junk_sentences`` (an article's sentences, with
the neighbours a pasted tweet needs), used by alignment, framing and everything that
lists what an outlet says. Must not: import spaCy or Textual, or know about stories
(a sentence is boilerplate or not on its own page, whatever other outlets say).

What counts as boilerplate, each kind a small rule below:

- Too short to state anything: fewer than ``MIN_WORDS`` words ("Skip to content",
  "(Reuters)", "[ The Verge ]"), and headings: lines without a sentence end of at
  most ``HEADING_MAX_WORDS`` words, which is also what related-link lists are made of
  ("2020 VW ID.3 official as Volkswagen bets on electric"), and short questions
  standing alone outside quotes ("What charges does Assange face in the US?"). A
  closing quote is a sentence end only after the quoted sentence's own end, so a line
  ending on a bare quoted phrase is a heading too ('3. "Not some irregular channel"'),
  and so is a short line ending in a colon ("Here are some of the highlights:").
- The page's own title repeated in its text, whole or the part between separators
  ("/U.S. will close ... – The Washington Post", "Opinion | Is Football Violence a
  Crime?").
- Credits and captions: a line that is only a bracketed credit ("(Whitney Shefte/The
  Washington Post)"), agency initials ("rm, tj/wmr, jsi (AFP, dpa)"), "File photo of",
  a caption glued to "Image: photographer/agency", "Photo:"/"Credit:"/"(Graphic: ...)"
  lines, reporter lines ("Jane Doe reported from Kyiv", "... contributed to this report").
- Pasted tweets: the "— Name (@handle) date" signature and the paragraph before it.
- Related-link cards in a list: a bulleted headline run into its teaser with no stop
  ("- Jones tells Belichick story from '90s The Cowboys owner ..."), and any bulleted
  line, however long, that does not end as a sentence ("- Chiefs vs. Chargers: Recap,
  highlights Kansas City has held on to their lead in the AFC West").
- Promotion of the publisher's own products and partners (``_PROMO``): newsletters,
  subscriptions, apps, podcasts ("is produced weekly", "this week's ... podcast is
  sponsored by"), coupon and promo codes, price guides, "click here", "sign up".
- Reprint and copyright notices (``_NOTICE``): "©", "All rights reserved", "This story
  has been corrected", "originally published", "may not be published, broadcast,
  rewritten or redistributed", "This article has been adapted from its original source".
- Inline related-link promos ("SEE ALSO:", "READ MORE:", "Related:") with their
  headline: the whole line when it is only that; when the page glued the next
  paragraph to the headline ("... Is 'Unprecedented'Foreign Minister Sergei Lavrov
  said ..."), ``strip_promo`` keeps what follows, the claim.
- A fact check's claim under review: the paragraph under a "Claim" label, or a line
  that starts "Claim:" (Snopes, Full Fact and other fact checkers print the label;
  schema.org's ClaimReview calls the text ``claimReviewed``). The page reports it in
  order to rate it: it is not the outlet's claim, and "only here" must not say it is.
- Promotion (``_PROMO``) also covers "Listen to <show> live ...", "Watch live" and
  "Start your day with <newsletter>"; a short paragraph (``PROMO_PARAGRAPH``) that
  opens or closes with a promotion is the promotion's pitch, every sentence of it.

Every rule looks at the words of the line itself (what kind of text it is), or for
pasted tweets and promotions at its paragraph, never at which outlet or story it
comes from.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.analysis.vocabulary import normalize_quotes
from reader.models import Article, ArticleAnalysis, Sentence

MIN_WORDS = 5
HEADING_MAX_WORDS = 12
"""A line without a sentence end and at most this many words is a (sub)heading."""

_TERMINAL = (".", "!", "?", '"', "'", "…", ")")
_QUOTE_MARK = re.compile('["“”]')
_TWEET_SIGNATURE = re.compile(r"^[—–-]\s*.{0,80}\(@\w+\)")
_FURNITURE_START = re.compile(
    r"(?:\d+\.\s*)?skip to\b|see also:?\s*$|live briefing\b|original source\b"
    r"|source site\b|to see in video\b|with agence france-presse\b|\{image_\d+\}$"
    r"|(?:photo|image|graphic|credit|caption|video)s?\s*(?:credit)?\s*:"
    r"|\((?:photo|image|graphic|video)s?\s*:",
    re.IGNORECASE,
)
"""Page furniture at the start of a line ("Skip to content", "SEE ALSO:", "Photo: ...",
"(Graphic: ...)"); used with ``match``. The phrases found anywhere are
``_FURNITURE_ANYWHERE``."""
_REPORTED_FROM = re.compile(r"\w[\w .]* reported from \w+", re.IGNORECASE)
"""A reporter's credit line ("Jane Doe reported from Kyiv"); used with ``match``, and
only on lines that hold "reported from" (its backtracking is the junk rule's cost)."""
_FURNITURE_ANYWHERE = re.compile(
    r"\bclick here\b|contributed to this report|\blatest developments\b", re.IGNORECASE
)
_FURNITURE_WORDS = ("click here", "contributed to this report", "latest developments")
"""Cheap pre-checks: ``_FURNITURE_ANYWHERE`` (and ``_PROMO``, ``_NOTICE`` with their own
word lists) can only match a line holding one of these."""
_CREDIT_START = re.compile(
    r"\([^()]*\)$"  # "(Whitney Shefte/The Washington Post)", "(Reuters)"
    r"|[a-z]{1,4}(?:[ ,/]+[a-z]{1,4})*\s*\([A-Za-z ,/]+\)$"  # "rm, tj/wmr, jsi (AFP, dpa)"
    r"|File photo of\b"
)
"""Credits that fill a line; used with ``match``."""
_IMAGE_CREDIT = re.compile(r"Image: [^.]*$")
"""A caption glued to "Image: photographer/agency" (DW)."""
_PROMO = re.compile(
    r"\b(?:sign up (?:for|to)|subscribe (?:to|now|for)|subscribers? (?:get|can|only)"
    r"|our (?:free )?(?:daily |weekly )?newsletter|newsletters?\b.{0,40}\binbox"
    r"|download (?:the|our) (?:\w+ )?app|(?:coupon|promo|discount) code"
    r"|follow (?:us|[A-Z]\w+) on (?:instagram|facebook|twitter|youtube|tiktok|x\b)"
    r"|price guide|podcast (?:is|was) (?:produced|available|sponsored)"
    r"|(?:podcast|newsletter|episode) is sponsored by|is sponsored by the"
    r"|listen (?:to|on) (?:the|our|this) (?:\w+ )?podcast|subscribe on (?:apple|itunes|spotify)"
    r"|(?:available|listen) on (?:apple podcasts|spotify|itunes)"
    r"|\blisten (?:to [\w ]{1,30} )?(?:live|back|again)\b|\bwatch (?:it )?live\b"
    r"|\bstart your (?:day|morning|week) with\b)",
    re.IGNORECASE,
)
"""Promotion of the publisher's own products, or a sponsor's."""
_PROMO_WORDS = (
    "sign up",
    "subscri",
    "newsletter",
    "download",
    "follow ",
    "coupon",
    "promo",
    "discount",
    "price guide",
    "podcast",
    "sponsored",
    "spotify",
    "itunes",
    "listen",
    "watch live",
    "watch it live",
    "start your",
)
_NOTICE = re.compile(
    r"©|\ball rights reserved\b|\bcopyright \d{4}|may not be (?:published|reproduced|copied)"
    r"|\brewritten or redistributed\b|\b(?:this|the) (?:story|article) (?:has been|was) "
    r"(?:corrected|updated|amended)\b|\boriginally (?:published|appeared)\b"
    r"|\bthis (?:story|article) (?:first )?appeared (?:in|on)\b"
    r"|\b(?:this|the) (?:story|article|report) (?:has been|was|is) (?:adapted|edited|"
    r"republished|reproduced|translated) from\b",
    re.IGNORECASE,
)
"""Reprint, copyright and correction notices."""
_BULLETS = ("-", "•", "–")
_GLUED_TEASER = re.compile(
    r"[-•–]\s+\S.{0,100}?[a-z0-9'’] (?:The|A|An|Neither|It|He|She|They|This|His|Her|Their|Its)\s"
)
"""A related-link card in a list: a bulleted headline run into its teaser sentence with
no stop between them ("- Rams top Bears as offenses struggle Neither the Rams nor
..."): a capitalised function word right after a lower-case word, which running text
never has."""
_NOTICE_WORDS = (
    "©",
    "rights reserved",
    "copyright",
    "may not be",
    "redistributed",
    "corrected",
    "updated",
    "amended",
    "originally",
    "appeared",
    "adapted",
    "edited from",
    "republished",
    "reproduced",
    "translated from",
)


_PROMO_LEAD = re.compile(
    r"(?:see also|read more|read also|also read|related)\s*:\s*", re.IGNORECASE
)
"""An inline related-link promo ("SEE ALSO: 'An Explosive Situation': Open-Source
Monitors Say ..."), used with ``match``."""
_GLUED = re.compile(r"(?:(?<=[a-z]{3})|(?<=[a-z]{2}['\"’”?!)]))(?=[A-Z][a-z])")
"""Where a promo's headline runs into the next paragraph with no space ("... Is
'Unprecedented'Foreign Minister Sergei Lavrov said ..."): a word's end (three
lower-case letters, or two and a closing quote or mark) right before a capitalised
word, which running text never has."""


def strip_promo(text: str) -> str:
    """``text`` without an inline related-link promo at its start: what follows the
    promo's headline when the page glued the next paragraph to it, "" when the line
    is the promo alone, ``text`` itself when it starts with no promo."""
    lead = _PROMO_LEAD.match(text)
    if lead is None:
        return text
    glued = _GLUED.search(text, lead.end())
    return text[glued.start() :] if glued else ""


def normalize(text: str) -> str:
    """``vocabulary.normalize_quotes``: quotes straightened, spaces as one."""
    return normalize_quotes(text)


def clear_caches() -> None:
    _junk_sentences.cache_clear()


def _title_line(text: str, title: str) -> bool:
    """Whether a line is the page title again, whole or a part of it between the
    separators that add a section or the site's name ("Opinion | Is Football Violence
    a Crime?", "... | Al Bawaba")."""
    if not title:
        return False
    line = text.strip().lstrip("/").strip()
    line = normalize(_TITLE_SEPARATOR.split(line)[0].strip()).lower()
    whole = normalize(title).strip().lower()
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(whole)]
    return line == whole or any(line == p for p in parts if len(p.split()) >= 3)


_TITLE_SEPARATOR = re.compile(r"\s[–—|-]\s")


def _furniture(clean: str) -> bool:
    if _FURNITURE_START.match(clean) or _CREDIT_START.match(clean):
        return True
    if clean[:1] in _BULLETS and _GLUED_TEASER.match(clean):
        return True
    if "Image: " in clean and _IMAGE_CREDIT.search(clean):
        return True
    low = clean.lower()
    if "reported from" in low and _REPORTED_FROM.match(clean):
        return True
    if any(w in low for w in _FURNITURE_WORDS) and _FURNITURE_ANYWHERE.search(clean):
        return True
    if _promo(clean):
        return True
    return any(w in low for w in _NOTICE_WORDS) and bool(_NOTICE.search(clean))


def _ends_sentence(clean: str) -> bool:
    """Whether a line ends as a sentence does. A closing quote ends one only after the
    quoted sentence's own end ('... he said, "we will."' / '... "a sham".'): a line that
    ends on a bare quoted phrase is a heading ('3. "Not some irregular channel"', "UN chief
    'worried' by 'incendiary rhetoric'"). A colon does not end one either: a short line
    ending in one leads into what follows ("Here are some of the highlights:")."""
    if clean.endswith(("\"", "'")):
        return clean[:-1].rstrip("\"'").endswith(_TERMINAL)
    return clean.endswith(_TERMINAL)


def is_junk(text: str, title: str = "") -> bool:
    """Whether a sentence is page furniture rather than reporting (see the module doc).

    Pasted tweets need the neighbouring lines and are found by ``junk_sentences``.
    """
    clean = normalize(text).strip()
    n_words = len(clean.split())
    if n_words < MIN_WORDS:
        return True
    if not _ends_sentence(clean) and (n_words <= HEADING_MAX_WORDS or clean[:1] in _BULLETS):
        return True  # a heading, or a list item with no stop: a related-link card
    if clean.endswith("?") and n_words <= HEADING_MAX_WORDS and not _QUOTE_MARK.search(clean):
        return True  # a question standing alone is a subheading ("What charges does X face?")
    if _title_line(clean, title):
        return True
    if _CLAIM_LINE.match(clean):
        return True  # a fact check's claim under review ("Claim: ..."): reported, not asserted
    if _PROMO_LEAD.match(clean):
        claim = strip_promo(clean)
        return not claim or is_junk(claim, title)
    return bool(_TWEET_SIGNATURE.search(clean)) or _furniture(clean)


def junk_sentences(article: Article, analysis: ArticleAnalysis) -> frozenset[int]:
    """Indices of the sentences of ``article`` that are boilerplate.

    Cached per article content (text, title, sentence spans): alignment and framing
    ask for the same articles, and a story re-opened pays nothing."""
    return _junk_sentences(article.text, article.title, tuple(analysis.sentences))


_CLAIM_LABEL = re.compile(r"(?i)(?:the\s+)?claim\s*:?\s*$")
_CLAIM_LINE = re.compile(r"(?i)^(?:the\s+)?claim\s*:\s*\S")

PROMO_PARAGRAPH = 3
"""A paragraph of at most this many sentences that opens or closes with a promotion
is the promotion's pitch as a whole ("Start your day with the Opening Bell powered by
The Water Coolest. The Water Coolest is the preferred bathroom stall reading material
of finance professionals. Sign up ...")."""


def _promo(clean: str) -> bool:
    low = clean.lower()
    return any(w in low for w in _PROMO_WORDS) and bool(_PROMO.search(clean))


@lru_cache(maxsize=128)
def _junk_sentences(text: str, title: str, sentences: tuple[Sentence, ...]) -> frozenset[int]:
    junk: set[int] = set()
    paragraphs: dict[int, list[Sentence]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s)
        sentence = text[s.start : s.end]
        if is_junk(sentence, title):
            junk.add(s.index)
        if _TWEET_SIGNATURE.search(normalize(sentence).strip()):
            # The paragraph right before the signature is the pasted tweet itself.
            before = [t for t in sentences if t.paragraph == s.paragraph - 1]
            junk.update(t.index for t in before)
    for members in paragraphs.values():
        # A promotion is junk already (``is_junk``): only those are worth the check.
        ends = [t for t in (members[0], members[-1]) if t.index in junk]
        if (
            1 < len(members) <= PROMO_PARAGRAPH
            and ends
            and any(_promo(normalize(text[t.start : t.end]).strip()) for t in ends)
        ):
            junk.update(t.index for t in members)
    for number, members in paragraphs.items():
        # A fact check's "Claim" label: the paragraph under it is the claim under review.
        first = normalize(text[members[0].start : members[0].end]).strip()
        if len(members) == 1 and _CLAIM_LABEL.match(first):
            junk.update(t.index for t in paragraphs.get(number + 1, ()))
    return frozenset(junk)
