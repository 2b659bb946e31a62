"""The expert's invitations and engagements in their own-data export (experts.export asks for them: experts
never import engagements)."""
import sqlalchemy as sa
from flask import Flask
from marshmallow import Schema, fields

from expertnet.engagements.models import (DeclineReason, Engagement, EngagementStatus, Invitation,
                                          InvitationStatus)
from expertnet.experts.export import register_own_data
from expertnet.experts.models import ExpertProfile
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


def own_invitations(profile: ExpertProfile) -> list:
    invitations = db.session.scalars(sa.select(Invitation).where(Invitation.expert_id == profile.id)
                                     .order_by(Invitation.created_at)).all()
    return OwnInvitationOut(many=True).dump(invitations)


def own_engagements(profile: ExpertProfile) -> list:
    engagements = db.session.scalars(sa.select(Engagement).where(Engagement.expert_id == profile.id)
                                     .order_by(Engagement.created_at)).all()
    return OwnEngagementOut(many=True).dump(engagements)


def init_app(app: Flask) -> None:
    register_own_data(app, "invitations", own_invitations)
    register_own_data(app, "engagements", own_engagements)
