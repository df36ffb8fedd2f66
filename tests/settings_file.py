"""Writing a settings file for a test (Parallax itself never writes the user's file)."""

from __future__ import annotations

import json
from pathlib import Path

from reader.config import Settings, user_config_dir


def write_settings(settings: Settings, path: Path | None = None) -> Path:
    """``settings`` as the user would write ``config.toml`` (default: the user config dir)."""
    path = path or user_config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"theme = {json.dumps(settings.theme)}"]
    if settings.keep_read_days > 0:
        lines.append(f"keep_read_days = {int(settings.keep_read_days)}")
    if settings.keys:
        lines.append("\n[keys]")
        lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(settings.keys.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
