"""``parallax import`` and ``parallax export``: articles in from files, comparisons out.

Owns: their arguments and what they say per file. Must not: read or parse files
(``reader.ingest.files``, through ``Library.import_files``) or build the JSON and
Markdown (``reader.export``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.cli.base import CommandError, open_library, open_store, write_output

if TYPE_CHECKING:
    from reader.library import FileImport


def add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import .txt and .html files into the library")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--outlet",
        help="outlet name for the imported files (default: the page's, or the file name)",
    )
    p.add_argument(
        "--date", metavar="YYYY-MM-DD", help="publication date (default: the page's, or none)"
    )


def add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the comparison data (JSON or Markdown)")
    p.add_argument("--format", choices=["json", "md"], default="json")
    p.add_argument("--story", metavar="ID", help="only this story (default: the whole library)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


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

    results = open_library(args).import_files(
        args.paths, outlet=args.outlet, published=published, each=say
    )
    return 1 if any(r.error is not None for r in results) else 0


def cmd_export(args: argparse.Namespace) -> int:
    from reader.export import ExportError, export_json, export_markdown

    store = open_store(args)
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
