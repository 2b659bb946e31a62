"""The daily SLA digest: one e-mail per coordinator listing the requests whose clock is slipping."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.accounts.models import Role, User
from expertnet.coordination import sla
from expertnet.coordination.queue import QUEUE_STATUSES
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.notifications.services import link, notify
from expertnet.requests.models import AssistanceRequest


def clocked_requests():
    """The requests before assignment: the only ones whose SLA clock can still slip."""
    return db.session.scalars(
        sa.select(AssistanceRequest).where(AssistanceRequest.status.in_(QUEUE_STATUSES))
        .options(selectinload(AssistanceRequest.organisation), selectinload(AssistanceRequest.lead_coordinator))
        .order_by(AssistanceRequest.submitted_at)).all()


def slipping(now: datetime | None = None) -> list[tuple[AssistanceRequest, sla.SlaClock]]:
    """Requests whose current milestone is overdue or due soon, overdue first, then soonest due."""
    now = now or utcnow()
    found = [(r, c) for r in clocked_requests() if (c := sla.current_clock(r, now)) and c.is_slipping]
    return sorted(found, key=lambda pair: (pair[1].state != sla.SlaState.OVERDUE, pair[1].due_at))


def send_digest(now: datetime | None = None) -> int:
    """Queue today's digest for every active coordinator; idempotent per day. Returns how many were queued."""
    now = now or utcnow()
    items = slipping(now)
    if not items:
        return 0
    coordinators = db.session.scalars(sa.select(User).where(User.role == Role.COORDINATOR, User.is_active)
                                      .order_by(User.id)).all()
    queued = 0
    for coordinator in coordinators:
        mine = [pair for pair in items if pair[0].lead_coordinator_id == coordinator.id]
        message = notify(coordinator, "digest_sla", link("coordination.queue", view="overdue"),
                         {"count": len(items), "mine": len(mine)},
                         dedupe_key=f"sla-digest:{now.date().isoformat()}:{coordinator.id}",
                         coordinator=coordinator, items=items, mine=mine, now=now)
        queued += message is not None
    db.session.flush()
    return queued
