"""The requests feature's one message table: what each refusal code of its lifecycle and services says."""
from flask_babel import lazy_gettext as _l

REFUSALS = {
    "not_allowed": _l("Your role does not allow this action on this request."),
    "illegal_transition": _l("This step is not possible from the request's current status."),
    "not_editable": _l("This request can no longer be changed."),
    "feedback_not_open": _l("Feedback opens once the request is delivered."),
    "feedback_given": _l("Feedback for this request has already been given."),
    "reason_required": _l("Give a reason; the other side will see it."),
    "incomplete": _l("Before submitting, fill in the title, the shareable summary and the gap description."),
    "topics_required": _l("Before submitting, choose one to five topics."),
    "urgency_reason_required": _l("Say why the request is urgent before submitting it."),
    "declaration_required": _l("Confirm that you are authorised to make this request before submitting it."),
    "answer_required": _l("Write your answer before sending it."),
    "message_length": _l("Write a message of up to 5,000 characters."),
    "rating_range": _l("Rate each aspect from 1 to 5."),
    "close_unconfirmed": _l("Closing this request now needs your confirmation: read the warnings on the "
                            "coordinators' desk and tick the box to close it anyway."),
}
# Refusals about the request's state rather than the input: someone (or something) moved it first.
CONFLICTS = frozenset({"illegal_transition", "not_editable", "feedback_given", "feedback_not_open"})
