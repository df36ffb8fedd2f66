"""Local files: ``parallax import PATH...`` for ``.txt`` and ``.html`` files.

Owns: reading a file safely (size cap, charset detection for HTML via
trafilatura), turning it into a ``NewArticle``. HTML goes through trafilatura for
the text and its title/date/site metadata. Must not: write to the store itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reader.models import NewArticle
from reader.sanitize import clean_line, clean_text, derive_title

MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportFailed(Exception):
    """A file that cannot be imported; the message is one line for the user."""


HEADLINE_MAX_WORDS = 16
HEADLINE_MAX_CHARS = 140


def headline(text: str) -> str | None:
    """The text's first line when it reads like a headline: short (2 to 16 words), not
    ending like a sentence or a clause (. , ; :), and followed by more text. None
    otherwise (then the title comes from the lede)."""
    lines = [ln.strip() for ln in text.split("\n")]
    first = next((i for i, ln in enumerate(lines) if ln), None)
    if first is None:
        return None
    line = lines[first]
    rest = any(ln for ln in lines[first + 1 :])
    words = line.split()
    if not rest or not 2 <= len(words) <= HEADLINE_MAX_WORDS or len(line) > HEADLINE_MAX_CHARS:
        return None
    if line.rstrip("\"”’')").endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return None
    return clean_line(line)


def read_article_file(
    path: Path, outlet: str | None = None, published: date | None = None
) -> NewArticle:
    """A ``.txt`` or ``.html``/``.htm`` file as an article (not yet stored).

    ``outlet`` and ``published`` (``parallax import --outlet/--date``) win over what
    the file says; a ``.txt`` file's first line is its title when it reads like a
    headline (the text keeps it: nothing is lost, and the views fold it as a repeat
    of the title)."""
    suffix = path.suffix.lower()
    if suffix not in {".txt", ".html", ".htm"}:
        raise ImportFailed(f"{path}: only .txt and .html files can be imported")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailed(f"{path}: file is larger than {MAX_FILE_BYTES // 2**20} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path}: is a directory") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    origin = str(path.resolve())
    if suffix == ".txt":
        text = clean_text(data.decode("utf-8", errors="replace"))
        if not text.strip():
            raise ImportFailed(f"{path}: file is empty")
        return NewArticle(
            outlet=clean_line(outlet) or path.stem,
            title=headline(text) or derive_title(text),
            text=text,
            published=published,
            origin=origin,
        )
    from reader.ingest.pages import extract_page

    page = extract_page(data, url=None)
    if page is None or not page.text.strip():
        raise ImportFailed(f"{path}: no article text found in this HTML")
    return NewArticle(
        outlet=clean_line(outlet) or page.site_name or path.stem,
        title=page.title or derive_title(page.text),
        text=page.text,
        published=published or page.published,
        origin=origin,
        url=page.url,
        author=page.author,
    )


__all__ = ["ImportFailed", "headline", "read_article_file"]
