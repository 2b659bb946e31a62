"""The agency's home panel figures (registered in home/services.HOME_PANELS)."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.requests.lifecycle import FINAL
from expertnet.requests.listing import waiting_on_agency
from expertnet.requests.models import AssistanceRequest, RequestStatus


def member_figures(user) -> dict:
    own = AssistanceRequest.organisation_id == user.organisation_id
    counts = dict(db.session.execute(
        sa.select(AssistanceRequest.status, sa.func.count(AssistanceRequest.id))
        .where(own)
        .group_by(AssistanceRequest.status)).all())
    return {"requests_open": sum(n for status, n in counts.items()
                                 if status not in FINAL and status != RequestStatus.DRAFT),
            "requests_draft": counts.get(RequestStatus.DRAFT, 0),
            # The same condition as the list the card opens (`?waiting=y`), so the two always agree.
            "requests_waiting_on_us": db.session.execute(
                sa.select(sa.func.count(AssistanceRequest.id)).where(own, waiting_on_agency())).scalar_one()}
