"""What every ``parallax`` command shares: the parser, errors, output and the store.

Owns: ``Parser`` (usage errors as one line, exit status 2), ``CommandError`` (a
problem the user can act on: one line, exit status 1), Rich output that degrades to
tab-separated lines in a pipe (``print_table``, ``write_output``, ``console``),
reading the settings (``load_settings``: their problems as lines on stderr) and
opening the store and the library service at ``--db`` (``open_store``,
``open_library``). Must not: import a command module (they import this one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from rich.console import Console

    from reader.config import Settings
    from reader.library import Library
    from reader.store import Store


class CommandError(Exception):
    """A problem the user can act on: printed as one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        self.exit(2, f"parallax: {message} (see parallax --help)\n")


def db_option(parser: argparse.ArgumentParser, default: object) -> None:
    """``--db``, accepted before or after the subcommand (``parallax --db X list``,
    ``parallax list --db X``); a subcommand's default is SUPPRESS, so that it does
    not reset the one given before it."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="database file (default: $PARALLAX_DB or the user data dir)",
    )


def open_store(args: argparse.Namespace, seed: bool = True) -> Store:
    """The store at ``--db`` (a read-only one says so on stderr); the seeds imported
    on a first start unless ``seed`` is False."""
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


def open_library(args: argparse.Namespace, seed: bool = True) -> Library:
    """The library service over the store at ``--db``; settings read when first needed."""
    from reader.library import Library

    return Library(open_store(args, seed=seed), load_settings=load_settings)


def load_settings() -> Settings:
    """The user's settings; each problem with the file is one line on stderr."""
    from reader.config import Settings
    from reader.sanitize import drawable

    settings = Settings.load()
    for problem in settings.problems:
        print(f"parallax: {drawable(problem)}", file=sys.stderr)
    return settings


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> None:
    """A Rich table on a terminal; tab-separated lines with a header row in a pipe.

    Cells are Rich ``Text`` (never markup): they hold titles, names and URLs from outside.
    """
    from reader.sanitize import drawable

    rows = [[drawable(cell) for cell in row] for row in rows]  # the draw-time guard
    out = console()
    if not out.is_terminal:
        sys.stdout.write("\t".join(h.lower() for h in headers) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(*headers, title=Text(drawable(title)), expand=False)  # it may quote a filter
    for row in rows:
        table.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in row))
    out.print(table)


def write_output(text: str, path: str | None) -> None:
    """Write a command's result to ``path``, or to stdout without one."""
    if path:
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
