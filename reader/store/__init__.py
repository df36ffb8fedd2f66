"""Storage: SQLite schema, migrations and queries. The only package that talks SQL."""

from reader.store.db import Store, StoreError, article_id, content_hash

__all__ = ["Store", "StoreError", "article_id", "content_hash"]
