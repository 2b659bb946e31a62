"""The events feature's one table of refusals."""
from flask_babel import lazy_gettext as _l

from expertnet.service_errors import ServiceError


class EventError(ServiceError):
    messages = {
        "registration_closed": _l("Registration for this event has closed: it has already started."),
        "not_registered": _l("You are not registered for this event."),
        "cancel_closed": _l("The event has started; a registration can no longer be cancelled."),
        "not_started": _l("Attendance can be marked once the event has started."),
        "not_a_participant": _l("That person is not registered for this event."),
        "move_not_allowed": _l("This registration cannot change that way."),
        "not_allowed": _l("You may not change this registration."),
        "capacity_below_registered": _l("The capacity cannot be lower than the number already registered."),
        "material_needs_file_or_link": _l("Give a file or a link."),
        "not_held": _l("The materials can be published in the hub once the event has been held."),
        "amber_needs_organisations": _l("TLP:AMBER goes to the organisations invited to the event; this event is open "
                                        "to the whole network, so choose TLP:GREEN or TLP:CLEAR."),
        "unknown_material": _l("Choose materials of this event."),
    }
