"""The fact table: who reports what, one column per outlet and one row per fact.

Owns: ``build_fact_table`` (arranging a story's aligned claims, disputed quantities and
named facts, quotes by speaker and naming choices into rows with one cell per outlet),
``coverage_gaps`` (which followed outlets did not publish on the story), and the
table's renderings ``facts_export`` (the export's ``facts`` section) and
``facts_markdown``. Must not: import spaCy or Textual, or find facts of its own: every
row comes from what ``alignment`` and ``framing`` already established (their evidence
rules are the ones that decide what is true; this module only arranges it per
outlet), so the table can never say more than the diff view and the report say.

Columns are outlets, not articles: several articles of one outlet in a story are
versions of that outlet and fill one column (a cell takes the first of them that
carries the fact, in the story's order).

Rows, in this order:

- **claim**: an aligned group (sentences of different outlets that report one claim),
  labelled with the content words its sentences share; groups carried by more outlets
  first, then by where they stand in the articles. An outlet whose sentence only echoes
  a member (``Alignment.echoes``: the same claim in looser words, the same quantity or
  quoted words) shows that sentence, marked uncertain. "—" in a cell means this outlet's
  text has no sentence aligned with it: the legend says "not found", not "omitted",
  because alignment can miss a paraphrase. Then each outlet's ``ONLY_HERE`` most
  informative claims that no other outlet carries (framing's ``unique``), one cell each.
- **quantity** / **date** / **fact**: first the values the outlets state differently
  about one thing (framing's disagreements: marked as differing), then every quantity
  two or more outlets state (by what it counts: "troops", "USD", "%"), each outlet's
  values side by side; these are not claimed to differ (values of one unit can count
  different things), only shown.
- **quote**: one row per speaker (as the outlets attribute the words), what each
  outlet quotes of them; quotes with no speaker the analysis is sure of form no row.
- **naming**: an entity the outlets spell or name differently (Kiev/Kyiv).

A cell is *uncertain* when the evidence behind it is weak (a claim group the alignment
matched loosely, ``AlignedGroup.loose``: a low score, or members that share a subject
but not what is said of it): the screen and the report mark it "≈" instead of
presenting it as fact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from reader.analysis.alignment import AlignedGroup, Alignment
from reader.analysis.framing import Framing
from reader.analysis.vocabulary import ENGLISH_STOP_WORDS
from reader.models import Article

LABEL_WORDS = 7
ONLY_HERE = 3
STATED_MAX = 3
"""How many values of one quantity a cell lists before "+N more"."""
"""How many of each outlet's own claims (most informative first) the table lists."""
COVERAGE_DAYS = 1
"""An outlet "covered" nothing of a story when it published nothing in the library on
the story's days, this many days either side included."""

KINDS = ("claim", "quantity", "date", "fact", "quote", "naming")

