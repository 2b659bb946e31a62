"""Translated messages for refusal codes raised by the lifecycle and the desk."""
from flask_babel import lazy_gettext as _l

LIFECYCLE_MESSAGES = {
    "illegal_transition": _l("This step is not possible from the request's current status."),
    "not_allowed": _l("You may not make this step."),
    "reason_required": _l("Write a note for the agency: it is required for this step."),
    "incomplete": _l("The request lacks its title, summary or gap description."),
    "topics_required": _l("The request needs one to five topics."),
    "urgency_reason_required": _l("An urgent request needs a justification."),
    "declaration_required": _l("The officer has not declared being authorised to ask."),
}
DESK_MESSAGES = {
    "dates_order": _l("The end cannot be before the start."),
    "title_required": _l("Give the milestone a title."),
    "already_done": _l("This milestone is already done."),
    "unknown_expert": _l("This expert does not exist."),
}


def lifecycle_message(code: str) -> str:
    return str(LIFECYCLE_MESSAGES.get(code, LIFECYCLE_MESSAGES["not_allowed"]))


def desk_message(code: str) -> str:
    return str(DESK_MESSAGES.get(code, code))
