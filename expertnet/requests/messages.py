"""Translated explanations for the refusal codes of lifecycle, services and attachments."""
from flask_babel import lazy_gettext as _l

REFUSALS = {
    "not_allowed": _l("Your role does not allow this action on this request."),
    "reason_required": _l("Give a reason; the other side will see it."),
    "incomplete": _l("Before submitting, fill in the title, the shareable summary and the gap description."),
    "topics_required": _l("Before submitting, choose one to five topics."),
    "urgency_reason_required": _l("Say why the request is urgent before submitting it."),
    "declaration_required": _l("Confirm that you are authorised to make this request before submitting it."),
    "answer_required": _l("Write your answer before sending it."),
    "message_length": _l("Write a message of up to 5,000 characters."),
    "rating_range": _l("Rate each aspect from 1 to 5."),
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than 20 MB; nothing was stored."),
    "type_not_allowed": _l("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files are accepted, judged by their "
                           "content; nothing was stored."),
}


def refusal_message(code: str) -> str:
    return str(REFUSALS.get(code, REFUSALS["not_allowed"]))
