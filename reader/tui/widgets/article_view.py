"""One article in a scrollable pane: a header and the body.

Owns: rendering the sanitized article text as ``Content`` (never markup), entity
highlight spans supplied by the screen, one marked range (the current mention,
search hit or timeline sentence), and scrolling to a character offset (by wrapping
the paragraphs at the pane's width, so "scroll to this sentence" lands on its line).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from textual import events
from textual._wrap import compute_wrap_offsets
from textual.actions import SkipAction
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from reader.models import Article

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    style: str  # a style string that may use theme variables, e.g. "$entity-2 bold"


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


def _leading_furniture(article: Article, paragraphs: Sequence[tuple[int, int]]) -> int:
    """How many paragraphs at the top are page furniture ("Skip to content", the title
    again, a photo credit, a date line): the same rule the alignment sets them aside
    with. 0 when nothing real would follow."""
    from reader.analysis.alignment import is_junk

    n = 0
    for a, b in paragraphs[:MAX_FURNITURE]:
        text = article.text[a:b]
        if not is_junk(text, article.title):
            break
        # a long paragraph the alignment sets aside (a standfirst) is still the article;
        # a long one that is junk only because it repeats the title is furniture
        if len(text.split()) > FURNITURE_WORDS and is_junk(text):
            break
        n += 1
    return n if n < len(paragraphs) else 0


MAX_FURNITURE = 8
"""Only the top of a page is looked at for furniture."""
FURNITURE_WORDS = 12
"""Longer paragraphs are folded only when they repeat the title."""


class ArticleBody(Widget):
    """The paragraphs of an article, rendered a line at a time (Textual's line API).

    Only the lines on screen are rendered, and a new mark or highlight re-renders
    just those: wrapping depends on the text and the width only, so the line breaks
    are computed once per width and each visible line is a slice of the styled
    ``Content``.
    """

    DEFAULT_CSS = """
    ArticleBody { height: auto; }
    """

    content: Content
    _spans: list[Span]

    def __init__(self, text: str) -> None:
        super().__init__()
        self._width = -1
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._strips: dict[int, Strip] = {}
        self.set_content(Content(text))

    def set_content(self, content: Content) -> None:
        """New text re-wraps; new spans on the same text repaint only the lines whose
        spans changed (a new mark: the old and the new mark's lines)."""
        old_spans = self._spans if hasattr(self, "content") else None
        same_text = old_spans is not None and content.plain == self.content.plain
        self.content = content
        self._spans = sorted(content.spans, key=lambda span: span.start)
        self._span_starts = [span.start for span in self._spans]
        self._longest_span = max((span.end - span.start for span in self._spans), default=0)
        if not same_text:
            self._width = -1
            self._strips.clear()
            if self.is_mounted:
                self.refresh(layout=True)
            return
        changed = set(old_spans or ()).symmetric_difference(self._spans)
        if not changed:
            return
        if self._width < 0:
            self._strips.clear()
            if self.is_mounted:
                self.refresh()
            return
        lines: set[int] = set()
        for span in changed:
            first = max(0, bisect_right(self._line_starts, span.start) - 1)
            last = max(first, bisect_right(self._line_starts, max(span.start, span.end - 1)) - 1)
            lines.update(range(first, last + 1))
        for y in lines:
            self._strips.pop(y, None)
        if self.is_mounted:
            self.refresh(*(Region(0, y, self._width, 1) for y in sorted(lines)))

    def _line_content(self, start: int, end: int) -> Content:
        """The styled text of one screen line (only the spans that overlap it are looked at)."""
        low = bisect_left(self._span_starts, start - self._longest_span)
        high = bisect_left(self._span_starts, end)
        spans = [
            Span(max(span.start, start) - start, min(span.end, end) - start, span.style)
            for span in self._spans[low:high]
            if span.end > start
        ]
        return Content(self.content.plain[start:end], spans, strip_control_codes=False)

    def line_spans(self, width: int) -> list[tuple[int, int]]:
        """(start, end) of each screen line in the body text, at ``width`` cells."""
        if width != self._width:
            text = self.content.plain
            lines: list[tuple[int, int]] = []
            offset = 0
            for raw in text.split("\n"):
                breaks = [0, *compute_wrap_offsets(raw, max(width, 1), 4), len(raw)]
                for a, b in pairwise(breaks):
                    piece = raw[a:b].rstrip(" ")
                    lines.append((offset + a, offset + a + len(piece)))
                offset += len(raw) + 1
            self._width, self._lines = width, lines
            self._line_starts = [a for a, _ in lines]
        return self._lines

    def line_of(self, offset: int, width: int) -> int:
        self.line_spans(width)
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.line_spans(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        spans = self.line_spans(width)
        if y >= len(spans):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(y)
        if strip is None or strip.cell_length != width:
            segments = self._line_content(*spans[y]).render_segments(self.visual_style)
            strip = Strip(segments).adjust_cell_length(width, self.rich_style)
            self._strips[y] = strip
        return strip

    def notify_style_update(self) -> None:
        self._strips.clear()  # a new theme: the cached lines carry the old colours
        super().notify_style_update()


class ArticleView(VerticalScroll, can_focus=True):
    """A scrollable article. Keys: up/down/pgup/pgdn/home/end (and j/k from the screen).

    The body is ONE ``Static`` holding every paragraph (a blank line between them),
    not a widget per paragraph: a focus change or a new mark then restyles and
    re-renders one widget, not a hundred. Character offsets into the article map to
    body lines by wrapping each paragraph at the body's width (cached per width).
    """

    BINDINGS = [
        Binding("z", "toggle_fold", "Show/fold page furniture", show=False, id="article.fold"),
    ]

    DEFAULT_CSS = """
    ArticleView {
        height: 1fr;
        padding: 0 1;
        border: round $panel;
        scrollbar-size-vertical: 1;
    }
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
        self.all_paragraphs: list[tuple[int, int]] = [
            (m.start(), m.end()) for m in _PARAGRAPH.finditer(article.text) if m.group().strip()
        ]
        self.furniture = _leading_furniture(article, self.all_paragraphs)
        self.folded = self.furniture > 0
        self._fold_line = ""
        self._build_body()
        self._highlight_spans: list[Span] = []

    def _build_body(self) -> None:
        """The body: the shown paragraphs joined by a blank line (after the fold line
        when the page furniture is folded); shift = body offset - article offset."""
        shown = self.all_paragraphs[self.furniture :] if self.folded else self.all_paragraphs
        self.paragraphs: list[tuple[int, int]] = shown
        self._starts = [a for a, _ in shown]
        self._shift: list[int] = []
        pieces: list[str] = []
        length = 0
        if self.folded:
            n = self.furniture
            self._fold_line = (
                f"▸ {n} line{'s' if n != 1 else ''} of page furniture folded (z shows them)"
            )
            pieces.append(self._fold_line)
            length = len(self._fold_line)
        else:
            self._fold_line = ""
        text = self.article.text
        for a, b in shown:
            if pieces:
                pieces.append("\n\n")
                length += 2
            self._shift.append(length - a)
            pieces.append(text[a:b])
            length += b - a
        # control codes stripped once here (as Content does), not on every new mark:
        # str.translate over a non-ASCII article takes milliseconds
        self._body_text = Content("".join(pieces)).plain

    def action_toggle_fold(self) -> None:
        """Show or fold the page furniture above the article's first real paragraph."""
        if not self.furniture:
            return
        self.folded = not self.folded
        self._build_body()
        self.set_highlights(self.highlights)

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(
            article_header(self.article, self.number), classes="article-header", markup=False
        )
        yield ArticleBody(self.article.text).add_class("article-body")

    def on_mount(self) -> None:
        self.border_title = Content(self.article.outlet)
        self.paint_border()
        self._render_body()

    # -- the focus border: drawn from the focus state, not by a ``:focus`` CSS rule ----
    # Textual restyles a widget's whole subtree (header, body, scrollbars: CSS matching
    # of each, then a second frame for the scrollbars) and repaints all of it whenever
    # its focus changes. Only the border colour of a pane depends on focus, so the pane
    # sets that colour itself and repaints the four border lines, nothing else.
    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # instead of Widget._on_focus (a whole-pane repaint)
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()  # instead of Widget._on_blur
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def watch_has_focus(self, has_focus: bool) -> None:
        self.paint_border()  # (Widget.watch_has_focus restyles the subtree)

    def paint_border(self, active: bool | None = None) -> None:
        """The border in the focus colour when ``active`` (default: when focused).
        A screen that is about to move the focus may paint first (the later focus
        event then changes nothing)."""
        if active is None:
            active = self.has_focus
        colour = self.app.theme_variables.get("primary" if active else "panel")
        if not colour:
            return
        edge = ("round", Color.parse(colour))
        inline = self.styles.inline
        changed = False
        for rule in ("border_top", "border_right", "border_bottom", "border_left"):
            changed |= inline.set_rule(rule, edge)  # no refresh, no restyle
        width, height = self.outer_size
        if not changed or not width or not height:
            return
        dx, dy = self.content_offset
        lines = (
            Region(0, 0, width, 1),
            Region(0, height - 1, width, 1),
            Region(0, 0, 1, height),
            Region(width - 1, 0, 1, height),
        )
        self.refresh(*(line.translate((-dx, -dy)) for line in lines))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.paint_border()  # a new theme: the border takes its colours again

    # -- keys: scroll at once, like j/k (a smooth scroll repaints the pane ~20 times) --
    def action_scroll_up(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_up(animate=False)

    def action_scroll_down(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_down(animate=False)

    def action_page_up(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_page_down(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    # -- content -----------------------------------------------------------------
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: h.start)
        self._highlight_spans = self._body_spans(
            [(h.start, h.end, h.style) for h in self.highlights]
        )
        self._render_body()

    def mark(self, start: int, end: int, *, scroll: bool = True) -> None:
        """Mark one range (reverse video) and bring it into view."""
        if self.folded and self.paragraphs and start < self.paragraphs[0][0]:
            self.folded = False  # a hit in the page furniture: show it
            self._build_body()
            self._highlight_spans = self._body_spans(
                [(h.start, h.end, h.style) for h in self.highlights]
            )
        self.marked = (start, end)
        self._render_body()
        if scroll:
            self.scroll_to_offset(start)

    def clear_mark(self) -> None:
        if self.marked is not None:
            self.marked = None
            self._render_body()

    def plain_text(self) -> str:
        """The body exactly as the widget holds it, without styles (for tests)."""
        return self.query_one(ArticleBody).content.plain

    def _paragraph_index(self, offset: int) -> int | None:
        if not self.paragraphs:
            return None
        return max(0, bisect_right(self._starts, offset) - 1)

    def _body_spans(self, ranges: Sequence[tuple[int, int, str]]) -> list[Span]:
        """Article ranges as spans of the body text (a range may cross paragraph breaks:
        a marked sentence never does, but be safe)."""
        starts, shift, paragraphs = self._starts, self._shift, self.paragraphs
        spans: list[Span] = []
        for start, end, style in ranges:
            index = max(0, bisect_right(starts, start) - 1)
            while index < len(paragraphs) and paragraphs[index][0] < end:
                a, b = paragraphs[index]
                lo, hi = max(start, a), min(end, b)
                if lo < hi:
                    spans.append(Span(lo + shift[index], hi + shift[index], style))
                index += 1
        return spans

    def body_content(self) -> Content:
        """Every paragraph, a blank line between them, with the highlight spans and then
        the mark (later spans win, so the mark shows over a highlight). The text and the
        highlight spans are built once; a new mark only adds its own span."""
        spans = self._highlight_spans
        if self._fold_line:
            spans = [Span(0, len(self._fold_line), "dim italic"), *spans]
        if self.marked:
            spans = spans + self._body_spans([(*self.marked, "$mark")])
            spans += self._marked_entities(*self.marked)
        return Content(self._body_text, spans, strip_control_codes=False)

    def _marked_entities(self, start: int, end: int) -> list[Span]:
        """Entities inside the marked sentence drawn in the mark's own colours (their
        pale highlight colours on the mark's background read at 1-2:1), keeping their
        type's bold/underline/italic so they still stand out (issue 20, item 1). The
        selected entity keeps its own (readable) style."""
        ranges = []
        for h in self.highlights:
            if h.end <= start or h.start >= end or h.style == "$entity-selected":
                continue
            attributes = " ".join(t for t in h.style.split() if not t.startswith("$"))
            ranges.append((max(h.start, start), min(h.end, end), f"$mark {attributes}".strip()))
        return self._body_spans(ranges)

    def _render_body(self) -> None:
        self.query_one(ArticleBody).set_content(self.body_content())

    # -- offsets to lines ---------------------------------------------------------------
    def _line_of(self, offset: int) -> int | None:
        """The body line (from 0) that shows article ``offset``, or None before layout."""
        body = self.query_one(ArticleBody)
        index = self._paragraph_index(offset)
        # outer_size (the body has no gutter): ``size`` asks the compositor for the
        # widget's region, which for a pane off the page rebuilds the whole screen map
        width = body.outer_size.width
        if width <= 0 or index is None:
            return None
        return body.line_of(offset + self._shift[index], width)

    def _body_top(self) -> int:
        """The scroll position where the body starts (below the header)."""
        return self.query_one(".article-header", Static).outer_size.height

    def top_offset(self) -> int | None:
        """The article offset shown on the pane's top line (None: the header shows, or
        not laid out yet): what a reflow should keep at the top."""
        body = self.query_one(ArticleBody)
        width = body.outer_size.width
        if width <= 0 or not self.paragraphs:
            return None
        y = int(self.scroll_y) - self._body_top()
        lines = body.line_spans(width)
        if y <= 0 or not lines:
            return None
        body_offset = lines[min(y, len(lines) - 1)][0]
        starts = [a + shift for (a, _), shift in zip(self.paragraphs, self._shift, strict=True)]
        index = max(0, bisect_right(starts, body_offset) - 1)
        return max(self.paragraphs[index][0], body_offset - self._shift[index])

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding ``offset`` is at the top (once laid out)."""
        line = self._line_of(offset)
        if line is None:
            self.call_after_refresh(self._scroll_when_ready, offset)
            return
        self.scroll_to(y=self._body_top() + line, animate=False, immediate=True)

    def _scroll_when_ready(self, offset: int) -> None:
        line = self._line_of(offset)
        if line is not None:
            self.scroll_to(y=self._body_top() + line, animate=False, immediate=True)

    def is_offset_visible(self, offset: int) -> bool:
        line = self._line_of(offset)
        if line is None:
            return False
        y = self._body_top() + line
        return self.scroll_y <= y < self.scroll_y + self.scrollable_content_region.height
