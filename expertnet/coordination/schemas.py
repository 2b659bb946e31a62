"""The desk's In schemas (validation once: the form is only rendered and CSRF-checked by WTForms)."""
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, fields, validate

from expertnet.coordination.exclusions import REASON_MAX
from expertnet.web_input import RowId


class IncludeExpertIn(Schema):
    """A coordinator includes an excluded expert: whom, and why (required)."""

    class Meta:
        unknown = EXCLUDE  # the refinement's hidden fields travel with the form

    expert_id = RowId(required=True)
    reason = fields.String(required=True, validate=[
        validate.Length(max=REASON_MAX, error=_l("Keep the reason under 2,000 characters.")),
        validate.Regexp(r"\S", error=_l("Say why you include this expert: the reason is required and kept in the audit log."))],
        error_messages={"required": _l("Say why you include this expert: the reason is required and kept in the audit log.")})
