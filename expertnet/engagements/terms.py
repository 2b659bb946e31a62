"""The confidentiality terms an invited expert accepts before seeing more than a request's summary.

The version is recorded on the invitation with the time of acceptance; a new text gets a new version,
and an expert who accepted an older one is asked again.
"""
from flask_babel import lazy_gettext as _l

CONFIDENTIALITY_TERMS_VERSION = "2026-1"

CONFIDENTIALITY_TERMS = (
    _l("I will use the information in this request only to decide whether to help and, if I accept, "
       "to deliver the agreed assistance."),
    _l("I will not share the request, its annexes or any document received through the network with anyone "
       "outside the named recipients, and will respect each part's sensitivity label (TLP)."),
    _l("I will store documents only on devices under my control, protected by a password, and delete them "
       "when the engagement ends, unless the coordinators agree otherwise in writing."),
    _l("I will tell the coordinators at once if I discover a conflict of interest or if information may have "
       "been disclosed by mistake."),
    _l("These obligations continue after the engagement ends."),
)


def terms_paragraphs() -> list[str]:
    return [str(paragraph) for paragraph in CONFIDENTIALITY_TERMS]
