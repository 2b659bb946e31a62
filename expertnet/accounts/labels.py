"""Display labels for account enums, in the reader's language."""
from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import OrganisationKind, Role

ORGANISATION_KIND_LABELS = {
    OrganisationKind.LAW_ENFORCEMENT: _l("Law enforcement"),
    OrganisationKind.CUSTOMS_BORDER: _l("Customs and border"),
    OrganisationKind.REGULATOR: _l("Regulator"),
    OrganisationKind.EMERGENCY_SERVICES: _l("Emergency services"),
    OrganisationKind.MILITARY_DEFENCE: _l("Military and defence"),
    OrganisationKind.INDUSTRY: _l("Industry"),
    OrganisationKind.ACADEMIA_RESEARCH: _l("Academia and research"),
    OrganisationKind.INTERNATIONAL_ORGANISATION: _l("International organisation"),
}
ROLE_LABELS = {Role.MEMBER: _l("Member agency officer"), Role.COORDINATOR: _l("Coordinator"),
               Role.EXPERT: _l("Expert"), Role.ADMIN: _l("Administrator")}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[Role(role)])
