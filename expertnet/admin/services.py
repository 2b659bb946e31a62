"""Organisation upkeep and topic edits."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import Organisation, OrganisationKind
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.service_errors import ServiceError
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import update_topic


class OrganisationError(ServiceError):
    """The organisation cannot be saved as given."""

    messages = {"name_taken": _l("Another organisation already has this name.")}


def save_organisation(actor, organisation: Organisation | None, name: str, country: str, kind: str,
                      is_active: bool) -> Organisation:
    name = name.strip()
    clash = db.session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower()))
    if clash is not None and clash is not organisation:
        raise OrganisationError("name_taken")
    created = organisation is None
    organisation = organisation or Organisation()
    organisation.name, organisation.country = name, country.upper()
    organisation.kind, organisation.is_active = OrganisationKind(kind), is_active
    db.session.add(organisation)
    db.session.flush()
    record("organisation.created" if created else "organisation.updated", actor, organisation, name=name)
    return organisation


def save_topic(actor, topic: Topic, labels: dict, descriptions: dict, is_active: bool) -> None:
    """Topic labels and descriptions are part of every expert's matcher profile: every process refits."""
    update_topic(topic, actor, labels=labels, descriptions=descriptions, is_active=is_active)
