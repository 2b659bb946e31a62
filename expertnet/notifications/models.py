"""The outbox: every message is written here in the action's transaction and delivered after commit."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from expertnet.db import DefaultNow, FreeText, IntPK, enum_column, owned_by
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


class Notification(db.Model):
    """One in-app notification: the twin of an e-mail sent to a user, made by `notify` with it.

    It holds no case text: `kind` names the event (the mail template), `facts` only what the mail's subject
    shows (the request's reference, an expert's name, a status), and `endpoint`/`link_args` the page it opens,
    which checks the reader's access again when opened.
    """
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[IntPK]
    user_id: Mapped[int] = owned_by("user_account.id")
    kind: Mapped[str] = mapped_column(sa.String(64))
    facts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    endpoint: Mapped[str] = mapped_column(sa.String(100))
    link_args: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[DefaultNow]
    read_at: Mapped[datetime | None]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
