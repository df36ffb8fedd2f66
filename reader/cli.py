"""The ``parallax`` command line: parses arguments, calls the layers below, prints.

Owns: argument parsing, one-line error messages and exit codes, Rich output that
degrades to plain text in a pipe. Must not: hold logic of its own; every command is
a few calls into ``ingest``, ``store``, ``analysis`` and ``export``.

Exit codes: 0 success, 1 a runtime problem (unreadable database, failed import),
2 a usage error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from reader import __version__
from reader.wording import count

if TYPE_CHECKING:
    from reader.library import FileImport, Library
    from reader.models import ArticleSummary


class CommandError(Exception):
    """A problem the user can act on: printed as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        self.exit(2, f"parallax: {message} (see parallax --help)\n")


def _version_text() -> str:
    from reader.analysis.nlp import model_info

    info = model_info()
    model = f"{info[0]} {info[1]}" if info else "no spaCy model installed"
    return f"parallax {__version__} (spaCy model: {model})"


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the subcommand (`parallax --db X list`,
    # `parallax list --db X`); SUPPRESS keeps a subcommand from resetting it.
    def db_option(p: argparse.ArgumentParser, default: object) -> None:
        p.add_argument(
            "--db",
            metavar="PATH",
            default=default,
            help="database file (default: $PARALLAX_DB or the user data dir)",
        )

    parser = _Parser(
        prog="parallax",
        description=(
            "A terminal news reader that puts several outlets' coverage of one event side by side."
        ),
    )
    db_option(parser, None)
    parser.add_argument(
        "--version", action="store_true", help="print the version and the spaCy model in use"
    )
    parser.add_argument(
        "--theme", metavar="NAME", help="colour theme for the TUI (see `parallax themes`)"
    )

    def sub_parser(**kw: object) -> _Parser:
        p = _Parser(**kw)  # type: ignore[arg-type]
        db_option(p, argparse.SUPPRESS)
        return p

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=sub_parser)

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

    p = sub.add_parser(
        "stories", help="print the stories (id, articles, outlets, dates, title), newest first"
    )
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N stories (100)")

    p = sub.add_parser(
        "prune", help="delete feed articles read long ago (never saved ones or seeds)"
    )
    p.add_argument(
        "--days",
        type=int,
        metavar="N",
        help="read more than N days ago (default: keep_read_days in config.toml)",
    )
    p.add_argument("--dry-run", action="store_true", help="only say how many would go")

    p = sub.add_parser("import", help="import .txt and .html files into the library")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--outlet",
        help="outlet name for the imported files (default: the page's, or the file name)",
    )
    p.add_argument(
        "--date", metavar="YYYY-MM-DD", help="publication date (default: the page's, or none)"
    )

    p = sub.add_parser("export", help="write the comparison data (JSON or Markdown)")
    p.add_argument("--format", choices=["json", "md"], default="json")
    p.add_argument("--story", metavar="ID", help="only this story (default: the whole library)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    sub.add_parser("themes", help="list the available themes")

    p = sub.add_parser("remove", help="delete articles from the library (ids from `list`)")
    p.add_argument("ids", nargs="+", metavar="ID")

    from reader import cli_feeds

    cli_feeds.register(sub)
    return parser


def _open_store(args: argparse.Namespace, seed: bool = True):  # type: ignore[no-untyped-def]
    from reader.config import database_path
    from reader.ingest.seeds import import_seeds
    from reader.sanitize import drawable
    from reader.store import Store

    store = Store(database_path(args.db))
    if store.read_only_note:
        print(f"parallax: {drawable(store.read_only_note)}", file=sys.stderr)
    if seed:
        import_seeds(store)
    return store


def _library(args: argparse.Namespace, seed: bool = True) -> Library:
    """The library service over the store at ``--db``; settings read when first needed."""
    from reader.library import Library

    return Library(_open_store(args, seed=seed), load_settings=load_settings)


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> None:
    """A Rich table on a terminal; tab-separated lines with a header row in a pipe.

    Cells are Rich ``Text`` (never markup): they hold titles, names and URLs from outside.
    """
    from reader.sanitize import drawable

    rows = [[drawable(cell) for cell in row] for row in rows]  # the draw-time guard
    console = _console()
    if not console.is_terminal:
        sys.stdout.write("\t".join(h.lower() for h in headers) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(*headers, title=title, expand=False)
    for row in rows:
        table.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in row))
    console.print(table)


def write_output(text: str, path: str | None) -> None:
    """Write a command's result to ``path``, or to stdout without one."""
    if path:
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
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


