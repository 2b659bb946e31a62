"""Admin forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from expertnet.accounts.forms import email_field, locale_choices
from expertnet.i18n import country_choices
from expertnet.accounts.labels import ORGANISATION_KIND_LABELS, ROLE_LABELS
from expertnet.accounts.models import Role


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save organisation"))

    def __init__(self, *args, locale: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country"))] + country_choices(locale)


class InviteUserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = email_field()
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r]) for r in (Role.MEMBER, Role.COORDINATOR,
                                                                                  Role.ADMIN)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False,
                                  description=_l("Required for member agency officers."))
    locale = SelectField(_l("Language of the invitation e-mail"), choices=locale_choices)
    submit = SubmitField(_l("Send invitation"))


class UserRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Change role"))


class ConfirmForm(FlaskForm):
    """A bare form for POST-only actions: it carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))


# The languages a topic's label and description are kept in (the form has a field for each).
LABEL_LOCALES = ("en", "ar", "fr", "es")
DESCRIPTION_LOCALES = ("en", "ar")


class TopicForm(FlaskForm):
    label_en = StringField(_l("Label (English)"), validators=[DataRequired(), Length(max=120)])
    label_ar = StringField(_l("Label (Arabic)"), validators=[DataRequired(), Length(max=120)])
    label_fr = StringField(_l("Label (French)"), validators=[Optional(), Length(max=120)])
    label_es = StringField(_l("Label (Spanish)"), validators=[Optional(), Length(max=120)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=500)])
    description_ar = TextAreaField(_l("Description (Arabic)"), validators=[Optional(), Length(max=500)])
    is_active = BooleanField(_l("Active"))
    submit = SubmitField(_l("Save topic"))
