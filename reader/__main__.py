"""``python -m reader`` does what the ``parallax`` command does."""

from reader.cli import main

# The guard matters: analysis child processes are spawned, and a spawned child
# imports the parent's main module (as ``__mp_main__``) before it does its work.
if __name__ == "__main__":
    raise SystemExit(main())
