"""Display labels for request enums (templates get them as globals through the blueprint)."""
from babel import Locale
from flask_babel import get_locale, lazy_gettext as _l

from expertnet.requests.models import GapType, Modality, RequestStatus as S, Urgency
from expertnet.sensitivity import Tlp

STATUS_LABELS = {
    S.DRAFT: _l("Draft"), S.SUBMITTED: _l("Submitted"), S.TRIAGE: _l("In triage"),
    S.INFO_REQUESTED: _l("Information requested"), S.MATCHING: _l("Finding experts"),
    S.INVITING: _l("Inviting experts"), S.ASSIGNED: _l("Experts assigned"), S.IN_PROGRESS: _l("In progress"),
    S.ON_HOLD: _l("On hold"), S.DELIVERED: _l("Delivered"), S.EVALUATION: _l("Evaluation"),
    S.CLOSED: _l("Closed"), S.REJECTED: _l("Rejected"), S.WITHDRAWN: _l("Withdrawn"),
}
# The verb on the button that makes each transition.
ACTION_LABELS = {
    S.SUBMITTED: _l("Submit"), S.TRIAGE: _l("Accept into triage"), S.INFO_REQUESTED: _l("Request information"),
    S.MATCHING: _l("Start matching"), S.INVITING: _l("Start inviting"), S.ASSIGNED: _l("Mark experts assigned"),
    S.IN_PROGRESS: _l("Start or resume work"), S.ON_HOLD: _l("Put on hold"), S.DELIVERED: _l("Mark delivered"),
    S.EVALUATION: _l("Open evaluation"), S.CLOSED: _l("Close"), S.REJECTED: _l("Reject"),
    S.WITHDRAWN: _l("Withdraw"),
}
STATUS_BADGES = {S.DRAFT: "", S.INFO_REQUESTED: "warn", S.ON_HOLD: "warn", S.REJECTED: "danger",
                 S.WITHDRAWN: "danger", S.CLOSED: "ok", S.DELIVERED: "ok", S.EVALUATION: "ok"}
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
    return str(STATUS_LABELS[S(status)])


def status_badge(status) -> str:
    return STATUS_BADGES.get(S(status), "info")


def action_label(status) -> str:
    return str(ACTION_LABELS[S(status)])


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


def language_name(code: str) -> str:
    return Locale.parse(str(get_locale())).languages.get(code, code)


def country_name(code: str) -> str:
    return Locale.parse(str(get_locale())).territories.get(code, code)


TEMPLATE_FILTERS = {"language_name": language_name, "country_name": country_name}
TEMPLATE_GLOBALS = {f.__name__: f for f in (status_label, status_badge, action_label, modality_label,
                                            gap_type_label, urgency_label, tlp_class, part_label)}
