"""One article in a scrollable pane: a header and one widget per paragraph.

Owns: rendering the sanitized article text as ``Content`` (never markup), entity
highlight spans supplied by the screen, one marked range (the current mention,
search hit or timeline sentence), and scrolling to a character offset. Paragraphs
are separate widgets so "scroll to this sentence" is exact without measuring wraps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reader.models import Article

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    style: str  # a style string that may use theme variables, e.g. "$entity-2 bold"


class Paragraph(Static):
    DEFAULT_CSS = """
    Paragraph { margin: 0 0 1 0; }
    """

    def __init__(self, start: int, end: int) -> None:
        super().__init__(markup=False)
        self.start = start
        self.end = end


def article_header(article: Article, number: int | None = None) -> Content:
    """Outlet, date and title as Content; ``number`` is the pane's badge."""
    badge = (
        Content(f" {number} ").stylize(f"reverse $outlet-{(number - 1) % 5 + 1}")
        if number
        else Content("")
    )
    outlet = Content(article.outlet).stylize("bold")
    date = Content(article.published_iso or "undated").stylize("dim")
    title = Content(article.title).stylize("italic")
    return Content.assemble(badge, " " if number else "", outlet, " · ", date, "\n", title)


class ArticleView(VerticalScroll, can_focus=True):
    """A scrollable article. Keys: up/down/pgup/pgdn/home/end (and j/k from the screen)."""

    DEFAULT_CSS = """
    ArticleView {
        height: 1fr;
        padding: 0 1;
        border: round $panel;
        scrollbar-size-vertical: 1;
    }
    ArticleView:focus { border: round $primary; }
    ArticleView > .article-header {
        padding: 0 0 1 0;
        color: $foreground;
    }
    """

    def __init__(
        self, article: Article, number: int | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.article = article
        self.number = number
        self.highlights: Sequence[Highlight] = ()
        self.marked: tuple[int, int] | None = None
        self._paragraphs: list[Paragraph] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(
            article_header(self.article, self.number), classes="article-header", markup=False
        )
        for match in _PARAGRAPH.finditer(self.article.text):
            if match.group().strip():
                para = Paragraph(match.start(), match.end())
                self._paragraphs.append(para)
                yield para

    def on_mount(self) -> None:
        self.border_title = Content(self.article.outlet)
        self._render_paragraphs()

    # -- content -----------------------------------------------------------------
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: h.start)
        self._render_paragraphs()

    def mark(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Mark one range (reverse video) and bring it into view."""
        old, self.marked = self.marked, (start, end)
        self._render_paragraphs(old, self.marked)
        if scroll:
            self.scroll_to_offset(start)

    def clear_mark(self) -> None:
        if self.marked is not None:
            old, self.marked = self.marked, None
            self._render_paragraphs(old)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for para in self._paragraphs:
            if para.start <= offset < para.end:
                return para
        return self._paragraphs[-1] if self._paragraphs else None

    def scroll_to_offset(self, offset: int) -> None:
        para = self.paragraph_at(offset)
        if para is not None:
            self.scroll_to_widget(para, animate=False, top=True)

    def paragraph_text(self, para: Paragraph) -> Content:
        text = self.article.text
        content = Content(text[para.start : para.end])
        for h in self.highlights:
            if h.end <= para.start or h.start >= para.end:
                continue
            content = content.stylize(
                h.style, max(h.start, para.start) - para.start, min(h.end, para.end) - para.start
            )
        if self.marked and self.marked[0] < para.end and self.marked[1] > para.start:
            content = content.stylize(
                "$mark",
                max(self.marked[0], para.start) - para.start,
                min(self.marked[1], para.end) - para.start,
            )
        return content

    def _render_paragraphs(self, *ranges: tuple[int, int] | None) -> None:
        """Re-render the paragraphs that overlap ``ranges`` (all of them when none given):
        moving the mark touches two paragraphs, not the whole article."""
        wanted = [r for r in ranges if r is not None]
        for para in self._paragraphs:
            if ranges and not any(a < para.end and b > para.start for a, b in wanted):
                continue
            para.update(self.paragraph_text(para))
