"""The admin audit log: the filter form, the filtered query and its CSV export."""
import json
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from expertnet.accounts.models import User
from expertnet.audit.models import AuditEvent
from expertnet.csv_safety import csv_text
from expertnet.extensions import db

CSV_HEADER = ("id", "occurred_at", "actor_id", "actor_email", "action", "object_type", "object_id", "ip_address",
              "details")
MAX_DB_INT = 2**31 - 1


class AuditFilterForm(FlaskForm):
    """Read from the query string (GET), so no CSRF token: filtering changes nothing."""

    class Meta:
        csrf = False

    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=64)])
    actor = StringField(_l("Who (e-mail or name contains)"), validators=[Optional(), Length(max=254)])
    object_type = SelectField(_l("Object type"), validators=[Optional()])
    object_id = IntegerField(_l("Object number"), validators=[Optional(), NumberRange(min=1, max=MAX_DB_INT)])
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("Until (date, inclusive)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.object_type.choices = [("", _l("Any"))] + [(name, name) for name in sorted(db.metadata.tables)]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def filtered_events(form: AuditFilterForm):
    """The events matching a validated form, newest first."""
    query = (sa.select(AuditEvent).options(sa.orm.selectinload(AuditEvent.actor))
             .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()))
    data = form.data
    if data["action"]:
        query = query.where(AuditEvent.action.startswith(data["action"].strip(), autoescape=True))
    if data["actor"]:
        text = data["actor"].strip()
        query = query.where(AuditEvent.actor_id.in_(sa.select(User.id).where(sa.or_(
            User.email.icontains(text, autoescape=True), User.full_name.icontains(text, autoescape=True)))))
    if data["object_type"]:
        query = query.where(AuditEvent.object_type == data["object_type"])
    if data["object_id"]:
        query = query.where(AuditEvent.object_id == data["object_id"])
    if data["date_from"]:
        query = query.where(AuditEvent.occurred_at >= _start_of(data["date_from"]))
    if data["date_to"]:
        query = query.where(AuditEvent.occurred_at < _start_of(data["date_to"] + timedelta(days=1)))
    return query


def active_filters(form: AuditFilterForm) -> dict:
    """The filters in use, as text, for the export's own audit row."""
    return {name: str(value) for name, value in form.data.items() if value not in (None, "")}


def events_csv(form: AuditFilterForm) -> tuple[str, int]:
    """(the CSV document, its number of rows); cells that a spreadsheet would run as formulas are neutralised."""
    rows = [(e.id, e.occurred_at.isoformat(), e.actor_id or "", e.actor.email if e.actor else "", e.action,
             e.object_type or "", e.object_id or "", e.ip_address or "",
             json.dumps(e.details, ensure_ascii=False, sort_keys=True))
            for e in db.session.scalars(filtered_events(form))]
    return csv_text(CSV_HEADER, rows), len(rows)
