"""``parallax prune``: keeping the library small.

Owns: its arguments and what it says (how many went, or would go). Must not:
decide what may be deleted (``reader.store``'s ``PRUNABLE``) or hold the retention
setting's default itself (``config.toml``'s ``keep_read_days``, through the library).
"""

from __future__ import annotations

import argparse

from reader.cli.base import CommandError, load_settings, open_library


def add_prune(sub: argparse._SubParsersAction) -> None:
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
    count = open_library(args, seed=False).prune(days, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {count} feed articles read more than {days} days ago "
        "(saved articles, saved comparisons, seeds and imported files are kept)"
    )
    return 0
