"""Group forms: they render the fields and check CSRF; the schemas (groups.schemas) validate."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from expertnet.form_schema import FieldMarks
from expertnet.groups.labels import KIND_LABELS, ROLE_LABELS


def _int_or_none(value):
    return int(value) if str(value or "").isdigit() else None


class GroupForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()],
                       validators=[FieldMarks(required=True)])
    name = StringField(_l("Name"), validators=[FieldMarks(required=True)])
    description = TextAreaField(_l("Description"))


class AddOrganisationForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=_int_or_none, validate_choice=False,
                                  validators=[FieldMarks(required=True)])


class AddPersonForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=_int_or_none, validate_choice=False,
                          validators=[FieldMarks(required=True)])
    role = SelectField(_l("Role in the group"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role in the group"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