_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)+|[\w’'-]+")  # "U.S.", "3.5": one word each


@dataclass(frozen=True, slots=True)
class FactCell:
    """What one outlet says for one row."""

    text: str  # the outlet's own wording (a sentence, a quote, a value as written)
    value: str | None  # the comparable value (a number, a spelling), when the row has one
    article_id: str
    sentence_index: int | None  # where the evidence stands, for "show me"
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class FactRow:
    kind: str  # one of KINDS
    label: str
    cells: Mapping[str, FactCell]  # outlet -> cell; an outlet without a cell: "—"
    differs: bool  # the outlets do not all say the same (a value differs, or one is silent)


@dataclass(frozen=True, slots=True)
class FactTable:
    outlets: tuple[str, ...]  # column order: the story's order of first appearance
    articles_of: Mapping[str, tuple[str, ...]]  # outlet -> its article ids in the story
    rows: tuple[FactRow, ...]

    def differing(self) -> tuple[FactRow, ...]:
        return tuple(r for r in self.rows if r.differs)


# --- building ---------------------------------------------------------------------------


def build_fact_table(
    articles: Sequence[Article], alignment: Alignment, framing: Framing
) -> FactTable:
    """The fact table of one story (``alignment`` and ``framing`` of the same articles)."""
    outlet_of = {a.id: a.outlet for a in articles}
    order: dict[str, list[str]] = {}
    for a in articles:
        order.setdefault(a.outlet, []).append(a.id)
    outlets = tuple(order)
    rank = {aid: i for i, aid in enumerate(a.id for a in articles)}
    rows: list[FactRow] = []
    rows += _claim_rows(alignment, outlet_of, outlets, rank)
    rows += _only_here_rows(framing, outlet_of)
    rows += _value_rows(framing, alignment, outlet_of, rank)
    rows += _quote_rows(framing, outlet_of, outlets, rank)
    rows += _naming_rows(framing, outlet_of, order)
    return FactTable(outlets, {o: tuple(ids) for o, ids in order.items()}, tuple(rows))


def _claim_rows(
    alignment: Alignment,
    outlet_of: Mapping[str, str],
    outlets: Sequence[str],
    rank: Mapping[str, int],
) -> list[FactRow]:
    made: list[tuple[tuple[int, int, int], FactRow]] = []
    echoes: dict[tuple[str, int], list[Any]] = {}
    for a, b in alignment.echoes:
        echoes.setdefault((a.article_id, a.sentence_index), []).append(b)
        echoes.setdefault((b.article_id, b.sentence_index), []).append(a)
    for group in alignment.groups:
        cells: dict[str, FactCell] = {}
        for m in sorted(group.members, key=lambda m: rank.get(m.article_id, 0)):
            outlet = outlet_of.get(m.article_id)
            if outlet is None or outlet in cells:
                continue
            cells[outlet] = FactCell(m.text, None, m.article_id, m.sentence_index, group.loose)
        if len(cells) < 2:
            continue  # one outlet's versions agreeing with each other is no shared claim
        # An outlet with no sentence in the group may still carry the claim in looser
        # words (an echo of a member): its sentence is shown, marked uncertain, rather
        # than a "—" that would claim a difference the evidence does not support.
        for m in group.members:
            for e in echoes.get((m.article_id, m.sentence_index), ()):
                outlet = outlet_of.get(e.article_id)
                if outlet is not None and outlet not in cells:
                    cells[outlet] = FactCell(e.text, None, e.article_id, e.sentence_index, True)
        position = min(m.sentence_index for m in group.members)
        key = (-len(cells), position, len(made))
        row = FactRow("claim", claim_label(group), cells, len(cells) < len(outlets))
        made.append((key, row))
    return [row for _, row in sorted(made, key=lambda kr: kr[0])]


def _only_here_rows(framing: Framing, outlet_of: Mapping[str, str]) -> list[FactRow]:
    """Each outlet's most informative claims that no other outlet carries (framing's
    ``unique``, which makes that check), ``ONLY_HERE`` per outlet, one cell each."""
    rows: list[FactRow] = []
    seen: set[str] = set()
    for outlet_framing in framing.outlets:
        outlet = outlet_of.get(outlet_framing.article_id)
        if outlet is None or outlet in seen:
            continue  # an outlet's second article: its first one's claims are listed
        seen.add(outlet)
        for m in outlet_framing.unique[:ONLY_HERE]:
            words = [w for w in _WORD.findall(m.text) if w.lower() not in ENGLISH_STOP_WORDS]
            label = " ".join(words[:LABEL_WORDS])
            cell = FactCell(m.text, None, m.article_id, m.sentence_index)
            rows.append(FactRow("claim", f"only {outlet}: {label}", {outlet: cell}, True))
    return rows


def claim_label(group: AlignedGroup) -> str:
    """The content words the group's sentences share, in the order of its shortest one."""
    member_words = [
        [w for w in _WORD.findall(m.text) if w.lower() not in ENGLISH_STOP_WORDS]
        for m in group.members
    ]
    shortest = min(member_words, key=len)
    counts: dict[str, int] = {}
    for words in member_words:
        for w in {w.lower() for w in words}:
            counts[w] = counts.get(w, 0) + 1
    shared = [w for w in dict.fromkeys(shortest) if counts.get(w.lower(), 0) >= 2]
    chosen = shared[:LABEL_WORDS] or shortest[:LABEL_WORDS]
    return " ".join(chosen)


def _value_rows(
    framing: Framing, alignment: Alignment, outlet_of: Mapping[str, str], rank: Mapping[str, int]
) -> list[FactRow]:
    """Disagreements first (numbers, dates, named facts the outlets state differently,
    as framing found them), then the quantities several outlets state, side by side."""
    rows: list[FactRow] = []
    flagged: set[str] = set()
    for d in framing.disagreements:
        cells: dict[str, FactCell] = {}
        for side in sorted(d.values, key=lambda v: rank.get(v.article_id, 0)):
            outlet = outlet_of.get(side.article_id)
            if outlet is None:
                continue
            if outlet in cells:  # an outlet's versions: every value it states, once each
                old = cells[outlet]
                if side.value not in old.text.split(" / "):
                    cells[outlet] = FactCell(
                        f"{old.text} / {side.value}", None, old.article_id, old.sentence_index
                    )
                continue
            value = f"{side.number:g}" if side.number is not None else side.value
            cells[outlet] = FactCell(side.value, value, side.article_id, side.sentence_index)
        kind = "quantity" if d.kind == "number" else d.kind
        rows.append(FactRow(kind if kind in KINDS else "fact", d.about, cells, True))
        if d.kind == "number":
            flagged.add(d.about)
    rows += _stated_quantities(alignment, outlet_of, rank, flagged)
    return rows


_BOUND_WORDS = {"more": "more than ", "less": "less than ", "about": "about "}


def _stated_quantities(
    alignment: Alignment,
    outlet_of: Mapping[str, str],
    rank: Mapping[str, int],
    flagged: set[str],
) -> list[FactRow]:
    """What each outlet states of a quantity that two or more outlets state ("troops",
    "USD", "%"), from the sentences that take part in the comparison (no boilerplate).

    These rows never claim a difference: values of one unit can be counts of different
    things or moments, and only ``disagreements`` decides that two values conflict (its
    rows come first, marked). A row here is marked only when its unit is one of them.
    """
    from reader.analysis.amounts import quantities

    # Every sentence that takes part in the comparison: grouped, echoed or an outlet's own.
    members = [m for g in alignment.groups for m in g.members] + list(alignment.unique)
    members += [m for pair in alignment.echoes for m in pair]
    members = list({(m.article_id, m.sentence_index): m for m in members}.values())
    members.sort(key=lambda m: (rank.get(m.article_id, 0), m.sentence_index))
    by_unit: dict[str, dict[str, list[tuple[str, Any]]]] = {}
    for m in members:
        outlet = outlet_of.get(m.article_id)
        if outlet is None:
            continue
        for q in quantities(m.text):
            if q.unit in ("fraction", "duration", "age"):
                continue  # say nothing without their subject; disagreements handles ages
            written = _BOUND_WORDS.get(q.bound, "") + q.text
            stated = by_unit.setdefault(q.unit, {}).setdefault(outlet, [])
            if all(w != written for w, _ in stated):
                stated.append((written, m))
    rows = []
    for unit, per_outlet in by_unit.items():
        if len(per_outlet) < 2:
            continue
        cells = {}
        for outlet, stated in per_outlet.items():
            shown = " / ".join(w for w, _ in stated[:STATED_MAX])
            if len(stated) > STATED_MAX:
                shown += f" (+{len(stated) - STATED_MAX} more)"
            first = stated[0][1]
            cells[outlet] = FactCell(shown, None, first.article_id, first.sentence_index)
        rows.append(FactRow("quantity", unit, cells, unit in flagged))
    rows.sort(key=lambda r: -len(r.cells))
    return rows


def _quote_rows(
    framing: Framing,
    outlet_of: Mapping[str, str],
    outlets: Sequence[str],
    rank: Mapping[str, int],
) -> list[FactRow]:
    by_speaker: dict[str, dict[str, list[Any]]] = {}
    names: dict[str, str] = {}
    for q in sorted(framing.quotes, key=lambda q: (rank.get(q.article_id, 0), q.sentence_index)):
        if not q.speaker:
            continue
        key = q.entity_id or q.speaker
        names.setdefault(key, q.speaker)
        outlet = outlet_of.get(q.article_id)
        if outlet is not None:
            by_speaker.setdefault(key, {}).setdefault(outlet, []).append(q)
    made = []
    for key, per_outlet in by_speaker.items():
        cells = {}
        for outlet, quotes in per_outlet.items():
            first = quotes[0]
            more = f" (+{len(quotes) - 1} more)" if len(quotes) > 1 else ""
            cells[outlet] = FactCell(
                f"“{first.text}”{more}", None, first.article_id, first.sentence_index
            )
        made.append(
            (
                (-len(cells), names[key]),
                FactRow("quote", names[key], cells, len(cells) < len(outlets)),
            )
        )
    return [row for _, row in sorted(made, key=lambda kr: kr[0])]


def _naming_rows(
    framing: Framing, outlet_of: Mapping[str, str], order: Mapping[str, list[str]]
) -> list[FactRow]:
    rows = []
    for choice in framing.naming:
        cells = {}
        for outlet, ids in order.items():
            used = [form for form, aids in choice.variants.items() if any(i in aids for i in ids)]
            if used:
                article_id = next(i for i in ids if any(i in a for a in choice.variants.values()))
                cells[outlet] = FactCell(
                    " / ".join(used), " / ".join(sorted(used)), article_id, None
                )
        values = {c.value for c in cells.values()}
        rows.append(FactRow("naming", choice.entity, cells, len(values) > 1))
    return rows


# --- coverage ---------------------------------------------------------------------------


def coverage_gaps(
    story_articles: Sequence[Article],
    library_outlets: Sequence[str],
    followed: Sequence[str],
) -> list[str]:
    """Outlets the reader follows that published nothing on this story.

    ``library_outlets``: the outlets with articles in the library on the story's days
    (see ``story_days``); ``followed``: the names of the reader's feeds. Both count as
    outlets the reader follows; those of them not in the story are the gaps, in name order.
    """
    covered = {a.outlet.casefold() for a in story_articles}
    gaps: dict[str, str] = {}
    for name in [*library_outlets, *followed]:
        if name and name.casefold() not in covered:
            gaps.setdefault(name.casefold(), name)
    return sorted(gaps.values(), key=str.casefold)


def story_days(story_articles: Sequence[Article]) -> tuple[date, date] | None:
    """The first and last day of the story, widened by ``COVERAGE_DAYS``; None if undated."""
    days = [a.published for a in story_articles if a.published is not None]
    if not days:
        return None
    pad = timedelta(days=COVERAGE_DAYS)
    return min(days) - pad, max(days) + pad


# --- renderings -------------------------------------------------------------------------


def facts_export(table: FactTable) -> list[dict[str, Any]]:
    """The export's ``facts`` section: [{"kind", "label", "differs", "cells": {outlet: …}}]."""
    return [
        {
            "kind": row.kind,
            "label": row.label,
            "differs": row.differs,
            "cells": {
                outlet: {
                    "text": cell.text,
                    "value": cell.value,
                    "article_id": cell.article_id,
                    "uncertain": cell.uncertain,
                }
                for outlet, cell in row.cells.items()
            },
        }
        for row in table.rows
    ]


def facts_markdown(table: FactTable, gaps: Sequence[str] = (), width: int = 80) -> str:
    """The table as Markdown: escaped cells, cut to ``width`` characters each; "" when
    there is nothing to compare (no rows, or a single outlet)."""
    if not table.rows or len(table.outlets) < 2:
        return ""
    head = ["what", *table.outlets]
    lines = ["| " + " | ".join(md_cell(h, width) for h in head) + " |"]
    lines.append("|" + " --- |" * len(head))
    for row in table.rows:
        cells = [md_cell(f"{row.kind}: {row.label}", width)]
        for outlet in table.outlets:
            cell = row.cells.get(outlet)
            if cell is None:
                cells.append("—")
            else:
                cells.append(("≈ " if cell.uncertain else "") + md_cell(cell.text, width))
        lines.append("| " + " | ".join(cells) + " |")
    out = ["### Who reports what", ""]
    if gaps:
        out += ["Not covered by: " + md_cell(", ".join(gaps), 400), ""]
    out += lines
    out += ["", "— : not found in this outlet's text · ≈ : matched loosely, not certain", ""]
    return "\n".join(out)


def md_cell(text: str, width: int) -> str:
    """Untrusted text as one Markdown table cell: one line, cut to ``width``, escaped
    (``sanitize.markdown_inline``) and with its pipes escaped for the table."""
    from reader.sanitize import markdown_inline

    one = " ".join(text.split())
    if len(one) > width:
        one = one[: width - 1].rstrip() + "…"
    return markdown_inline(one)
