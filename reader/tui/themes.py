"""Themes as data: ``themes/*.toml`` shipped with Parallax, plus the user's own.

Owns: reading theme files into ``textual.theme.Theme`` objects, with defaults for
every Parallax variable, and listing what is available. A bad user theme file is
skipped with a one-line reason (shown as a notification), never a crash. User
themes live in ``<user config dir>/themes/*.toml`` and may override a bundled one
by using its name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.theme import Theme

from reader.config import themes_dir, user_config_dir
from reader.sanitize import clean_line

DEFAULT_THEME = "parallax-dark"
MONOCHROME_THEME = "monochrome"

# Every variable a Parallax widget uses, with a fallback so a partial user theme works.
VARIABLE_DEFAULTS: dict[str, str] = {
    "entity-person": "#ffaf87",
    "entity-org": "#87afff",
    "entity-place": "#87d7af",
    "entity-norp": "#d7afd7",
    **{
        f"entity-{i}": c
        for i, c in enumerate(
            [
                "#ff8787",
                "#87d7ff",
                "#d7d75f",
                "#afafff",
                "#5fd7af",
                "#ffafd7",
                "#ffd787",
                "#87ffd7",
            ],
            1,
        )
    },
    "entity-selected": "reverse",
    "diff-insert": "#87d787",
    "diff-delete": "#ff8787 strike",
    "diff-change": "#ffd75f",
    "mark": "reverse",
    **{
        f"outlet-{i}": c
        for i, c in enumerate(["#ff8787", "#87d7ff", "#d7d75f", "#afafff", "#5fd7af"], 1)
    },
}
ENTITY_PALETTE_SIZE = 8
OUTLET_PALETTE_SIZE = 5

_COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)


@dataclass(frozen=True, slots=True)
class LoadedThemes:
    themes: dict[str, Theme]
    sources: dict[str, str]  # theme name -> "bundled" or the user file's path
    problems: list[str]  # one line per unreadable file


def theme_from_toml(path: Path) -> Theme:
    """One theme file; raises ``ValueError`` with a one-line reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path.name}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: not valid TOML ({exc})") from None
    name = data.get("name") or path.stem
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{path.name}: 'name' must be a string")
    if not isinstance(data.get("primary"), str):
        raise ValueError(f"{path.name}: 'primary' colour is required")
    variables = dict(VARIABLE_DEFAULTS)
    extra = data.get("variables", {})
    if not isinstance(extra, dict):
        raise ValueError(f"{path.name}: [variables] must be a table")
    variables.update({str(k): str(v) for k, v in extra.items()})
    kwargs = {k: data[k] for k in _COLOUR_KEYS if isinstance(data.get(k), str)}
    theme = Theme(
        name=clean_line(name, 60), dark=bool(data.get("dark", True)), variables=variables, **kwargs
    )
    _validate(theme, path)
    return theme


def _validate(theme: Theme, path: Path) -> None:
    """Check colours and variable styles parse, so a bad file fails here, not mid-render."""
    from textual.color import Color, ColorParseError
    from textual.markup import parse_style

    for key in _COLOUR_KEYS:
        value = getattr(theme, key, None)
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ValueError(f"{path.name}: {key} = {value!r} is not a colour") from None
    for key, value in theme.variables.items():
        try:
            parse_style(value, {})
        except Exception:
            raise ValueError(f"{path.name}: variable {key} = {value!r} is not a style") from None


def load_themes() -> LoadedThemes:
    """Bundled themes, then the user's (which may replace a bundled one by name)."""
    themes: dict[str, Theme] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    user_dir = user_config_dir() / "themes"
    for folder, source in ((themes_dir(), "bundled"), (user_dir, "user")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_toml(path)
            except ValueError as exc:
                problems.append(f"theme skipped: {exc}")
                continue
            themes[theme.name] = theme
            sources[theme.name] = source if source == "bundled" else str(path)
    return LoadedThemes(themes, sources, problems)


def available_themes() -> list[tuple[str, str]]:
    loaded = load_themes()
    return sorted(loaded.sources.items())
