"""Channel identity is the full target: the delivery history recorded under the old keys is
kept and marked ``legacy:OLDKEY``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:00:00

Before 0005 a channel's key was Apprise's url_id(), which ignores Telegram chat ids and email
recipients: two recipients of one mail server shared one history, and the second got nothing.
The new key hashes the whole target (alerts.identity). Which configured channels an old key
stood for is known only from the configuration, which a migration does not read, so the rows
are marked here and handed over by the digest (crawler.storage.history.adopt_history) to the
channels of the one configured entry they came from; an old key shared by several entries is
not guessed at. Never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "legacy:"
TABLES = ("deliveries", "delivery_articles")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            sa.text(f"UPDATE {table} SET channel = :prefix || channel WHERE channel NOT LIKE 'legacy:%'")
            .bindparams(prefix=PREFIX)
        )


def downgrade() -> None:
    # Rows of the new keys stay as they are: the old code does not know them.
    for table in TABLES:
        op.execute(
            sa.text(f"UPDATE {table} SET channel = substr(channel, :start) WHERE channel LIKE 'legacy:%'")
            .bindparams(start=len(PREFIX) + 1)
        )
