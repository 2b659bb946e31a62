"""Webhook endpoints and their deliveries (the delivery log)."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, IntPK, JsonList, ShortText, enum_column, utcnow, owned_by
from expertnet.extensions import db


class DeliveryStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for its first attempt, or for a retry after a failed one
    DELIVERED = "delivered"  # the endpoint answered 2xx
    FAILED = "failed"  # gave up: the maximum number of attempts, or the endpoint was disabled


class WebhookEndpoint(db.Model):
    """Where a user's partner system wants events: signed with `secret` (HMAC-SHA256; kept in clear, as it must
    be to sign). `failures` counts failed attempts in a row; at the configured limit the endpoint is disabled."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[IntPK]
    user_id: Mapped[int] = owned_by("user_account.id", index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[ShortText] = mapped_column(default="")
    events: Mapped[JsonList]
    secret: Mapped[str] = mapped_column(sa.String(80))
    active: Mapped[bool] = mapped_column(default=True)
    failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[DefaultNow]

    user = relationship("User")


class WebhookDelivery(db.Model):
    """One event for one endpoint, and what became of it. A redelivery is a new row with the same `event_id`."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[IntPK]
    endpoint_id: Mapped[int] = owned_by("webhook_endpoint.id", index=True)
    event_id: Mapped[str] = mapped_column(sa.String(40))
    event: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[str] = mapped_column(sa.Text)  # the exact JSON body signed and sent
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus, 12), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    response_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(sa.String(300), default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[DefaultNow]

    endpoint = relationship(WebhookEndpoint)
