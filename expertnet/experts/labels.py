"""Display labels for expert enums."""
from flask_babel import lazy_gettext as _l

from expertnet.experts.models import Availability, Proficiency, PublicationKind, TopicLevel, VettingStatus

VETTING_LABELS = {VettingStatus.PENDING: _l("Awaiting vetting"), VettingStatus.APPROVED: _l("Vetted"),
                  VettingStatus.REJECTED: _l("Not accepted")}


def vetting_label(status: VettingStatus) -> str:
    return str(VETTING_LABELS[VettingStatus(status)])

LEVEL_LABELS = {TopicLevel.AWARENESS: _l("Awareness"), TopicLevel.PRACTITIONER: _l("Practitioner"),
                TopicLevel.EXPERT: _l("Expert")}
PROFICIENCY_LABELS = {Proficiency.BASIC: _l("Basic"), Proficiency.WORKING: _l("Working"),
                      Proficiency.FLUENT: _l("Fluent"), Proficiency.NATIVE: _l("Native")}
AVAILABILITY_LABELS = {Availability.AVAILABLE: _l("Available"), Availability.LIMITED: _l("Limited availability"),
                       Availability.UNAVAILABLE: _l("Unavailable")}
PUBLICATION_KIND_LABELS = {PublicationKind.PUBLICATION: _l("Publication"), PublicationKind.TRAINING: _l("Training given")}
# Languages an expert may declare; names come from Babel in the reader's locale.
WORK_LANGUAGES = ("ar", "en", "fr", "es", "ru", "zh", "pt", "de", "it", "tr", "fa", "ur", "hi", "sw", "ha")




def level_label(level) -> str:
    return str(LEVEL_LABELS[TopicLevel(level)])


def proficiency_label(proficiency) -> str:
    return str(PROFICIENCY_LABELS.get(Proficiency(proficiency), proficiency)) if proficiency else ""


def availability_label(availability) -> str:
    return str(AVAILABILITY_LABELS[Availability(availability)])