def cmd_stories(args: argparse.Namespace) -> int:
    """The stories with their ids (what ``export --story ID`` takes), newest first."""
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    store = _open_store(args)
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


def _state(article: ArticleSummary) -> str:
    """The read state column: "unread" or "read", then ",saved" for a saved article."""
    return ("read" if article.read else "unread") + (",saved" if article.saved else "")


def load_settings():  # type: ignore[no-untyped-def]
    """The user's settings; each problem with the file is one line on stderr."""
    from reader.config import Settings
    from reader.sanitize import drawable

    settings = Settings.load()
    for problem in settings.problems:
        print(f"parallax: {drawable(problem)}", file=sys.stderr)
    return settings


def cmd_prune(args: argparse.Namespace) -> int:
    days = args.days if args.days is not None else load_settings().keep_read_days
    if args.days is not None and args.days < 1:
        raise CommandError("--days must be at least 1")
    if days < 1:
        print(
            "retention is off (keep_read_days = 0 in config.toml: keep everything); "
            "nothing pruned; use --days N to prune once"
        )
        return 0
    count = _library(args, seed=False).prune(days, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {count} feed articles read more than {days} days ago "
        "(saved articles, saved comparisons, seeds and imported files are kept)"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from reader.sanitize import drawable

    published = None
    if args.date:
        from datetime import date

        try:
            published = date.fromisoformat(args.date)
        except ValueError:
            raise CommandError(f"--date {args.date!r}: expected YYYY-MM-DD") from None

    def say(done: FileImport) -> None:
        if done.article is None:  # names the file: through the draw-time guard
            print(f"parallax: {drawable(done.error or '')}", file=sys.stderr)
            return
        article = done.article
        status = "imported" if done.created else "already in the library"
        when = article.published_iso or "undated"
        print(drawable(f"{status}: {article.id} {article.outlet} · {when} — {article.title}"))
        if done.created and not args.outlet and article.outlet == done.path.stem:
            print("  (outlet from the file name: set it with --outlet)")

    results = _library(args).import_files(
        args.paths, outlet=args.outlet, published=published, each=say
    )
    return 1 if any(r.error is not None for r in results) else 0


def cmd_remove(args: argparse.Namespace) -> int:
    from reader.sanitize import drawable

    gone = {a.id: a for a in _library(args, seed=False).remove(args.ids)}
    for aid in dict.fromkeys(args.ids):
        if aid in gone:
            print(drawable(f"removed: {aid} {gone[aid].outlet} — {gone[aid].title}"))
        else:
            print(f"parallax: no article {drawable(aid)!r} in the library", file=sys.stderr)
    return 0 if len(gone) == len(set(args.ids)) else 1


def cmd_export(args: argparse.Namespace) -> int:
    from reader.export import ExportError, export_json, export_markdown

    store = _open_store(args)
    try:
        text = (
            export_json(store, args.story)
            if args.format == "json"
            else export_markdown(store, args.story)
        )
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    write_output(text, args.output)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from reader.sanitize import drawable
    from reader.tui.themes import available_themes

    for name, source in available_themes():
        print(drawable(f"{name}\t{source}"))  # a user theme's file name
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from reader.config import database_path
    from reader.ingest.seeds import import_seeds
    from reader.store import Store

    store = Store(database_path(args.db))
    if import_seeds(store):
        # A first start: the analysis child imports spaCy and loads the model on the
        # second core while Textual is imported and the seeds are listed (the model
        # load is most of the time to the first highlights). Later backlogs start it
        # from the app, which checks for unanalysed articles in a worker.
        from reader.analysis import nlp

        nlp.start_child()
    from reader.tui.app import make_app

    app = make_app(store=store, theme=args.theme)
    app.run()
    return app.return_code or 0


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_tui,
    "list": cmd_list,
    "stories": cmd_stories,
    "import": cmd_import,
    "export": cmd_export,
    "themes": cmd_themes,
    "prune": cmd_prune,
    "remove": cmd_remove,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv or "-V" in argv:
        print(_version_text())
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    from reader import cli_feeds

    handler = {**COMMANDS, "feeds": cli_feeds.cmd_feeds, "fetch": cli_feeds.cmd_fetch}[args.command]
    from reader.store import StoreError

    try:
        return handler(args)
    except (CommandError, StoreError) as exc:
        from reader.sanitize import drawable

        print(f"parallax: {drawable(str(exc))}", file=sys.stderr)  # may name a file
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Reading the output with `head` is fine; silence Python's own complaint.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
