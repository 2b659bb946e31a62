"""Display labels for expert enums."""
from flask_babel import lazy_gettext as _l

from expertnet.experts.models import VettingStatus

VETTING_LABELS = {VettingStatus.PENDING: _l("Awaiting vetting"), VettingStatus.APPROVED: _l("Vetted"),
                  VettingStatus.REJECTED: _l("Not accepted")}


def vetting_label(status: VettingStatus) -> str:
    return str(VETTING_LABELS[VettingStatus(status)])
