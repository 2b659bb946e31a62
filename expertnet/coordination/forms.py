"""The desk's forms: queue filters (GET), triage actions, refine-and-invite, engagement upkeep."""
from datetime import date, timedelta

from flask_babel import get_locale, lazy_gettext as _l, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, Form, HiddenField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.widgets import HiddenInput
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from expertnet.coordination.desk import Refinement
from expertnet.coordination.labels import sla_state_label
from expertnet.coordination.queue import QUEUE_STATUSES, SAVED_VIEWS, SORTS
from expertnet.coordination.sla import SlaState
from expertnet.i18n import COUNTRY_CODES, REGION_NAMES, country_choices, language_choices, region_choices
from expertnet.requests.labels import status_label, urgency_label
from expertnet.requests.models import RequestStatus, Urgency
from expertnet.requests.schemas import LANGUAGES

# Languages, countries and regions are chosen from lists (a typed "Arabic" or "Jordan" used to match nobody);
# a value from elsewhere (an edited link) is refused with this message and the page answers 400.
NOT_A_COUNTRY = _l("Choose a country from the list.")
NOT_A_LANGUAGE = _l("Choose a language from the list.")
NOT_A_REGION = _l("Choose a region or a country from the list.")


def _place_code(value):
    """Country codes in capitals, region slugs in lower case, whichever way the link spelt them."""
    value = (value or "").strip()
    return value.upper() if value.upper() in COUNTRY_CODES else value.lower()


def _chosen_from(values, message):
    return [Optional(), AnyOf(sorted(values), message=message, values_formatter=lambda _values: "")]


# The coordinators' ranking of a request (1-5): "الأولوية", not the urgency level "Priority" ("ذو أولوية").
RANKING = lazy_pgettext("coordinators' ranking", "Priority")


def _queue_statuses():
    return ([("", _l("Not yet assigned"))] + [(s.value, status_label(s)) for s in QUEUE_STATUSES]
            + [("active", _l("Assigned or in progress"))])


class QueueFilterForm(Form):
    """Read from the query string; unknown values are refused by the choices, never trusted."""

    view = HiddenField(default="all", validators=[Optional(), AnyOf(list(SAVED_VIEWS))])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validators=[Optional()])
    urgency = SelectField(_l("Urgency"), validators=[Optional()])
    sla = SelectField(_l("SLA"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    country = SelectField(_l("Country"), validate_choice=False, filters=[_place_code],
                          validators=_chosen_from(COUNTRY_CODES, NOT_A_COUNTRY))
    lead = SelectField(_l("Lead coordinator"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), default="sla", validators=[Optional()])

    def __init__(self, formdata, topics, coordinators):
        super().__init__(formdata)
        self.status.choices = _queue_statuses()
        self.urgency.choices = [("", _l("Any"))] + [(u.value, urgency_label(u)) for u in Urgency]
        self.sla.choices = ([("", _l("Any")), ("slipping", _l("Due soon or overdue"))]
                            + [(s.value, sla_state_label(s)) for s in (SlaState.ON_TRACK, SlaState.DUE_SOON,
                                                                       SlaState.OVERDUE)])
        self.topic.choices = [("", _l("Any"))] + topics
        self.country.choices = [("", _l("Any"))] + country_choices(str(get_locale()))
        self.lead.choices = ([("", _l("Anyone")), ("me", _l("Me")), ("none", _l("Nobody yet"))]
                             + [(str(u.id), u.full_name) for u in coordinators])
        self.sort.choices = list(zip(SORTS, (_l("SLA due first"), _l("Oldest first"), RANKING,
                                             _l("Urgency"))))


class MoveRequestForm(FlaskForm):
    to_status = HiddenField(validators=[DataRequired(), AnyOf([s.value for s in RequestStatus])])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=4000)],
                         description=_l("Required to ask for information or to decline; the agency sees it."))
    confirm_close = BooleanField(_l("I have read these warnings and want to close the request anyway."))


class PriorityForm(FlaskForm):
    priority = SelectField(RANKING, coerce=int, choices=[
        (1, _l("1 — highest")), (2, "2"), (3, _l("3 — normal")), (4, "4"), (5, _l("5 — lowest"))])
    submit_priority = SubmitField(_l("Set priority"))


