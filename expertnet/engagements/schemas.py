"""Invitation and engagement Out schemas for the expert's JSON payloads. The request inside is dumped by the
caller with RequestSummaryOut or RequestOut (need-to-know), never by these schemas."""
from marshmallow import RAISE, Schema, fields, validate

from expertnet.engagements.models import DeclineReason, EngagementStatus, InvitationStatus

REPORT_MAX = 20000  # characters of a completion report (the page's form says the same)
DAYS_MAX = 365


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


class ReportIn(Schema):
    """The expert's completion report (the bounds of the engagement page's report form; the service judges the
    rest: the engagement is theirs and open for a report, the text is not blank, the days are 0 to 365)."""

    class Meta:
        unknown = RAISE

    report = fields.String(required=True, validate=validate.Length(max=REPORT_MAX),
                           metadata={"description": "What was done, what was delivered, what the agency should do next."})
    days_spent = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, DAYS_MAX),
                              metadata={"description": "Days spent on the engagement (optional)."})
