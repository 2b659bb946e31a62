"""The agency's home panel figures (registered in home/services.HOME_PANELS)."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.requests.lifecycle import FINAL
from expertnet.requests.models import AssistanceRequest, RequestStatus


def member_figures(user) -> dict:
    counts = dict(db.session.execute(
        sa.select(AssistanceRequest.status, sa.func.count(AssistanceRequest.id))
        .where(AssistanceRequest.organisation_id == user.organisation_id)
        .group_by(AssistanceRequest.status)).all())
    return {"requests_open": sum(n for status, n in counts.items()
                                 if status not in FINAL and status != RequestStatus.DRAFT),
            "requests_draft": counts.get(RequestStatus.DRAFT, 0),
            "requests_waiting_on_us": (counts.get(RequestStatus.INFO_REQUESTED, 0)
                                       + counts.get(RequestStatus.EVALUATION, 0))}