class LeadForm(FlaskForm):
    lead = SelectField(_l("Lead coordinator"), coerce=int)
    submit_lead = SubmitField(_l("Assign lead"))


class RefineForm(Form):
    """Refining the suggestions (GET): extra keywords, a required language or region, unavailable too."""

    keywords = StringField(_l("Extra keywords"), validators=[Optional(), Length(max=300)])
    language = SelectField(_l("Required language"), validate_choice=False, filters=[lambda v: (v or "").strip().lower()],
                           validators=_chosen_from(LANGUAGES, NOT_A_LANGUAGE))
    region = SelectField(_l("Required region or country"), validate_choice=False, filters=[_place_code],
                         validators=_chosen_from(set(REGION_NAMES) | COUNTRY_CODES, NOT_A_REGION))
    include_unavailable = BooleanField(_l("Include experts unavailable for the requested dates"))

    def __init__(self, formdata):
        super().__init__(formdata)
        locale = str(get_locale())
        self.language.choices = [("", _l("Any"))] + language_choices(LANGUAGES, locale)
        self.region.choices = {_l("No requirement"): [("", _l("Any"))], _l("Regions"): region_choices(),
                               _l("Countries"): country_choices(locale)}


def refinement_from(source) -> tuple[RefineForm, Refinement]:
    """The refinement of the suggestions from `source` (a page's query or form, the API's arguments): a value
    the form refuses is dropped from the ranking and said on its field."""
    form = RefineForm(source)
    form.validate()
    clean = {name: ("" if form[name].errors else (form[name].data or "")) for name in ("keywords", "language", "region")}
    include = source.get("include_unavailable") in ("y", "1", "on", "true", "True")
    return form, Refinement(clean["keywords"].strip(), clean["language"].strip(), clean["region"].strip(), include)


def _default_deadline() -> date:
    return date.today() + timedelta(days=7)


class InviteForm(FlaskForm):
    expert_ids = SelectMultipleField(_l("Experts to invite"), coerce=int,
                                     validators=[DataRequired(message=_l("Select at least one expert."))])
    message = TextAreaField(_l("Message to the experts"), validators=[DataRequired(), Length(max=4000)],
                            description=_l("Why you are asking them; they see it with the shareable summary."))
    respond_by = DateField(_l("Answer by"), default=_default_deadline, validators=[DataRequired()])
    # The refinement the list was ranked with, carried along; ids apart from the refine form's fields on the page.
    keywords = HiddenField(id="invite-keywords")
    language = HiddenField(id="invite-language")
    region = HiddenField(id="invite-region")
    include_unavailable = HiddenField(id="invite-include-unavailable")
    submit_invite = SubmitField(_l("Send invitations"))

    def validate_respond_by(self, field):
        if field.data and not date.today() < field.data <= date.today() + timedelta(days=60):
            raise ValidationError(_l("Choose a date from tomorrow to 60 days ahead."))


class IncludeExpertForm(FlaskForm):
    """Including an excluded expert in one request's suggestions (checked by schemas.IncludeExpertIn); the
    refinement the page showed comes along so the rule is judged as the coordinator saw it."""

    expert_id = IntegerField(widget=HiddenInput())
    reason = TextAreaField(_l("Why include this expert?"), render_kw={"maxlength": 2000, "required": True},
                           description=_l("Required; kept in the audit log."))
    keywords = HiddenField()
    language = HiddenField()
    region = HiddenField()
    include_unavailable = HiddenField()
    submit_include = SubmitField(_l("Include in the suggestions"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class PlanForm(FlaskForm):
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])
    submit_plan = SubmitField(_l("Save dates"))

    def validate_planned_end(self, field):
        if field.data and self.planned_start.data and field.data < self.planned_start.data:
            raise ValidationError(_l("The end cannot be before the start."))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    submit_milestone = SubmitField(_l("Add milestone"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=4000)])
    submit_note = SubmitField(_l("Add note"))


class EngagementActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class DashboardForm(Form):
    months = SelectField(_l("Period"), coerce=int, default=12, choices=[
        (3, _l("Last 3 months")), (6, _l("Last 6 months")), (12, _l("Last 12 months")), (0, _l("All time"))],
        validators=[Optional()])

