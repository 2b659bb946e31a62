"""Display labels for what the coordination desk shows: SLA states, milestones, queue views, statuses."""
from flask_babel import lazy_gettext as _l

from expertnet.coordination.sla import Milestone, SlaState
from expertnet.engagements.labels import ENGAGEMENT_STATUS_LABELS
from expertnet.engagements.models import DeclineReason, InvitationStatus
from expertnet.requests import labels as request_labels
from expertnet.requests.models import Urgency

SLA_STATE_LABELS = {SlaState.ON_TRACK: _l("On track"), SlaState.DUE_SOON: _l("Due soon"),
                    SlaState.OVERDUE: _l("Overdue"), SlaState.MET: _l("Met"), SlaState.MISSED: _l("Met late"),
                    SlaState.STOPPED: _l("Stopped")}
SLA_STATE_BADGES = {SlaState.ON_TRACK: "ok", SlaState.DUE_SOON: "warn", SlaState.OVERDUE: "danger",
                    SlaState.MET: "ok", SlaState.MISSED: "warn", SlaState.STOPPED: ""}
MILESTONE_LABELS = {Milestone.TRIAGE: _l("Triage"), Milestone.FIRST_INVITATION: _l("First invitation"),
                    Milestone.ASSIGNMENT: _l("Assignment")}
URGENCY_BADGES = {Urgency.ROUTINE: "", Urgency.PRIORITY: "info", Urgency.URGENT: "danger"}
INVITATION_LABELS = {
    InvitationStatus.PENDING: _l("Awaiting answer"), InvitationStatus.ACCEPTED: _l("Accepted"),
    InvitationStatus.DECLINED: _l("Declined"), InvitationStatus.EXPIRED: _l("Expired"),
    InvitationStatus.REVOKED: _l("Revoked"), InvitationStatus.CONFLICT_DECLARED: _l("Conflict declared"),
}
INVITATION_BADGES = {InvitationStatus.PENDING: "info", InvitationStatus.ACCEPTED: "ok",
                     InvitationStatus.DECLINED: "warn", InvitationStatus.EXPIRED: "warn",
                     InvitationStatus.REVOKED: "", InvitationStatus.CONFLICT_DECLARED: "danger"}
DECLINE_LABELS = {DeclineReason.CONFLICT: _l("Conflict of interest"), DeclineReason.NO_CAPACITY: _l("No capacity"),
                  DeclineReason.OUT_OF_EXPERTISE: _l("Outside my expertise"), DeclineReason.DATES: _l("Dates do not suit"),
                  DeclineReason.OTHER: _l("Other reason")}
# Exclusion counts from the suggestions bridge, by the key it reports them under.
EXCLUSION_LABELS = {
    "same_organisation": _l("from the requesting organisation"), "conflict_of_interest": _l("conflict of interest"),
    "unvetted": _l("not vetted or inactive"), "at_capacity": _l("at capacity"), "unavailable": _l("unavailable"),
    "language": _l("language mismatch"), "region": _l("outside the required region"),
    "excluded_id": _l("already invited"),
}


def _labeller(table):
    """The label function of one table: a key may come as an enum member or its value; an unknown one shows as given."""
    def label(value) -> str:
        for key, text in table.items():
            if key == value or getattr(key, "value", key) == value:
                return str(text)
        return str(value)
    return label


sla_state_label = _labeller(SLA_STATE_LABELS)
milestone_label = _labeller(MILESTONE_LABELS)
invitation_label = _labeller(INVITATION_LABELS)
decline_label = _labeller(DECLINE_LABELS)
# The coordinators see an engagement's status worded as the expert sees it.
engagement_label = _labeller(ENGAGEMENT_STATUS_LABELS)
exclusion_label = _labeller(EXCLUSION_LABELS)


# Buttons whose meaning depends on where the request comes from (the requests feature labels the rest).
MOVE_LABELS = {("matching", "triage"): _l("Back to triage"), ("info_requested", "triage"): _l("Resume triage"),
               ("assigned", "matching"): _l("Back to matching"), ("inviting", "matching"): _l("Back to matching"),
               ("delivered", "in_progress"): _l("Reopen the work"), ("on_hold", "in_progress"): _l("Resume the work")}


def move_label(from_status, to_status) -> str:
    key = (getattr(from_status, "value", from_status), getattr(to_status, "value", to_status))
    return str(MOVE_LABELS[key]) if key in MOVE_LABELS else request_labels.action_label(to_status)


# Request statuses and urgencies are labelled by the requests feature; mail rendered from the CLI needs them too.
TEMPLATE_GLOBALS = {
    "request_status_label": request_labels.status_label, "request_status_badge": request_labels.status_badge,
    "request_urgency_label": request_labels.urgency_label, "move_label": move_label,
    "sla_state_label": sla_state_label, "milestone_label": milestone_label, "invitation_label": invitation_label, "decline_label": decline_label,
    "engagement_label": engagement_label, "exclusion_label": exclusion_label, "SLA_STATE_BADGES": SLA_STATE_BADGES,
    "URGENCY_BADGES": URGENCY_BADGES, "INVITATION_BADGES": INVITATION_BADGES,
}
