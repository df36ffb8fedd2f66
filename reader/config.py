"""Where Parallax keeps its files, and the user's settings.

Owns: the paths (platformdirs, overridable by ``--db`` and ``PARALLAX_DB``,
``PARALLAX_CONFIG_DIR``, ``PARALLAX_STATE_DIR``), the location of the bundled seeds
and themes, and reading the TOML settings file. Must not: open the database, import
anything heavy, or write the user's settings file (remembered state is
``reader.state``).
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


def user_state_dir() -> Path:
    """Where remembered state lives (``reader.state``): never the config dir."""
    override = os.environ.get("PARALLAX_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


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


KNOWN_SETTINGS = frozenset({"theme", "keys", "keep_read_days"})


@dataclass(slots=True)
class Settings:
    """The user's settings file (``config.toml`` in the user config dir).

    ``keep_read_days``: how long read articles from feeds are kept after being read;
    0 (the default) keeps everything forever: nothing is ever deleted silently. When
    it is above 0, a feed refresh (``parallax fetch`` and the app's) prunes afterwards;
    saved articles, articles in a saved comparison, seeds and imported files are never
    pruned (``Store.prune``).

    The file is the user's: Parallax reads it and never writes it (the theme chosen
    with ctrl+t is remembered in ``reader.state``). A file that is not valid TOML is
    reported with its line and the defaults are used for this run; a setting of the
    wrong type is reported by name and its default used. ``problems`` holds those
    one-line reports.
    """

    theme: str = "parallax-dark"
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for App.set_keymap
    keep_read_days: int = 0
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or user_config_dir() / "config.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            return cls(problems=[f"cannot read {path}: {exc.strerror}; using the defaults"])
        except UnicodeDecodeError:
            return cls(problems=[f"{path} is not UTF-8 text; using the defaults for this run"])
        except tomllib.TOMLDecodeError as exc:
            return cls(
                problems=[f"{path}: {exc}; using the defaults for this run (the file is unchanged)"]
            )
        out = cls()
        for unknown in sorted(set(data) - KNOWN_SETTINGS):
            out.problems.append(f"{path.name}: unknown setting {unknown!r} (ignored)")
        theme = data.get("theme", out.theme)
        if isinstance(theme, str):
            out.theme = theme
        else:
            out.problems.append(_wrong(path, "theme", "a theme name in quotes", theme))
        keep = data.get("keep_read_days", 0)
        if type(keep) is int and keep >= 0:
            out.keep_read_days = keep
        else:
            out.problems.append(
                _wrong(path, "keep_read_days", "a whole number of days (0 keeps everything)", keep)
                + "; nothing is pruned this run"
            )
        keys = data.get("keys", {})
        if not isinstance(keys, dict):
            out.problems.append(_wrong(path, "keys", "a [keys] table", keys))
            keys = {}
        for binding, value in keys.items():
            if isinstance(value, str) and value.strip():
                out.keys[str(binding)] = value
            else:
                out.problems.append(
                    _wrong(path, f"keys.{binding}", 'keys in quotes, like "ctrl+s"', value)
                )
        return out


def _wrong(path: Path, name: str, wanted: str, value: object) -> str:
    kind = {dict: "a table", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
    shown = f" ({value!r})" if isinstance(value, (str, int, float)) else ""
    return f"{path.name}: {name} must be {wanted}, not {kind}{shown}; using the default"
