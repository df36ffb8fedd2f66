"""``parallax stories``: the stories with their ids (what ``export --story ID`` takes).

Owns: its arguments and the stories table. Must not: group articles itself
(``reader.analysis.stories``) or write SQL (``reader.store``).
"""

from __future__ import annotations

import argparse

from reader.cli.base import CommandError, open_store, print_table
from reader.wording import count


def add_stories(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stories", help="print the stories (id, articles, outlets, dates, title), newest first"
    )
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N stories (100)")


def cmd_stories(args: argparse.Namespace) -> int:
    """The stories with their ids (what ``export --story ID`` takes), newest first."""
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    store = open_store(args)
    stories, summaries = store.recent_stories(args.limit)
    by_id = {a.id: a for a in summaries}
    rows = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        outlets = list(dict.fromkeys(a.outlet for a in members))
        dates = sorted(a.published_iso for a in members if a.published_iso)
        span = f"{dates[0]}..{dates[-1]}" if dates and dates[0] != dates[-1] else "".join(dates[:1])
        rows.append([story.id, str(len(members)), ", ".join(outlets), span, story.title])
    title = count(len(stories), "story") + (" (the newest)" if len(stories) == args.limit else "")
    print_table(["ID", "Articles", "Outlets", "Dates", "Title"], rows, title=title)
    return 0
