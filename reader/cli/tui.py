"""``parallax`` with no command (the app) and ``parallax themes``.

Owns: opening the store before Textual is imported, starting the analysis child on
a first start, and listing the themes. Must not: build the app itself
(``reader.tui.app.make_app`` does).
"""

from __future__ import annotations

import argparse


def add_themes(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("themes", help="list the available themes")


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
