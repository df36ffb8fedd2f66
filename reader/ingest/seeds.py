"""The bundled seed articles: read ``seeds/*.txt`` with ``seeds/seeds.toml`` into the store.

Owns: the first-start import, which is idempotent (keyed by the seed file name, and
skipped entirely once the current seed set has been imported). Must not: modify the
seed files, which are kept exactly as published.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from pathlib import Path

from reader.config import seeds_dir
from reader.models import NewArticle
from reader.sanitize import clean_text, derive_title
from reader.store import Store

_META_KEY = "seeds_imported"


def seed_articles(folder: Path | None = None) -> list[NewArticle]:
    """The seed articles as ``NewArticle``s, in file order."""
    folder = folder or seeds_dir()
    meta = tomllib.loads((folder / "seeds.toml").read_text(encoding="utf-8"))
    out = []
    for entry in meta["seed"]:
        raw = (folder / entry["file"]).read_text(encoding="utf-8")
        text = clean_text(raw)
        published = entry.get("published")
        out.append(
            NewArticle(
                outlet=entry["outlet"],
                title=entry.get("title") or derive_title(text),
                text=text,
                published=published if isinstance(published, date) else None,
                origin=entry["file"],
                language=entry.get("language", "en"),
            )
        )
    return out


def _fingerprint(folder: Path) -> str:
    """Names and sizes of the seed files: enough to notice a changed seed set, no reads."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in {".txt", ".toml"}:
            digest.update(f"{path.name}:{path.stat().st_size};".encode())
    return digest.hexdigest()[:16]


def import_seeds(store: Store, folder: Path | None = None) -> int:
    """Import the seeds unless this seed set is already in; returns how many were new.

    The check is one ``meta`` lookup and a directory listing, so a warm start
    reads no seed file.
    """
    if store.read_only:  # listing a read-only library adds nothing to it
        return 0
    folder = folder or seeds_dir()
    marker = store.get_meta(_META_KEY)
    if marker is not None and marker == _fingerprint(folder):
        return 0
    results = store.add_articles((a, f"seed:{a.origin}") for a in seed_articles(folder))
    store.set_meta(_META_KEY, _fingerprint(folder))
    return sum(1 for _, created in results if created)
