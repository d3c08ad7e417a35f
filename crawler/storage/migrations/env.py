"""Alembic environment for jajak's store: runs on the connection crawler.storage.upgrade() passes.

Without one (e.g. `command.revision(alembic_config(url), autogenerate=True)`), it opens `url`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from crawler.storage import health as _health  # noqa: F401 - registers source_health
from crawler.storage import judgements as _judgements  # noqa: F401 - registers judgements
from crawler.storage.database import make_engine
from crawler.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can't ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
