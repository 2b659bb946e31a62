"""The groups' In schemas (validation once; WTForms only renders and checks CSRF) and their Out schema."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from expertnet.groups.models import GroupKind, GroupRole

REQUIRED = {"required": _l("This field is required.")}
CHOOSE = {"required": _l("Choose one."), "invalid": _l("Choose one.")}


class GroupIn(Schema):
    kind = fields.Enum(GroupKind, by_value=True, required=True, error_messages=REQUIRED)
    name = fields.String(required=True, error_messages=REQUIRED, validate=[
        validate.Length(max=200, error=_l("Keep the name under 200 characters.")),
        validate.Regexp(r"\S", error=_l("This field is required."))])
    description = fields.String(load_default="", validate=validate.Length(
        max=5000, error=_l("Keep the description under 5,000 characters.")))


class OrganisationMembershipIn(Schema):
    organisation_id = fields.Integer(strict=True, required=True, error_messages=CHOOSE)


class PersonMembershipIn(Schema):
    user_id = fields.Integer(strict=True, required=True, error_messages=CHOOSE)
    role = fields.Enum(GroupRole, by_value=True, load_default=GroupRole.MEMBER, error_messages=CHOOSE)


class RoleIn(Schema):
    role = fields.Enum(GroupRole, by_value=True, required=True, error_messages=CHOOSE)


class GroupOut(Schema):
    id = fields.Integer()
    kind = fields.Enum(GroupKind, by_value=True)
    name = fields.String()
    slug = fields.String()
    description = fields.String()
