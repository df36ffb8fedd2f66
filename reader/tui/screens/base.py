"""The base of Parallax's screens: typed access to the app's store.

``self.app`` is typed as a plain ``App``; every screen that reads or writes the
library does it through ``self.store`` here, so the type checker knows what it is
(no ``type: ignore`` per use) and a screen can be mounted on any app that has a
``store`` (the tests' apps included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from reader.store import Store

ResultType = TypeVar("ResultType")


class ParallaxScreen(Screen[ResultType]):
    """A full screen of Parallax."""

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined, no-any-return]
