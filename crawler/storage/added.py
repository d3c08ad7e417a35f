"""Sources added beside the sources file (table added_sources): list, add, enable/disable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from crawler.storage.models import AddedSource

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def added_sources(session: Session) -> list[AddedSource]:
    """Every added source, oldest first."""
    return list(session.scalars(select(AddedSource).order_by(AddedSource.added_at, AddedSource.id)))


def added_source(session: Session, name: str) -> AddedSource | None:
    return session.scalars(select(AddedSource).where(AddedSource.name == name)).first()


def insert_added_source(session: Session, name: str, url: str, origin: str,
                        options: dict[str, Any] | None = None) -> AddedSource:
    """Store a new source; the caller has checked the name is free (a race hits the unique key)."""
    row = AddedSource(name=name, url=url, origin=origin, options=dict(options or {}), enabled=True)
    session.add(row)
    session.flush()
    return row
