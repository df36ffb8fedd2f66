"""The ``parallax feeds …`` and ``parallax fetch`` subcommands.

Owns: their arguments, output (a Rich table and progress on a terminal, TSV and
plain lines in a pipe) and exit codes; ``reader.cli`` calls ``register`` and the
``cmd_*`` handlers. Must not: hold logic of its own (``fetch`` is one call to
``Library.refresh``):
HTTP, parsing and dedupe live in ``reader.ingest`` (``http``, ``feeds``, ``opml``),
SQL in ``reader.store``, grouping in ``reader.analysis``.

Exit codes: 0 success; 1 a runtime problem (an unknown feed, an unreadable OPML
file, or any feed that failed to refresh: ``fetch`` exits 0 only when every feed
was refreshed, unchanged, or skipped because its server asked us to wait); 2 a
usage error (argparse); 130 a ``fetch`` interrupted with Ctrl-C (what was stored
stays).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from reader.cli.base import (
    CommandError,
    Parser,
    console,
    open_library,
    open_store,
    print_table,
    write_output,
)
from reader.wording import count


def register(sub: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")

    feeds = sub.add_parser(
        "feeds", help="manage RSS/Atom subscriptions (add, list, remove, import, export)"
    )
    actions = feeds.add_subparsers(
        dest="feeds_command",
        metavar="ACTION",
        parser_class=lambda **kw: Parser(parents=[common], **kw),
    )
    p = actions.add_parser("add", help="subscribe to a feed")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", help="outlet name for its articles (default: the feed's own title)")
    p.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="a tag (repeat for more)"
    )
    actions.add_parser("list", help="the subscriptions and how their last refresh went")
    p = actions.add_parser("tag", help="add tags to a feed (filter with tag:NAME)")
    p.add_argument("feed", metavar="ID|URL|NAME")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = actions.add_parser("untag", help="remove tags from a feed")
    p.add_argument("feed", metavar="ID|URL|NAME")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = actions.add_parser("rename", help="give a feed (and its articles' outlet) a new name")
    p.add_argument("feed", metavar="ID|URL|NAME")
    p.add_argument("name", metavar="NEW_NAME")
    p = actions.add_parser("remove", help="unsubscribe (the feed's articles stay in the library)")
    p.add_argument("feed", metavar="ID|URL|NAME")
    p = actions.add_parser("import", help="subscribe to the feeds in an OPML file")
    p.add_argument("file", metavar="FILE.opml")
    p = actions.add_parser("export", help="write the subscriptions as OPML")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    p = sub.add_parser("fetch", help="refresh every feed: download new items and store them")
    p.add_argument(
        "--no-pages",
        action="store_true",
        help="keep to the feeds' own text (do not download article pages)",
    )
    p.add_argument(
        "--no-analyse",
        "--no-analyze",  # the spelling of earlier versions, still accepted
        dest="no_analyse",
        action="store_true",
        help="store new articles now; their analysis and story grouping wait for the app",
    )


def _usage(args: argparse.Namespace) -> int:
    print(
        "parallax: feeds needs an action: add, list, tag, untag, remove, import or export "
        "(see parallax feeds --help)",
        file=sys.stderr,
    )
    return 2


def cmd_feeds(args: argparse.Namespace) -> int:
    action = getattr(args, "feeds_command", None)
    handler = {
        "add": feeds_add,
        "list": feeds_list,
        "tag": feeds_tag,
        "untag": feeds_untag,
        "remove": feeds_remove,
        "rename": feeds_rename,
        "import": feeds_import,
        "export": feeds_export,
    }.get(action or "", _usage)
    return handler(args)


def feeds_add(args: argparse.Namespace) -> int:
    from reader.ingest.http import FetchError, check_url

    try:
        url = check_url(args.url)
    except FetchError as exc:
        raise CommandError(str(exc)) from None
    store = open_store(args, seed=False)
    feed, created = store.add_feed(url, args.name or "")
    added = store.tag_feed(feed.id, args.tag) if args.tag else []
    tagged = f"; tags: {', '.join(added)}" if added else ""
    if not created:
        print(f"already subscribed: {feed.id} {feed.name} ({feed.url}){tagged}")
        return 0
    print(
        f"added feed {feed.id}: {feed.name} ({feed.url}){tagged}; "
        "run `parallax fetch` to download it"
    )
    return 0


def _feed(store, key: str):  # type: ignore[no-untyped-def]
    feed = store.get_feed(key)
    if feed is None:
        raise CommandError(f"no feed matches '{key}' (see parallax feeds list)")
    return feed


def feeds_tag(args: argparse.Namespace) -> int:
    return _change_tags(args, add=True)


def feeds_untag(args: argparse.Namespace) -> int:
    return _change_tags(args, add=False)


def _change_tags(args: argparse.Namespace, add: bool) -> int:
    """Add or remove a feed's tags; says what changed and the tags now. Removing tags
    the feed does not have is an error (exit status 1); adding ones it has is not."""
    store = open_store(args, seed=False)
    feed = _feed(store, args.feed)
    changed = (store.tag_feed if add else store.untag_feed)(feed.id, args.tags)
    now = store.get_feed(feed.id).tags  # type: ignore[union-attr]
    if changed:
        what = f"{'added' if add else 'removed'} {', '.join(changed)}"
    else:
        what = "no new tags" if add else "had none of those tags"
    print(f"{feed.name}: {what}; tags: {', '.join(now) or '(none)'}")
    return 0 if changed or add else 1


def feeds_list(args: argparse.Namespace) -> int:
    from reader.ingest.feeds.report import rate_limited_until

    feeds = open_store(args, seed=False).feeds()
    if not feeds and console().is_terminal:
        print("No feeds yet: add one with `parallax feeds add URL`.")
        return 0
    # The tags column only when some feed has tags, last: the TSV columns scripts
    # read stay where they were.
    tagged = any(f.tags for f in feeds)
    print_table(
        ["ID", "Name", "URL", "Status", "Error", "Articles", *(["Tags"] if tagged else [])],
        [
            [
                str(f.id),
                f.name,
                f.url,
                rate_limited_until(f) or f.last_status or "never fetched",
                f.last_error or "",
                str(f.article_count),
                *([",".join(f.tags)] if tagged else []),
            ]
            for f in feeds
        ],
        title=count(len(feeds), "feed"),
    )
    return 0


def feeds_remove(args: argparse.Namespace) -> int:
    store = open_store(args, seed=False)
    feed = _feed(store, args.feed)
    store.remove_feed(feed.id)
    print(
        f"removed feed {feed.id}: {feed.name} ({feed.url}); "
        f"its {count(feed.article_count, 'article')} stay in the library"
    )
    return 0


def feeds_rename(args: argparse.Namespace) -> int:
    from reader.store import StoreError

    store = open_store(args, seed=False)
    feed = _feed(store, args.feed)
    try:
        store.rename_feed(feed.id, args.name)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    renamed = store.get_feed(feed.id)
    print(f"renamed feed {feed.id}: {feed.name} -> {renamed.name if renamed else args.name}")
    return 0


def feeds_import(args: argparse.Namespace) -> int:
    from reader.ingest.opml import OpmlError, read_opml_file
    from reader.sanitize import drawable

    path = Path(args.file)
    try:
        entries = read_opml_file(path)
    except OpmlError as exc:
        raise CommandError(str(exc)) from None
    report = open_library(args, seed=False).subscribe_opml(entries)
    for reason in report.rejected:
        print(f"parallax: skipped: {reason}", file=sys.stderr)
    print(drawable(report.line(path.name)))  # a file name: the draw-time guard
    return 1 if report.nothing_usable else 0


def feeds_export(args: argparse.Namespace) -> int:
    from reader.ingest.opml import export_opml

    store = open_store(args, seed=False)
    write_output(export_opml(store.feeds()), args.output)
    return 0


def _status_word(status: str) -> str:
    words = {"ok": "ok", "unchanged": "unchanged", "error": "failed", "rate-limited": "waiting"}
    return words.get(status, status)


def cmd_fetch(args: argparse.Namespace) -> int:
    from reader.ingest.feeds.report import FeedProgress
    from reader.library import RefreshInterrupted

    library = open_library(args)
    feeds = library.store.feeds()
    if not feeds:
        print("no feeds yet: add one with `parallax feeds add URL`", file=sys.stderr)
        return 0
    term = console()
    refresh = partial(library.refresh, pages=not args.no_pages, analyse=not args.no_analyse)

    try:
        if term.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
            from rich.text import Text

            with Progress(
                # The description names a feed: text from outside, never markup.
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                console=term,
                transient=True,
            ) as bar:
                task = bar.add_task("Refreshing feeds", total=len(feeds))

                def on_progress(p: FeedProgress) -> None:
                    if p.stage == "done" and p.result is not None:
                        bar.advance(task)
                        style = "red" if p.result.status == "error" else ""
                        bar.console.print(
                            Text(f"{_status_word(p.result.status):9} {p.result.line}", style=style)
                        )
                    elif p.stage == "pages" and p.total:
                        bar.update(task, description=f"Pages for {p.name}: {p.done}/{p.total}")

                outcome = refresh(progress=on_progress)
        else:

            def on_progress(p: FeedProgress) -> None:
                if p.stage == "done" and p.result is not None:
                    print(f"{_status_word(p.result.status)}\t{p.result.line}", flush=True)

            outcome = refresh(progress=on_progress)
    except RefreshInterrupted:
        print("parallax: fetch interrupted; the feeds finished so far are stored", file=sys.stderr)
        return 130

    report = outcome.report
    if outcome.pruned:
        keep = outcome.keep_read_days
        pruned = count(outcome.pruned, "feed article")
        print(f"pruned {pruned} read more than {count(keep, 'day')} ago")
    failed = len(report.errors)
    print(report.summary(), flush=True)
    if report.all_failed:
        print("parallax: every feed failed to refresh; the library is unchanged", file=sys.stderr)
    return 1 if failed else 0
