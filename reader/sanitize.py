"""The one gate every untrusted string passes on its way into the store.

Owns: turning hostile text (feed titles, article bodies, URLs, file contents) into
plain printable text. Must not: guess at page furniture or drop real content; it
only removes what a terminal or a bidi renderer could act on.

What it does, in order:

1. decodes nothing and un-escapes nothing: callers hand it ``str``; HTML entity
   decoding belongs to the HTML/feed parsers, which run *before* this;
2. removes ANSI/ECMA-48 escape sequences whole: CSI (``ESC [`` ... final byte),
   OSC (``ESC ]`` ... BEL or ST), DCS/SOS/PM/APC (``ESC P``/``X``/``^``/``_`` ... ST),
   their 8-bit C1 forms (U+009B CSI, U+009D OSC, U+0090 DCS, ...), and two-byte
   ``ESC x`` sequences;
3. Unicode NFC;
4. removes every remaining control character (C0 and C1) except newline and tab,
   bidi embedding/override/isolate characters (U+202A-U+202E, U+2066-U+2069,
   U+206A-U+206F), invisible characters that can hide text (U+200B zero-width
   space, U+2060-U+2064, U+FEFF) and Unicode tag characters (U+E0000-U+E007F), and
   lone surrogates and noncharacters. What scripts need is kept: the zero-width
   joiner and non-joiner (U+200D, U+200C: emoji sequences, Persian, Indic
   conjuncts) after a non-ASCII character (after ASCII, as in "paypal\u200c.com",
   they join nothing and only hide a difference, so they go: a rough form of IDNA's
   CONTEXTJ rule), and the bidi *marks* (U+200E, U+200F, U+061C), which reorder
   nothing around them (issue 17);
5. normalises line endings to ``\\n``, turns other vertical whitespace
   (VT, FF, U+2028, U+2029, U+0085 NEL) into a paragraph break, strips trailing
   spaces on each line and collapses three or more newlines into one blank line, so
   paragraphs survive as ``\\n\\n``-separated blocks, and single newlines survive
   too (the seeds use both).

Markup such as ``[bold]`` is *not* removed: it is text, and the UI never
interprets article text as markup. ``clean_line`` is the variant for one-line
fields (titles, outlet names, URLs): it also folds all whitespace to single spaces
and caps the length.
"""

from __future__ import annotations

import re
import unicodedata

# ECMA-48 sequences, 7-bit and 8-bit. String-type sequences (OSC, DCS, SOS, PM, APC)
# run until ST (ESC \ or U+009C) or BEL; an unterminated one runs to the end of text,
# which is what a terminal would swallow too.
_STRING_SEQ = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"  # introducer
    r".*?"
    r"(?:\x07|\x1b\\|\x9c|\Z)",
    re.DOTALL,
)
_CSI_SEQ = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?")
_ESC_SEQ = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")

_BIDI_AND_INVISIBLE = (
    "\u200b"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\ufff9\ufffa\ufffb"
)
_VERTICAL = "\x0b\x0c\x85\u2028\u2029"

_DROP = re.compile(
    "["
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0 (not \t \n \v \f \r) and C1 (not NEL)
    + re.escape(_BIDI_AND_INVISIBLE)
    + "\U000e0000-\U000e007f"  # tag characters
    + "\ud800-\udfff"  # lone surrogates
    + "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters
    + "]"
)
_VERTICAL_RE = re.compile("[" + re.escape(_VERTICAL) + "]")
_STRAY_JOINER = re.compile("(?:^|(?<=[\x00-\x7f]))[\u200c\u200d]+", re.MULTILINE)
_ESCAPE_START = re.compile("[\x1b\x80-\x9f]")
# A character ``clean_text`` drops or rewrites. Text without one, and without a
# trailing space, three newlines or a newline at either end (checked with ``in``),
# and already NFC, is returned as it is: most text reaching the sanitizer was cleaned
# before (feed code, then the store's last gate), and these C-speed searches are a
# fraction of the eight passes.
_NEEDS_WORK = re.compile(_DROP.pattern[:-1] + "\r\u200c\u200d" + re.escape(_VERTICAL) + "\x1b]")
_TRAILING = (" ", "\t", "\u00a0")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MANY_NEWLINES = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")

MAX_LINE = 1000
"""One-line fields (titles, names, URLs) are cut to this many characters."""


