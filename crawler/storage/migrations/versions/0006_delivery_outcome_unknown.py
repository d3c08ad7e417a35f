"""Deliveries remember when a send's outcome was unknown, so it is resent at most once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 11:00:00

``outcome_unknown`` is set when a send failed after the request went out (a timeout waiting for
the answer) or its process died mid-send: the service may have the message. The one resend says
it may repeat an earlier message; a second unknown outcome gives up. Written against
crawler.storage.models.Delivery; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "deliveries",
        sa.Column("outcome_unknown", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("outcome_unknown")
