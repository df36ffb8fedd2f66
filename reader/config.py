"""Where Parallax keeps its files, and the user's settings.

Owns: the paths (platformdirs, overridable by ``--db`` and ``PARALLAX_DB``), the
location of the bundled seeds and themes, and the TOML settings file. Must not:
open the database or import anything heavy.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "parallax"


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_config_dir() -> Path:
    override = os.environ.get("PARALLAX_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` wins, then ``$PARALLAX_DB``, then the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("PARALLAX_DB")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "parallax.db"


def _bundled(name: str) -> Path:
    """A data folder shipped with the package.

    In a wheel, ``seeds/`` and ``themes/`` are force-included as ``reader/seeds``
    and ``reader/themes``; in a source checkout (editable install, tests) they sit
    at the repository's top level, beside ``reader/``.
    """
    from importlib.resources import files

    packaged = Path(str(files("reader"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def themes_dir() -> Path:
    return _bundled("themes")


@dataclass(slots=True)
class Settings:
    """The user's settings file (``config.toml`` in the user config dir).

    ``keep_read_days``: how long read articles from feeds are kept after being read;
    0 (the default) keeps everything forever: nothing is ever deleted silently. When
    it is above 0, a feed refresh (``parallax fetch`` and the app's) prunes afterwards;
    saved articles, articles in a saved comparison, seeds and imported files are never
    pruned (``Store.prune``).
    """

    theme: str = "parallax-dark"
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for App.set_keymap
    keep_read_days: int = 0

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or user_config_dir() / "config.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            return cls()
        theme = data.get("theme")
        keys = data.get("keys")
        keep = data.get("keep_read_days")
        return cls(
            theme=theme if isinstance(theme, str) else cls.theme,
            keys={str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {},
            keep_read_days=keep if type(keep) is int and keep > 0 else 0,
        )

    def save(self, path: Path | None = None) -> None:
        path = path or user_config_dir() / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"theme = {_toml_str(self.theme)}"]
        if self.keep_read_days > 0:
            lines.append(f"keep_read_days = {int(self.keep_read_days)}")
        if self.keys:
            lines.append("\n[keys]")
            lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(self.keys.items())]
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)


def _toml_str(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
