"""The public expert application form and the vetting decision form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from expertnet.taxonomy.forms import TopicCheckboxField
from expertnet.accounts.forms import PASSWORD_HELP, email_field, locale_choices


class ExpertApplicationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = email_field()
    affiliation = StringField(_l("Current affiliation"), validators=[DataRequired(), Length(max=200)],
                              description=_l("Your agency, company or institution."))
    headline = StringField(_l("Professional headline"), validators=[DataRequired(), Length(max=200)],
                           description=_l("For example: forensic chemist, 12 years of post-blast casework."))
    expertise_statement = TextAreaField(_l("Your expertise"), validators=[DataRequired(), Length(min=40, max=5000)],
                                        description=_l("What you know and have done, in a few sentences."))
    topics = TopicCheckboxField(_l("Topics"), coerce=str, validators=[DataRequired()],
                                 description=_l("Choose the topics you can advise on."))
    application_note = TextAreaField(_l("Note to the vetting team"), validators=[Optional(), Length(max=2000)],
                                     description=_l("Who can vouch for you, or anything else we should know."))
    locale = SelectField(_l("Language"), choices=locale_choices)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=12, max=200)],
                             description=PASSWORD_HELP)
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Send my application"))


class VettingDecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required when rejecting; the applicant sees it."))
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))
