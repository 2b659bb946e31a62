"""The coordination feature's one message table: what each refusal of the desk and of triage says."""
from flask_babel import lazy_gettext as _l

REFUSALS = {
    "note_required": _l("Write a note for the agency: it is required for this step."),
    "dates_order": _l("The end cannot be before the start."),
    "title_required": _l("Give the milestone a title."),
    "already_done": _l("This milestone is already done."),
    "unknown_expert": _l("This expert does not exist."),
    "override_reason_required": _l("Say why you include this expert: the reason is required and kept in the audit log."),
    "override_reason_long": _l("Keep the reason under 2,000 characters."),
    "not_excluded": _l("This expert is not excluded from the suggestions (any more)."),
    "bad_priority": _l("Choose a priority from 1 (highest) to 5."),
    "bad_lead": _l("Choose an active coordinator as the lead."),
    "not_overridable": _l("This rule also applies to invitations, so it cannot be set aside."),
}
