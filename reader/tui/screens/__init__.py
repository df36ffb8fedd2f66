"""Screens are places: library, reader, compare, timeline, diff, feeds, help."""
