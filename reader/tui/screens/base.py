"""The base of Parallax's screens: typed access to the app's store.

``self.app`` is typed as a plain ``App``; every screen reads and writes the library
through ``self.store`` and asks the app for app-wide work (the feed refresh) through
``self.parallax``, both typed here, so there is no ``type: ignore`` per use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from reader.store import Store
    from reader.tui.app import ParallaxApp

ResultType = TypeVar("ResultType")


class ParallaxScreen(Screen[ResultType]):
    """A full screen of Parallax."""

    @property
    def parallax(self) -> ParallaxApp:
        """The app, typed: its store, library service and the feed refresh."""
        return cast("ParallaxApp", self.app)

    @property
    def store(self) -> Store:
        return self.parallax.store
