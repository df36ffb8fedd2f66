"""Placeholder: the feeds subcommands are being written."""
