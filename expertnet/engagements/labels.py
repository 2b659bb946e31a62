"""Display labels for invitation and engagement enums."""
from flask_babel import lazy_gettext as _l

from expertnet.engagements.models import ClosedBecause, DeclineReason, EngagementStatus, InvitationStatus

INVITATION_STATUS_LABELS = {
    InvitationStatus.PENDING: _l("Awaiting your answer"), InvitationStatus.ACCEPTED: _l("Accepted"),
    InvitationStatus.DECLINED: _l("Declined"), InvitationStatus.EXPIRED: _l("Expired"),
    InvitationStatus.REVOKED: _l("Withdrawn"), InvitationStatus.CONFLICT_DECLARED: _l("Conflict declared"),
}
INVITATION_BADGES = {InvitationStatus.PENDING: "warn", InvitationStatus.ACCEPTED: "ok"}
DECLINE_REASON_LABELS = {
    DeclineReason.CONFLICT: _l("I have a conflict of interest"), DeclineReason.NO_CAPACITY: _l("I have no capacity"),
    DeclineReason.OUT_OF_EXPERTISE: _l("It is outside my expertise"), DeclineReason.DATES: _l("The dates do not suit me"),
    DeclineReason.OTHER: _l("Another reason"),
}
# Why a pending invitation closed without an answer (the expert's page and e-mail say it).
CLOSED_BECAUSE_LABELS = {
    ClosedBecause.REQUEST_CLOSED: _l("The coordinators closed this request, so the invitation is closed. No answer "
                                     "is needed."),
    ClosedBecause.REQUEST_WITHDRAWN: _l("The agency withdrew this request, so the invitation is closed. No answer "
                                        "is needed."),
    ClosedBecause.REQUEST_REJECTED: _l("The coordinators declined this request, so the invitation is closed. No "
                                       "answer is needed."),
    ClosedBecause.REQUEST_FILLED: _l("Enough experts accepted this request, so the invitation is closed. No answer "
                                     "is needed. Thank you for your time."),
}
ENGAGEMENT_STATUS_LABELS = {
    EngagementStatus.PLANNED: _l("Planned"), EngagementStatus.ACTIVE: _l("Active"),
    EngagementStatus.REPORT_SUBMITTED: _l("Report submitted"), EngagementStatus.REPORT_ACCEPTED: _l("Report accepted"),
    EngagementStatus.CLOSED: _l("Closed"), EngagementStatus.SUSPENDED: _l("Suspended"),
    EngagementStatus.WITHDRAWN: _l("Withdrawn"),
}
ENGAGEMENT_BADGES = {EngagementStatus.ACTIVE: "info", EngagementStatus.PLANNED: "warn", EngagementStatus.CLOSED: "ok",
                     EngagementStatus.SUSPENDED: "danger", EngagementStatus.WITHDRAWN: "danger"}


def invitation_status_label(status) -> str:
    return str(INVITATION_STATUS_LABELS[InvitationStatus(status)])


def engagement_status_label(status) -> str:
    return str(ENGAGEMENT_STATUS_LABELS[EngagementStatus(status)])


def decline_reason_label(reason) -> str:
    return str(DECLINE_REASON_LABELS[DeclineReason(reason)]) if reason else ""


def closed_because_label(because) -> str:
    return str(CLOSED_BECAUSE_LABELS[ClosedBecause(because)]) if because else ""


def invitation_badge(status) -> str:
    return INVITATION_BADGES.get(InvitationStatus(status), "")


def engagement_badge(status) -> str:
    return ENGAGEMENT_BADGES.get(EngagementStatus(status), "")


TEMPLATE_GLOBALS = {f.__name__: f for f in (invitation_status_label, engagement_status_label, decline_reason_label,
                                            closed_because_label, invitation_badge, engagement_badge)}
