"""The vetting refusals in words, shared by the vetting queue (views) and the profile pages (profile_views)."""
from flask_babel import gettext as _

VETTING_MESSAGES = {
    "already_decided": lambda: _("This application has already been decided."),
    "reason_required": lambda: _("Give a reason for the rejection; the applicant will see it."),
    "not_staff": lambda: _("Only coordinators may do this."),
}
