"""What the API itself stores: the first answer to each `Idempotency-Key` of a create."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from expertnet.db import DefaultNow, IntPK, owned_by
from expertnet.extensions import db


class IdempotentCreate(db.Model):
    """A create sent with an `Idempotency-Key`: the body's fingerprint and the answer given, replayed on a
    repeat of the same key by the same user (unique per user, operation and key)."""

    __tablename__ = "api_idempotent_create"
    __table_args__ = (sa.UniqueConstraint("user_id", "operation", "key"),)

    id: Mapped[IntPK]
    user_id: Mapped[int] = owned_by("user_account.id")
    operation: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(100))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of the canonical JSON body
    status_code: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[DefaultNow]
