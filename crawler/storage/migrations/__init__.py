"""Alembic migration scripts of the store stage, applied by crawler.storage.upgrade()."""
