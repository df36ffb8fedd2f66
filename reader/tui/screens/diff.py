"""The framing diff: how each outlet told the same event.

Owns: the aligned groups of a story one after another, each outlet's version shown
as a word diff against a baseline outlet the reader picks (or pairwise, each
version against the one above it); hiding groups every outlet shares; jumping from
a group to its sentences in the compare panes; and the framing summary, one column
per outlet. Alignment and framing are computed in a worker (``analysis.alignment``,
``analysis.framing``); everything shown is ``Content`` built from sanitized text.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static

from reader.analysis.alignment import AlignedGroup, Alignment, outlet_key
from reader.analysis.framing import Framing, OutletFraming
from reader.analysis.worddiff import changed_share, word_diff
from reader.models import Article, ArticleAnalysis
from reader.tui.faults import articles_gone, load_story
from reader.tui.messages import OpenComparison, OpenFacts
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.key_footer import KeyFooter
from reader.wording import count

REWORDED_SHARE = 0.5
"""Above this share of changed words, a version is shown with its new words marked only."""


def outlet_badge(number: int) -> Content:
    return Content(f" {number} ").stylize(f"reverse $outlet-{(number - 1) % 5 + 1}")


def diff_content(baseline: str, other: str) -> Content:
    """``other`` against ``baseline`` as a word diff that reads without colour.

    Removed words are shown as ``[-removed-]``, new words as ``{+added+}`` (wdiff's
    markers), coloured as well; a changed word is its removal then its replacement.
    The text between words is taken from ``other`` as written, so spacing survives,
    and a removal gets the space that separates it from its neighbours. When most
    words differ (a reworded sentence, not an edited one) the sentence is labelled
    "(reworded)" and its new words are only coloured: markers around most of a
    sentence read as noise.
    """
    parts: list[Content] = []
    pos = 0
    ops = word_diff(baseline, other)
    reworded = changed_share(ops) > REWORDED_SHARE
    if reworded:
        parts.append(Content("(reworded) ").stylize("dim italic"))
    for op in ops:
        if op.other_start > pos:
            parts.append(Content(other[pos : op.other_start]))
        if op.kind == "equal":
            parts.append(Content(other[op.other_start : op.other_end]))
        elif reworded:
            if op.other_text:
                style = "$diff-change" if op.kind == "replace" else "$diff-insert"
                parts.append(Content(other[op.other_start : op.other_end]).stylize(style))
        else:
            if op.base_text:
                removed = Content(f"[-{op.base_text}-]").stylize("$diff-delete")
                if op.kind == "delete":
                    # a delete sits right after the previous word: space it off
                    lead = " " if op.other_start > 0 else ""
                    trail = " " if op.other_start == 0 and other else ""
                    parts.append(Content.assemble(lead, removed, trail))
                else:
                    parts.append(Content.assemble(removed, " "))
            if op.other_text:
                style = "$diff-change" if op.kind == "replace" else "$diff-insert"
                added = other[op.other_start : op.other_end]
                parts.append(Content(f"{{+{added}+}}").stylize(style))
        pos = max(pos, op.other_end)
    parts.append(Content(other[pos:]))
    return Content.assemble(*parts)


class GroupView(Static, can_focus=False):
    DEFAULT_CSS = """
    GroupView { border: round $panel; padding: 0 1; margin: 0 0 0 0; }
    GroupView.-current { border: round $primary; }
    """


class OutletColumn(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    OutletColumn { width: 1fr; border: round $panel; padding: 0 1; }
    OutletColumn:focus { border: round $primary; }
    """


class DiffScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "diff"
    BINDINGS = [
        Binding("escape", "back", "Back", id="diff.back"),
        Binding("j,down", "move(1)", "Next group", key_display="j/↓", id="diff.next_group"),
        Binding(
            "j,down", "scroll_column(1)", "Scroll column", key_display="j/↓", id="diff.column_down"
        ),
        Binding(
            "k,up",
            "scroll_column(-1)",
            "Scroll column up",
            key_display="k/↑",
            show=False,
            id="diff.column_up",
        ),
        Binding(
            "k,up",
            "move(-1)",
            "Previous group",
            key_display="k/↑",
            show=False,
            id="diff.prev_group",
        ),
        Binding("b", "baseline(1)", "Baseline", id="diff.baseline"),
        Binding("B", "baseline(-1)", "Previous baseline", show=False, id="diff.baseline_prev"),
        Binding("p", "pairwise", "Pairwise", show=False, id="diff.pairwise"),
        Binding("a", "hide_shared", "Hide shared", id="diff.hide_shared"),
        Binding("enter", "jump", "To compare", id="diff.jump"),
        Binding("s", "summary", "Summary", id="diff.summary"),
        Binding("F", "facts", "Fact table", show=False, id="diff.facts"),
        Binding(
            "less_than_sign",
            "page(-1)",
            "Previous outlets",
            key_display="<",
            show=False,
            id="diff.page_prev",
        ),
        Binding(
            "greater_than_sign", "page(1)", "Next outlets", key_display=">", id="diff.page_next"
        ),
    ]
    GROUP_ACTIONS = frozenset({"move", "baseline", "pairwise", "hide_shared", "jump"})
    """Keys of the groups view; the framing summary hides them (and shows its own)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer and the keys follow the view: the groups or the framing summary."""
        if self.show_summary and action in self.GROUP_ACTIONS:
            return False
        if not self.show_summary and action in ("page", "scroll_column"):
            return False
        return True

    @dataclass
    class Gone(Message):
        """Some of the articles were pruned or removed since the screen was opened."""

        missing: int

    @dataclass
    class Loaded(Message):
        articles: list[Article]
        analyses: dict[str, ArticleAnalysis]
        alignment: Alignment
        framing: Framing

    def __init__(self, article_ids: list[str]) -> None:
        super().__init__()
        self.article_ids = article_ids
        self.articles: list[Article] = []
        self.analyses: dict[str, ArticleAnalysis] = {}
        self.alignment: Alignment | None = None
        self.framing: Framing | None = None
        self.baseline = 0  # index into self.articles
        self.pairwise = False
        self.hide_shared = False
        self.current = 0
        self.show_summary = False
        self.page_start = 0
        self._summary_rendered = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("aligning the story's sentences…"), id="diff-status", markup=False)
        yield VerticalScroll(id="groups")
        yield Horizontal(id="summary")
        yield Static("", id="legend", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#summary").display = False
        legend = Content.assemble(
            Content("legend: "),
            Content("[-removed-]").stylize("$diff-delete"),
            Content(" · "),
            Content("{+added+}").stylize("$diff-insert"),
            Content(" · "),
            Content("{+changed+}").stylize("$diff-change"),
            Content(" (after the [-words-] it replaces)"),
        )
        self.query_one("#legend", Static).update(legend)
        self.load()

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def load(self) -> None:
        comparison = load_story(self, self.article_ids)
        if comparison is None:
            return
        alignment = comparison.alignment()
        framing = comparison.framing(alignment)
        self.post_message(self.Loaded(comparison.members, comparison.analyses, alignment, framing))

    @on(Gone)
    def _gone(self, message: Gone) -> None:
        articles_gone(self, message.missing, len(set(self.article_ids)))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        self.articles = message.articles
        self.analyses = message.analyses
        self.alignment = message.alignment
        self.framing = message.framing
        await self._render_groups()
        self._summary_rendered = False  # built when first shown (s): the groups come first

    # -- groups --------------------------------------------------------------------
    def outlet_of(self, article_id: str) -> str:
        return next((a.outlet for a in self.articles if a.id == article_id), article_id)

    def number_of(self, article_id: str) -> int:
        return next((i for i, a in enumerate(self.articles, 1) if a.id == article_id), 0)

    def visible_groups(self) -> list[AlignedGroup]:
        if self.alignment is None:
            return []
        groups = list(self.alignment.groups)
        if self.hide_shared:
            # Shared by all outlets (an outlet's several articles are one outlet).
            outlets = {a.id: outlet_key(a) for a in self.articles}
            every = len(set(outlets.values()))
            groups = [
                g for g in groups if len({outlets.get(m.article_id) for m in g.members}) < every
            ]
        return groups

    def group_content(self, group: AlignedGroup, number: int, total: int) -> Content:
        members = sorted(group.members, key=lambda m: self.number_of(m.article_id))
        base_id = self.articles[self.baseline].id
        base = next((m for m in members if m.article_id == base_id), None)
        names = list(
            dict.fromkeys(self.articles[self.number_of(m.article_id) - 1].outlet for m in members)
        )
        head = Content(
            f"group {number}/{total} · {count(len(names), 'outlet')}: {', '.join(names)}"
        ).stylize("bold")
        if group.loose:
            head = Content.assemble(head, Content(" · ≈ matched loosely").stylize("italic"))
        lines = [head]
        if base is None and not self.pairwise:
            lines.append(
                Content(
                    f"(not in the baseline {self.articles[self.baseline].outlet}; "
                    "compared with the first version)"
                ).stylize("dim")
            )
        reference = base or members[0]
        previous = None
        for member in members:
            badge = outlet_badge(self.number_of(member.article_id))
            if self.pairwise:
                body = (
                    Content(member.text)
                    if previous is None
                    else diff_content(previous.text, member.text)
                )
                previous = member
            elif member is reference:
                body = (
                    Content(member.text).stylize("bold")
                    if base is not None
                    else Content(member.text)
                )
            else:
                body = diff_content(reference.text, member.text)
            lines.append(Content.assemble(badge, " ", body))
        return Content("\n").join(lines)

    async def _render_groups(self) -> None:
        container = self.query_one("#groups", VerticalScroll)
        await container.remove_children()
        groups = self.visible_groups()
        total = len(groups)
        widgets = [
            GroupView(self.group_content(g, i, total), markup=False)
            for i, g in enumerate(groups, 1)
        ]
        if not widgets:
            widgets = [GroupView(Content("no claims shared by two or more outlets"), markup=False)]
        await container.mount_all(widgets)
        self.current = min(self.current, max(0, total - 1))
        self._highlight_current()
        self._status()

    def _highlight_current(self) -> None:
        views = list(self.query(GroupView))
        for i, view in enumerate(views):
            view.set_class(i == self.current, "-current")
        if views and not self.show_summary:
            self.query_one("#groups", VerticalScroll).scroll_to_widget(
                views[self.current], animate=False, top=True
            )

    def _status(self) -> None:
        if self.alignment is None:
            return
        groups = self.visible_groups()
        mode = (
            "pairwise"
            if self.pairwise
            else f"baseline {self.baseline + 1} {self.articles[self.baseline].outlet}"
        )
        parts = [
            count(len(groups), "group") + (" (shared by all hidden)" if self.hide_shared else ""),
            mode,
            f"{count(len(self.alignment.unique), 'sentence')} only one outlet has",
        ]
        badges = Content(" ").join(
            Content.assemble(outlet_badge(i), f" {a.outlet}")
            for i, a in enumerate(self.articles, 1)
        )
        self.query_one("#diff-status", Static).update(
            Content.assemble(Content(" · ".join(parts)), "\n", badges)
        )

    # -- summary -------------------------------------------------------------------
    def column_content(self, outlet: OutletFraming, number: int) -> Content:
        assert self.framing is not None
        bold = lambda s: Content(s).stylize("bold $accent")  # noqa: E731
        lines: list[Content] = [
            Content.assemble(outlet_badge(number), " ", Content(outlet.label).stylize("bold")),
            Content(outlet.headline).stylize("italic"),
            Content(""),
            bold("Lede"),
            Content(outlet.lede),
            Content(""),
            bold("Only here"),
        ]
        lines += [Content(f"• {m.text}") for m in outlet.unique[:5]] or [Content("—")]
        if outlet.maybe_unique:
            # Unsure: shown with the evidence, the closest sentence of another outlet.
            lines += [Content(""), bold("Perhaps only here (closest elsewhere)")]
            for m, closest in outlet.maybe_unique[:3]:
                lines.append(Content(f"• {m.text}"))
                lines.append(Content(f"  ≈ {self.outlet_of(closest.article_id)}: {closest.text}"))
        lines += [Content(""), bold("Left out (most others carry)")]
        lines += [Content(f"• {g.members[0].text}") for g in outlet.left_out[:5]] or [Content("—")]
        if outlet.maybe_left_out:
            lines += [Content(""), bold("Perhaps left out (closest here)")]
            for g, closest in outlet.maybe_left_out[:3]:
                lines.append(Content(f"• {g.members[0].text}"))
                lines.append(Content(f"  ≈ {closest.text}"))
        lines += [Content(""), bold("Quotes")]
        lines += [
            Content(f"• {s.speaker}: {count(s.quotes, 'quote')}, {count(s.words, 'word')}")
            for s in outlet.speakers
        ] or [Content("—")]
        numbers = [
            (n.what, v)
            for n in self.framing.numbers
            for v in n.values
            if v.article_id == outlet.article_id
        ]
        lines += [Content(""), bold("Numbers that disagree")]
        lines += [Content(f"• {what}: {v.text}") for what, v in numbers] or [Content("—")]
        names = [
            (c.entity, form)
            for c in self.framing.naming
            for form, ids in c.variants.items()
            if outlet.article_id in ids
        ]
        lines += [Content(""), bold("Naming")]
        lines += [Content(f"• {entity}: {form}") for entity, form in names] or [Content("—")]
        return Content("\n").join(lines)

    async def _render_summary(self) -> None:
        if self.framing is None:
            return
        summary = self.query_one("#summary", Horizontal)
        await summary.remove_children()
        columns = []
        for outlet in self.framing.outlets:
            column = OutletColumn()
            columns.append(
                (
                    column,
                    Static(
                        self.column_content(outlet, self.number_of(outlet.article_id)), markup=False
                    ),
                )
            )
        await summary.mount_all([c for c, _ in columns])
        for column, body in columns:
            await column.mount(body)
        self._page_columns()

    def _page_columns(self) -> None:
        columns = list(self.query(OutletColumn))
        per = max(2, self.size.width // 38)
        self.page_start = max(0, min(self.page_start, len(columns) - per))
        for i, column in enumerate(columns):
            column.display = self.page_start <= i < self.page_start + per

    # -- actions -------------------------------------------------------------------
    def action_scroll_column(self, step: int) -> None:
        focused = self.focused
        if isinstance(focused, OutletColumn):
            focused.scroll_relative(y=step * 3, animate=False)

    def action_move(self, step: int) -> None:
        total = len(self.visible_groups())
        if total:
            self.current = max(0, min(self.current + step, total - 1))
            self._highlight_current()

    async def action_baseline(self, step: int) -> None:
        if not self.articles:
            return
        self.pairwise = False
        self.baseline = (self.baseline + step) % len(self.articles)
        await self._render_groups()

    async def action_pairwise(self) -> None:
        self.pairwise = not self.pairwise
        await self._render_groups()

    async def action_hide_shared(self) -> None:
        self.hide_shared = not self.hide_shared
        self.current = 0
        await self._render_groups()

    async def action_summary(self) -> None:
        if self.framing is not None and not self._summary_rendered:
            self._summary_rendered = True
            await self._render_summary()
        self.show_summary = not self.show_summary
        self.refresh_bindings()
        self.query_one("#summary").display = self.show_summary
        self.query_one("#groups").display = not self.show_summary
        if self.show_summary:
            self._page_columns()
            columns = [c for c in self.query(OutletColumn) if c.display]
            if columns:
                columns[0].focus()
        else:
            self._highlight_current()

    def action_page(self, step: int) -> None:
        if self.show_summary:
            per = max(2, self.size.width // 38)
            self.page_start += step * per
            self._page_columns()

    def action_jump(self) -> None:
        """Show the current group's sentences in the compare panes."""
        groups = self.visible_groups()
        if not groups:
            return
        group = groups[self.current]
        marks = []
        for m in group.members:
            sentence = self.analyses[m.article_id].sentences[m.sentence_index]
            marks.append((m.article_id, sentence.start, sentence.end))
        self.post_message(OpenComparison(list(self.article_ids), marks, back_to_open=True))

    def action_facts(self) -> None:
        self.post_message(OpenFacts(list(self.article_ids)))

    def action_back(self) -> None:
        self.app.pop_screen()
