"""Remembered state: what the app remembers between runs (the last theme chosen).

Owns: ``state.json`` in the user state dir (platformdirs, ``PARALLAX_STATE_DIR``).
Must not: touch the user's ``config.toml``, which is theirs to edit and is never
rewritten (issue 17: a ctrl+t used to replace it, comments, ``[keys]`` and all).

A theme remembered here is used only while the config file's ``theme`` is what it
was when the choice was made: editing ``theme`` in config.toml wins over a choice
made before the edit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from reader.config import user_state_dir


@dataclass(slots=True)
class State:
    theme: str | None = None
    config_theme: str | None = None  # config.toml's theme when ``theme`` was chosen

    @staticmethod
    def path() -> Path:
        return user_state_dir() / "state.json"

    @classmethod
    def load(cls, path: Path | None = None) -> State:
        """The remembered state; an unreadable or foreign file counts as none."""
        try:
            data = json.loads((path or cls.path()).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        theme, config_theme = data.get("theme"), data.get("config_theme")
        return cls(
            theme if isinstance(theme, str) else None,
            config_theme if isinstance(config_theme, str) else None,
        )

    def theme_for(self, config_theme: str) -> str:
        """The theme to start with, given config.toml's ``theme``."""
        if self.theme and self.config_theme == config_theme:
            return self.theme
        return config_theme

    def save(self, path: Path | None = None) -> None:
        """Write atomically (a temporary file renamed over the old one)."""
        path = path or self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"theme": self.theme, "config_theme": self.config_theme}) + "\n",
            encoding="utf-8",
        )
        tmp.replace(path)
