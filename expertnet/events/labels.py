"""Names of the events vocabulary in the reader's language."""
from flask_babel import lazy_gettext as _l

from expertnet.events.models import Audience, EventKind, RegistrationStatus

KIND_LABELS = {EventKind.WEBINAR: _l("Webinar"), EventKind.WORKSHOP: _l("Workshop"), EventKind.MEETING: _l("Meeting")}
AUDIENCE_LABELS = {Audience.NETWORK: _l("The whole network"), Audience.ORGANISATIONS: _l("Named organisations")}
STATUS_LABELS = {RegistrationStatus.REGISTERED: _l("Registered"), RegistrationStatus.WAITLISTED: _l("Waiting list"),
                 RegistrationStatus.CANCELLED: _l("Cancelled")}


def kind_label(kind) -> str:
    return str(KIND_LABELS.get(EventKind(kind), kind))


def status_label(status) -> str:
    return str(STATUS_LABELS.get(RegistrationStatus(status), status))
