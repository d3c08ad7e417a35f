"""Human judgements of stored articles (store stage, feedback loop): `jajak label` writes them,
`jajak train` learns from them and `jajak eval --judgements` reports precision per source.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crawler.storage.models import Article, Base, utcnow

STAGES = ("exploring", "negotiating", "signed", "renewed")


class Judgement(Base):
    """One person's verdict on one stored article: partnership talks (label) and their stage."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(Text)
    label: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped[Article] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"Judgement(id={self.id!r}, url={self.url!r}, label={self.label!r})"


def add_judgement(session: Session, url: str, label: bool, stage: str | None = None) -> Judgement:
    """Record (or replace) the judgement of the stored article at url (canonical or fetched)."""
    if stage is not None and (stage not in STAGES or not label):
        raise ValueError(f"stage {stage!r}: give one of {', '.join(STAGES)}, and only with --yes")
    article = session.scalars(
        select(Article).where(or_(Article.url == url, Article.fetched_url == url)).limit(1)
    ).first()
    if article is None:
        raise LookupError(f"{url}: no stored article with this URL (crawl it first)")
    row = session.scalars(select(Judgement).where(Judgement.article_id == article.id)).first()
    if row is None:
        row = Judgement(article_id=article.id, url=article.url, source=article.source.name)
        session.add(row)
    row.label, row.stage, row.created_at = label, stage, utcnow()
    session.flush()
    return row


def judgements_for_training(session: Session) -> list[dict[str, Any]]:
    """Judged articles as corpus records (title, text, label, stage; no parties or sectors)."""
    rows = session.scalars(select(Judgement).order_by(Judgement.id))
    return [
        {
            "id": f"judgement-{j.id}",
            "title": j.article.title,
            "text": j.article.text,
            "label": j.label,
            "stage": j.stage if j.label else None,
            "parties": [],
            "sectors": [],
            "kind": "judgement",
            "source": j.source,
        }
        for j in rows
    ]


@dataclass(frozen=True)
class SourcePrecision:
    """Judgements of one source: flagged = the classifier matched; right = a person agreed."""

    source: str
    judged: int
    flagged: int
    right: int
    missed: int  # judged yes but not flagged

    @property
    def precision(self) -> float | None:
        return self.right / self.flagged if self.flagged else None


def precision_by_source(session: Session, only: str | None = None) -> list[SourcePrecision]:
    """Precision of the stored matches per source (or of the one named ``only``), from the
    judgements made so far."""
    stats: dict[str, list[int]] = {}
    stmt = select(Judgement).order_by(Judgement.source)
    if only is not None:
        stmt = stmt.where(Judgement.source == only)  # its index
    for j in session.scalars(stmt):
        s = stats.setdefault(j.source, [0, 0, 0, 0])
        s[0] += 1
        if j.article.match:
            s[1] += 1
            s[2] += j.label
        elif j.label:
            s[3] += 1
    return [SourcePrecision(name, *counts) for name, counts in sorted(stats.items())]
