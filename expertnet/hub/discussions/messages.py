"""The discussions' one message table: every refusal their services raise, worded once."""
from flask_babel import lazy_gettext as _l

from expertnet.service_errors import ServiceError

REFUSALS = {
    "not_allowed": _l("Only coordinators and editors moderate discussions."),
    "not_author": _l("Only the author may edit a post."),
    "edit_window_over": _l("A post can be edited only in the first minutes after it is sent."),
    "post_hidden": _l("A hidden post is no longer edited, answered or reported."),
    "own_post": _l("You cannot report your own post."),
    "already_reported": _l("You have already reported this post; the moderators will look at it."),
    "reason_required": _l("Say why the post is hidden; its author and the moderators see the reason."),
    "changed_meanwhile": _l("Another moderator acted on this post meanwhile; look at it again."),
    "illegal_transition": _l("This post cannot move to that state from where it is now."),
}
CONFLICTS = frozenset({"edit_window_over", "post_hidden", "already_reported", "changed_meanwhile",
                       "illegal_transition"})
FORBIDDEN = frozenset({"not_allowed", "not_author"})


class DiscussionError(ServiceError):
    """A refused discussion action: conflicts with the post's state answer 409, acting for another 403."""

    messages = REFUSALS

    def __init__(self, code: str):
        status = 409 if code in CONFLICTS else 403 if code in FORBIDDEN else None
        super().__init__(code, http_status=status)
