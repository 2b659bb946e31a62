"""The expert's own data as one JSON document (their right to a copy): profile, invitations, engagements."""
import sqlalchemy as sa
from marshmallow import Schema, fields

from expertnet.db import utcnow
from expertnet.engagements.models import (DeclineReason, Engagement, EngagementStatus, Invitation,
                                          InvitationStatus)
from expertnet.experts.models import ExpertProfile
from expertnet.experts.schemas import ProfileOut
from expertnet.extensions import db


class OwnInvitationOut(Schema):
    """Only what the expert already saw: the request's reference and title, never its detail."""

    request_reference = fields.Function(lambda i: i.request.reference)
    request_title = fields.Function(lambda i: i.request.title)
    status = fields.Enum(InvitationStatus, by_value=True)
    respond_by, responded_at, terms_accepted_at = fields.DateTime(), fields.DateTime(), fields.DateTime()
    terms_version = fields.String()
    decline_reason = fields.Enum(DeclineReason, by_value=True)
    decline_note = fields.String()


class OwnEngagementOut(Schema):
    request_reference = fields.Function(lambda e: e.request.reference)
    status = fields.Enum(EngagementStatus, by_value=True)
    days_spent = fields.Float()
    completion_report = fields.String()
    report_submitted_at, closed_at = fields.DateTime(), fields.DateTime()
    progress_notes = fields.Function(lambda e: [{"at": n.created_at.isoformat(), "body": n.body}
                                                for n in e.notes if n.author_id == e.expert.user_id])


def export_own_data(profile: ExpertProfile) -> dict:
    invitations = db.session.scalars(sa.select(Invitation).where(Invitation.expert_id == profile.id)
                                     .order_by(Invitation.created_at)).all()
    engagements = db.session.scalars(sa.select(Engagement).where(Engagement.expert_id == profile.id)
                                     .order_by(Engagement.created_at)).all()
    return {"exported_at": utcnow().isoformat(), "profile": ProfileOut().dump(profile),
            "invitations": OwnInvitationOut(many=True).dump(invitations),
            "engagements": OwnEngagementOut(many=True).dump(engagements)}
