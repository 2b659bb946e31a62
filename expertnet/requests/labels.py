"""Display labels for request enums (templates get them as globals through the blueprint)."""
from flask_babel import lazy_gettext as _l

from expertnet.requests.models import GapType, Modality, RequestStatus, Urgency
from expertnet.sensitivity import Tlp

STATUS_LABELS = {
    RequestStatus.DRAFT: _l("Draft"),
    RequestStatus.SUBMITTED: _l("Submitted"),
    RequestStatus.TRIAGE: _l("In triage"),
    RequestStatus.INFO_REQUESTED: _l("Information requested"),
    RequestStatus.MATCHING: _l("Finding experts"),
    RequestStatus.INVITING: _l("Inviting experts"),
    RequestStatus.ASSIGNED: _l("Experts assigned"),
    RequestStatus.IN_PROGRESS: _l("In progress"),
    RequestStatus.ON_HOLD: _l("On hold"),
    RequestStatus.DELIVERED: _l("Delivered"),
    RequestStatus.EVALUATION: _l("Evaluation"),
    RequestStatus.CLOSED: _l("Closed"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}
# The verb on the button that makes each transition.
ACTION_LABELS = {
    RequestStatus.SUBMITTED: _l("Submit"),
    RequestStatus.TRIAGE: _l("Accept into triage"),
    RequestStatus.INFO_REQUESTED: _l("Request information"),
    RequestStatus.MATCHING: _l("Start matching"),
    RequestStatus.INVITING: _l("Start inviting"),
    RequestStatus.ASSIGNED: _l("Mark experts assigned"),
    RequestStatus.IN_PROGRESS: _l("Start or resume work"),
    RequestStatus.ON_HOLD: _l("Put on hold"),
    RequestStatus.DELIVERED: _l("Mark delivered"),
    RequestStatus.EVALUATION: _l("Open evaluation"),
    RequestStatus.CLOSED: _l("Close"),
    RequestStatus.REJECTED: _l("Reject"),
    RequestStatus.WITHDRAWN: _l("Withdraw"),
}
STATUS_BADGES = {
    RequestStatus.DRAFT: "",
    RequestStatus.INFO_REQUESTED: "warn",
    RequestStatus.ON_HOLD: "warn",
    RequestStatus.REJECTED: "danger",
    RequestStatus.WITHDRAWN: "danger",
    RequestStatus.CLOSED: "ok",
    RequestStatus.DELIVERED: "ok",
    RequestStatus.EVALUATION: "ok",
}
GAP_TYPE_LABELS = {GapType.KNOWLEDGE: _l("Knowledge"), GapType.CAPABILITY: _l("Capability"),
                   GapType.BOTH: _l("Knowledge and capability")}
MODALITY_LABELS = {
    Modality.REMOTE_ADVICE: _l("Remote advice"), Modality.DOCUMENT_REVIEW: _l("Document review"),
    Modality.ONSITE_MISSION: _l("On-site mission"), Modality.TRAINING_WORKSHOP: _l("Training or workshop"),
    Modality.EXERCISE_DESIGN: _l("Exercise design"),
    Modality.EQUIPMENT_LAB_ASSESSMENT: _l("Equipment or laboratory assessment"),
}
URGENCY_LABELS = {Urgency.ROUTINE: _l("Routine"), Urgency.PRIORITY: _l("Priority"), Urgency.URGENT: _l("Urgent")}
TLP_DESCRIPTIONS = {
    Tlp.CLEAR: _l("TLP:CLEAR — anyone in the network"), Tlp.GREEN: _l("TLP:GREEN — the community"),
    Tlp.AMBER: _l("TLP:AMBER — named organisations and people who need it"),
    Tlp.AMBER_STRICT: _l("TLP:AMBER+STRICT — our organisation and named people only"),
    Tlp.RED: _l("TLP:RED — named recipients only"),
}
PART_LABELS = {"detail": _l("Detailed gap description"), "annex": _l("Annex"), "attachment": _l("Attachment")}


def status_label(status) -> str:
    return str(STATUS_LABELS[RequestStatus(status)])


def status_badge(status) -> str:
    return STATUS_BADGES.get(RequestStatus(status), "info")


def action_label(status) -> str:
    return str(ACTION_LABELS[RequestStatus(status)])


def modality_label(value) -> str:
    return str(MODALITY_LABELS[Modality(value)])


def gap_type_label(value) -> str:
    return str(GAP_TYPE_LABELS[GapType(value)])


def urgency_label(value) -> str:
    return str(URGENCY_LABELS[Urgency(value)])


def tlp_class(value) -> str:
    """The CSS class of a TLP badge: tlp-clear, tlp-green, tlp-amber, tlp-red."""
    return "tlp-" + Tlp(value).value.removeprefix("TLP:").split("+")[0].lower()


def part_label(part: str) -> str:
    return str(PART_LABELS.get(part, part))


TEMPLATE_GLOBALS = {f.__name__: f for f in (status_label, status_badge, action_label, modality_label,
                                            gap_type_label, urgency_label, tlp_class, part_label)}
