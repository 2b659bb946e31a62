"""The hub's one message table: every refusal its services raise, worded once."""
from flask_babel import lazy_gettext as _l

from expertnet.service_errors import ServiceError

REFUSALS = {
    "illegal_transition": _l("This item cannot move to that state from where it is now."),
    "not_allowed": _l("Only coordinators and editors run the hub's editorial workflow."),
    "no_text": _l("Give the item a title and a summary in at least one language first."),
    "no_audience": _l("A TLP:AMBER item needs at least one named organisation or group before it is published."),
    "no_content": _l("Add a file, an external link or a body text before the item goes to review."),
    "not_editable": _l("An archived item is no longer edited."),
    "already_helped": _l("You have already said this item helped."),
    "engagement_not_closed": _l("A lesson is drafted once the engagement is closed."),
    "comment_required": _l("Say what should change when you send the lesson back."),
    "choose_label": _l("Choose TLP:CLEAR, TLP:GREEN or TLP:AMBER."),
}
CONFLICTS = frozenset({"illegal_transition", "not_editable", "already_helped", "engagement_not_closed"})


class HubError(ServiceError):
    """A refused hub action; conflicts with the item's state answer 409."""

    messages = REFUSALS

    def __init__(self, code: str):
        super().__init__(code, http_status=409 if code in CONFLICTS else None)
