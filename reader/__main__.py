"""``python -m reader`` does what the ``parallax`` command does."""

from reader.cli import main

raise SystemExit(main())
