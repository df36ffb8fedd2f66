"""The Textual interface: the app, its screens and widgets, themes and palette commands.

Reads through ``store`` and ``analysis``; never writes SQL itself. Article text is
shown only as ``Content`` objects with spans added here, never parsed as markup.
"""
