"""Invitation and engagement Out schemas for the expert's JSON payloads. The request inside is dumped by the
caller with RequestSummaryOut or RequestOut (need-to-know), never by these schemas."""
from marshmallow import Schema, fields

from expertnet.engagements.models import DeclineReason, EngagementStatus, InvitationStatus


class InvitationOut(Schema):
    id = fields.Integer()
    status = fields.Enum(InvitationStatus, by_value=True)
    message = fields.String()
    respond_by = fields.DateTime()
    responded_at = fields.DateTime(allow_none=True)
    terms_version = fields.String(allow_none=True)
    terms_accepted_at = fields.DateTime(allow_none=True)
    decline_reason = fields.Enum(DeclineReason, by_value=True, allow_none=True)


class EngagementOut(Schema):
    id = fields.Integer()
    status = fields.Enum(EngagementStatus, by_value=True)
    planned_start = fields.Date(allow_none=True)
    planned_end = fields.Date(allow_none=True)
    days_spent = fields.Float(allow_none=True)
    report_submitted_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
