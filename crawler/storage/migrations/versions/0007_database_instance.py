"""Every database carries a random instance id, so a daemon notices when its database is deleted
or replaced under it (crawler.storage.identity).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 14:00:00

Written against crawler.storage.identity; never imports app code.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    meta = op.create_table(
        "jajak_meta",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_jajak_meta")),
    )
    op.bulk_insert(meta, [{"name": "instance", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("jajak_meta")
