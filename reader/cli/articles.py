"""``parallax list`` and ``parallax remove``: the library's articles.

Owns: their arguments, the articles table (outlet, date, title, id, state) and the
``--filter`` language's errors as one line. Must not: write SQL or parse the filter
itself (``reader.store``, ``reader.store.filters``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.cli.base import CommandError, open_library, open_store, print_table
from reader.wording import count

if TYPE_CHECKING:
    from reader.models import ArticleSummary


def add_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="print the library as a table (outlet, date, title, id)")
    p.add_argument(
        "--filter",
        metavar="FILTER",
        help='only matching articles, newest first, e.g. "outlet:bbc unread embassy" '
        "(outlet: tag: feed: since: until: unread read saved, words)",
    )
    p.add_argument(
        "--limit", type=int, default=200, metavar="N", help="with --filter: at most N (200)"
    )


def add_remove(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("remove", help="delete articles from the library (ids from `list`)")
    p.add_argument("ids", nargs="+", metavar="ID")


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    if getattr(args, "filter", None) is None:
        articles = store.list_articles()
        title = count(len(articles), "article")
    else:
        from reader.store.filters import FilterError

        if not 1 <= args.limit <= 1_000_000:
            raise CommandError("--limit must be a whole number from 1 to 1000000")
        try:
            articles, more = store.filter_articles(args.filter, limit=args.limit)
        except FilterError as exc:
            raise CommandError(str(exc)) from None
        title = f"{count(len(articles), 'article')} match “{args.filter}”"
        if more:
            title += f" (the newest {len(articles)}; more match)"
            print(
                f"parallax: showing the newest {len(articles)} matches; more match "
                "(narrow the filter or raise --limit)",
                file=sys.stderr,
            )
    print_table(
        ["Outlet", "Date", "Title", "ID", "State"],
        [[a.outlet, a.published_iso or "", a.title, a.id, _state(a)] for a in articles],
        title=title,
    )
    return 0


def _state(article: ArticleSummary) -> str:
    """The read state column: "unread" or "read", then ",saved" for a saved article."""
    return ("read" if article.read else "unread") + (",saved" if article.saved else "")


def cmd_remove(args: argparse.Namespace) -> int:
    from reader.sanitize import drawable

    gone = {a.id: a for a in open_library(args, seed=False).remove(args.ids)}
    for aid in dict.fromkeys(args.ids):
        if aid in gone:
            print(drawable(f"removed: {aid} {gone[aid].outlet} — {gone[aid].title}"))
        else:
            print(f"parallax: no article {drawable(aid)!r} in the library", file=sys.stderr)
    return 0 if len(gone) == len(set(args.ids)) else 1
