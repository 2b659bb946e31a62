"""The outbox: every message is written here in the action's transaction and delivered after commit."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from expertnet.db import DefaultNow, FreeText, IntPK, enum_column
from expertnet.extensions import db


class OutboxStatus(str, enum.Enum):
    QUEUED = "queued"  # waiting for its first attempt, or for a retry after a failed one
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[IntPK]
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[FreeText]
    kind: Mapped[str] = mapped_column(sa.String(64), default="")
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[FreeText]
    created_at: Mapped[DefaultNow]
    sent_at: Mapped[datetime | None]
    # The earliest time the next attempt may start (exponential back-off after a failure).
    next_attempt_at: Mapped[DefaultNow]
    # A delivery worker's claim: other workers leave the row alone until the lease runs out, so a worker
    # killed mid-send only delays the message; the token makes sure only the claimant records the result.
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None]

    @property
    def is_retrying(self) -> bool:
        return self.status == OutboxStatus.QUEUED and self.attempts > 0
