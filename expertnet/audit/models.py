"""The append-only audit_event table."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from expertnet.db import DefaultNow, IntPK, UserFK
from expertnet.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[IntPK]
    occurred_at: Mapped[DefaultNow] = mapped_column(index=True)
    actor_id: Mapped[UserFK | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[int | None]
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User")


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session, flush_context, instances):
    """The log is evidence: a changed or deleted audit row is a bug, so fail the whole transaction."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit events are append-only")
