"""Display labels of the hub's vocabularies (templates get them as globals through the blueprint)."""
from flask_babel import lazy_gettext as _l

from expertnet.hub.models import ItemStatus, Kind
from expertnet.sensitivity import Tlp

KIND_LABELS = {
    Kind.GUIDANCE: _l("Guidance and best practice"), Kind.SOP: _l("SOP or template"),
    Kind.TRAINING: _l("Training material"), Kind.WEBINAR: _l("Webinar recording and slides"),
    Kind.CASE_STUDY: _l("Case study"), Kind.LEGISLATION: _l("Legislation note"),
    Kind.LESSON: _l("Lesson from an engagement"),
}
STATUS_LABELS = {ItemStatus.DRAFT: _l("Draft"), ItemStatus.IN_REVIEW: _l("In review"),
                 ItemStatus.AWAITING_AGENCY: _l("Awaiting the agency's approval"),
                 ItemStatus.APPROVED: _l("Approved by the agency"),
                 ItemStatus.PUBLISHED: _l("Published"), ItemStatus.ARCHIVED: _l("Archived")}
MOVE_LABELS = {ItemStatus.IN_REVIEW: _l("Send to review"),
               ItemStatus.AWAITING_AGENCY: _l("Send to the agency for approval"), ItemStatus.PUBLISHED: _l("Publish"),
               ItemStatus.DRAFT: _l("Back to draft"), ItemStatus.ARCHIVED: _l("Archive")}
LABEL_DESCRIPTIONS = {
    Tlp.CLEAR: _l("TLP:CLEAR — public page, no sign-in"),
    Tlp.GREEN: _l("TLP:GREEN — every signed-in network member"),
    Tlp.AMBER: _l("TLP:AMBER — named organisations only"),
}
LANGUAGE_LABELS = {"en": _l("English"), "ar": _l("Arabic"), "fr": _l("French"), "es": _l("Spanish"),
                   "ru": _l("Russian")}


def kind_label(kind) -> str:
    return str(KIND_LABELS[Kind(kind)])


def item_status_label(status) -> str:
    return str(STATUS_LABELS[ItemStatus(status)])


def hub_language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


TEMPLATE_GLOBALS = {"kind_label": kind_label, "item_status_label": item_status_label,
                    "hub_language_label": hub_language_label, "hub_move_labels": MOVE_LABELS,
                    "hub_label_descriptions": LABEL_DESCRIPTIONS}
