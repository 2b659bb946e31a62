"""Sign-in, onboarding, password and settings forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, StopValidation

from expertnet.accounts.services import TIME_ZONE_REFUSED, normalise_email
from expertnet.i18n import LANGUAGE_NAMES, TIME_ZONES, time_zone_choices


def email_field() -> EmailField:
    """The one e-mail field: length is checked before format, and stops the chain (the format check is slow
    on megabytes); the value is NFKC-normalised first so that a full-width look-alike reads as the address
    it imitates."""
    return EmailField(_l("E-mail"), filters=[normalised_email],
                      validators=[DataRequired(), at_most_254_characters, Email()])


def at_most_254_characters(_form, field) -> None:
    if field.data and len(field.data) > 254:
        raise StopValidation(_l("An e-mail address has at most 254 characters."))


def normalised_email(value):
    return normalise_email(value) if isinstance(value, str) else value


PASSWORD_HELP = _l("At least 12 characters. A passphrase of several words is easiest to remember.")


def _new_password_fields():
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=12, max=200)],
                             description=PASSWORD_HELP)
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    return password, confirm


def locale_choices():
    return [("", _l("Browser default"))] + [(code, name) for code, name in LANGUAGE_NAMES.items()]


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class AcceptInvitationForm(FlaskForm):
    password, confirm = _new_password_fields()
    locale = SelectField(_l("Language"), choices=locale_choices)
    submit = SubmitField(_l("Create my account"))


class PasswordResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a reset link"))


class PasswordResetForm(FlaskForm):
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set the new password"))


def time_zone_field():
    """An IANA zone from the list (checked here with our own message, and again by the service)."""
    return SelectField(_l("Time zone"), choices=lambda: [("", _l("The network's default"))] + time_zone_choices(),
                       validate_choice=False, validators=[AnyOf(["", *TIME_ZONES], message=TIME_ZONE_REFUSED)],
                       description=_l("Dates and times are shown in this zone."))


class SettingsForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language"), choices=locale_choices)
    time_zone = time_zone_field()
    submit = SubmitField(_l("Save settings"))


class ApiTokenForm(FlaskForm):
    """A new personal API token (issue 16): its name, what it may do and how long it lives."""

    EXPIRY_DAYS = {"never": None, "30": 30, "90": 90, "365": 365}

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("What the token is for, such as the name of your case-management system."))
    scope = SelectField(_l("Permission"), choices=[("read", _l("Read only")), ("write", _l("Read and write"))],
                        validators=[AnyOf(["read", "write"])], default="read")
    expires = SelectField(_l("Expires"), default="90",
                          choices=[("30", _l("In 30 days")), ("90", _l("In 90 days")), ("365", _l("In a year")),
                                   ("never", _l("Never"))], validators=[AnyOf(list(EXPIRY_DAYS))])
    submit = SubmitField(_l("Create token"))


class ServiceAccountForm(ApiTokenForm):
    """A new service account of the member's organisation, and its first token."""

    name = StringField(_l("Name of the system"), validators=[DataRequired(), Length(max=200)],
                       description=_l("Such as the name of your case-management system; it names the account and "
                                      "its first token."))
    submit = SubmitField(_l("Create service account"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))
