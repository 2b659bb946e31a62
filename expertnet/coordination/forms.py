"""The desk's forms: queue filters (GET), triage actions, refine-and-invite, engagement upkeep."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, Form, HiddenField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from expertnet.coordination.labels import sla_state_label
from expertnet.coordination.queue import QUEUE_STATUSES, SAVED_VIEWS, SORTS
from expertnet.coordination.sla import SlaState
from expertnet.requests.labels import status_label, urgency_label
from expertnet.requests.models import RequestStatus, Urgency


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
    country = StringField(_l("Country"), validators=[Optional(), Length(min=2, max=2)],
                          description=_l("Two-letter code, e.g. JO"))
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
        self.lead.choices = ([("", _l("Anyone")), ("me", _l("Me")), ("none", _l("Nobody yet"))]
                             + [(str(u.id), u.full_name) for u in coordinators])
        self.sort.choices = list(zip(SORTS, (_l("SLA due first"), _l("Oldest first"), _l("Priority"),
                                             _l("Urgency"))))


class MoveRequestForm(FlaskForm):
    to_status = HiddenField(validators=[DataRequired(), AnyOf([s.value for s in RequestStatus])])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=4000)],
                         description=_l("Required to ask for information or to decline; the agency sees it."))
    confirm_close = BooleanField(_l("I have read these warnings and want to close the request anyway."))


class PriorityForm(FlaskForm):
    priority = SelectField(_l("Priority"), coerce=int, choices=[
        (1, _l("1 — highest")), (2, "2"), (3, _l("3 — normal")), (4, "4"), (5, _l("5 — lowest"))])
    submit_priority = SubmitField(_l("Set priority"))


class LeadForm(FlaskForm):
    lead = SelectField(_l("Lead coordinator"), coerce=int)
    submit_lead = SubmitField(_l("Assign lead"))


class RefineForm(Form):
    """Refining the suggestions (GET): extra keywords, a required language or region, unavailable too."""

    keywords = StringField(_l("Extra keywords"), validators=[Optional(), Length(max=300)])
    language = StringField(_l("Required language"), validators=[Optional(), Length(min=2, max=3)],
                           description=_l("A language code, e.g. ar or fr"))
    region = StringField(_l("Required region or country"), validators=[Optional(), Length(max=40)],
                         description=_l("A country code (JO) or a region (mena)"))
    include_unavailable = BooleanField(_l("Include experts unavailable for the requested dates"))


def _default_deadline() -> date:
    return date.today() + timedelta(days=7)


class InviteForm(FlaskForm):
    expert_ids = SelectMultipleField(_l("Experts to invite"), coerce=int,
                                     validators=[DataRequired(message=_l("Select at least one expert."))])
    message = TextAreaField(_l("Message to the experts"), validators=[DataRequired(), Length(max=4000)],
                            description=_l("Why you are asking them; they see it with the shareable summary."))
    respond_by = DateField(_l("Answer by"), default=_default_deadline, validators=[DataRequired()])
    keywords = HiddenField()
    language = HiddenField()
    region = HiddenField()
    include_unavailable = HiddenField()
    submit_invite = SubmitField(_l("Send invitations"))

    def validate_respond_by(self, field):
        if field.data and not date.today() < field.data <= date.today() + timedelta(days=60):
            raise ValidationError(_l("Choose a date from tomorrow to 60 days ahead."))


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