def strip_escapes(text: str) -> str:
    """Remove terminal escape sequences (7-bit and 8-bit forms) whole."""
    if not _ESCAPE_START.search(text):
        return text
    text = _STRING_SEQ.sub("", text)
    text = _CSI_SEQ.sub("", text)
    return _ESC_SEQ.sub("", text)


_UNDRAWABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
)


_ASCII_DRAWABLE = bytes(range(0x20, 0x7F)) + b"\n\t"


def drawable(text: str) -> str:
    """The draw-time guard: ``text`` with escape sequences and control characters
    (C0 but newline and tab, DEL, C1), bidi overrides/isolates and tag characters
    removed, and nothing else changed.

    ``clean_text`` runs when text is stored; this runs where text from the store or
    from the file system is about to be drawn (rows becoming model objects in the
    store, the command line's output, notifications naming files), so text that
    never passed the ingestion gate (a database written by another tool, a file
    name) cannot move the cursor, set the window title or write the clipboard.
    Cost when there is nothing to remove: ~1 µs for a title; for a 3 kB article text
    ~6 µs when it is ASCII (one bytes.translate) and ~30 µs otherwise (one regex
    search), measured; ``Store.all_articles`` on 5,000 such texts took ~275 ms
    instead of ~160 ms.
    """
    if text.isascii():
        if not text.encode("ascii").translate(None, _ASCII_DRAWABLE):
            return text
    elif not _UNDRAWABLE.search(text):
        return text
    return _UNDRAWABLE.sub("", strip_escapes(text))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~!{}()])")


def markdown_inline(text: str) -> str:
    """Untrusted text as inline Markdown that shows exactly this text on one line.

    HTML is escaped (``<script>``, ``<img onerror=…>`` and ``<http://…>`` autolinks
    become text), and Markdown's own punctuation is backslash-escaped, so
    ``![x](http://…)`` is never a remote image, ``[x](javascript:…)`` never a link
    and ``**`` never emphasis. Whitespace is folded to single spaces (a line break in
    a title cannot start a heading or a list).
    """
    text = " ".join(drawable(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def clean_text(text: str) -> str:
    """Sanitize a multi-paragraph body (idempotent: cleaning twice changes nothing)."""
    if (
        not _NEEDS_WORK.search(text)
        and "\n\n\n" not in text
        and not text.startswith("\n")
        and not text.endswith(("\n", *_TRAILING))
        and " \n" not in text
        and "\t\n" not in text
        and "\u00a0\n" not in text
        and unicodedata.is_normalized("NFC", text)
    ):
        return text  # what the passes below would return (tested on random text)
    return _clean_text_passes(text)


def _clean_text_passes(text: str) -> str:
    text = strip_escapes(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _VERTICAL_RE.sub("\n\n", text)
    # NFC can't create control characters, but drop first so NFC sees clean input.
    text = _DROP.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _DROP.sub("", text)
    text = _STRAY_JOINER.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip("\n")


def clean_line(text: str | None, limit: int = MAX_LINE) -> str:
    """Sanitize a one-line field: ``clean_text`` plus whitespace folding and a length cap."""
    if not text:
        return ""
    if (
        len(text) <= limit
        and text.isprintable()  # no control, format, separator (but " "), unassigned
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and unicodedata.is_normalized("NFC", text)
    ):
        return text  # what the steps below would return (tested on random text)
    return _clean_line_steps(text, limit)


def _clean_line_steps(text: str, limit: int) -> str:
    line = _WHITESPACE.sub(" ", clean_text(text)).strip()
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def derive_title(text: str, limit: int = 100) -> str:
    """A display title from the lede, for articles that carry none.

    Takes the first line that reads like prose (at least six words and ending like
    a sentence, so photo captions and menu items are skipped), cut at its first
    sentence end or at ``limit`` characters on a word boundary.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    prose = [ln for ln in lines if len(ln.split()) >= 6]
    lede = next(
        (ln for ln in prose if ln.rstrip("\"”’')").endswith((".", "!", "?"))),
        prose[0] if prose else (lines[0] if lines else ""),
    )
    lede = clean_line(lede, limit=10_000)
    end = re.search(r"(?<=[a-z0-9\"”’)])[.!?](?=\s|$)", lede)
    if end and end.end() <= limit:
        return lede[: end.end()]
    if len(lede) <= limit:
        return lede
    cut = lede[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"
