"""The ``parallax`` command line: parses arguments, calls the layers below, prints.

Owns: the parser (built from the command modules, in the order ``--help`` lists
them), dispatching to a command, and turning errors into one line and an exit code.
The commands live one group to a module: ``articles`` (list, remove), ``stories``,
``import_export`` (import, export), ``maintenance`` (prune), ``feeds`` (feeds …,
fetch) and ``tui`` (the app, themes), on ``base`` (parser, output, errors, opening
the store). Must not: hold logic of its own: every command is a few calls into
``reader.library``, ``ingest``, ``store``, ``analysis`` and ``export``.

Exit codes: 0 success, 1 a runtime problem (unreadable database, failed import),
2 a usage error, 130 interrupted (Ctrl-C). Errors are one line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from reader import __version__
from reader.cli import articles, feeds, import_export, maintenance, stories, tui
from reader.cli.base import CommandError, Parser, db_option

__all__ = ["CommandError", "build_parser", "main"]

COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: tui.cmd_tui,
    "list": articles.cmd_list,
    "stories": stories.cmd_stories,
    "import": import_export.cmd_import,
    "export": import_export.cmd_export,
    "themes": tui.cmd_themes,
    "prune": maintenance.cmd_prune,
    "remove": articles.cmd_remove,
    "feeds": feeds.cmd_feeds,
    "fetch": feeds.cmd_fetch,
}


def _version_text() -> str:
    from reader.analysis.nlp import model_info

    info = model_info()
    model = f"{info[0]} {info[1]}" if info else "no spaCy model installed"
    return f"parallax {__version__} (spaCy model: {model})"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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

    def sub_parser(**kw: object) -> Parser:
        p = Parser(**kw)  # type: ignore[arg-type]
        db_option(p, argparse.SUPPRESS)
        return p

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=sub_parser)  # type: ignore[call-overload]
    # The order of `parallax --help`.
    articles.add_list(sub)
    stories.add_stories(sub)
    maintenance.add_prune(sub)
    import_export.add_import(sub)
    import_export.add_export(sub)
    tui.add_themes(sub)
    articles.add_remove(sub)
    feeds.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv or "-V" in argv:
        print(_version_text())
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command]
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
