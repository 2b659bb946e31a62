"""The coordination feature's one message table: what each refusal of the desk and of triage says."""
from flask_babel import lazy_gettext as _l

REFUSALS = {
    "note_required": _l("Write a note for the agency: it is required for this step."),
    "dates_order": _l("The end cannot be before the start."),
    "title_required": _l("Give the milestone a title."),
    "already_done": _l("This milestone is already done."),
    "unknown_expert": _l("This expert does not exist."),
}
