"""The event form's In schema (validation once; WTForms only renders and checks CSRF).

Times are typed in the event's own time zone and stored in UTC. The agenda is one item a line, "HH:MM Title"
(on the first day) or "YYYY-MM-DD HH:MM Title"."""
import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from expertnet.events.models import EVENT_LANGUAGES, Audience, EventKind
from expertnet.hub.models import Kind
from expertnet.i18n import TIME_ZONES
from expertnet.sensitivity import Tlp

AGENDA_LINE = re.compile(r"^\s*(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}):(\d{2})\s+(\S.*?)\s*$")
REQUIRED = {"required": _l("This field is required.")}


def _local(value: datetime, zone: str) -> datetime:
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


class EventIn(Schema):
    kind = fields.Enum(EventKind, by_value=True, required=True, error_messages=REQUIRED)
    title = fields.String(required=True, error_messages=REQUIRED, validate=[
        validate.Length(max=200, error=_l("Keep the title under 200 characters.")),
        validate.Regexp(r"\S", error=_l("This field is required."))])
    description = fields.String(load_default="", validate=validate.Length(
        max=10000, error=_l("Keep the description under 10,000 characters.")))
    languages = fields.List(fields.String(validate=validate.OneOf(EVENT_LANGUAGES)), required=True,
                            error_messages=REQUIRED,
                            validate=validate.Length(min=1, error=_l("Choose at least one language.")))
    starts_at = fields.NaiveDateTime(required=True, error_messages={
        **REQUIRED, "invalid": _l("Give a date and time.")})
    ends_at = fields.NaiveDateTime(required=True, error_messages={**REQUIRED, "invalid": _l("Give a date and time.")})
    time_zone = fields.String(required=True, error_messages=REQUIRED,
                              validate=validate.OneOf(sorted(TIME_ZONES), error=_l("Choose a time zone.")))
    online_url = fields.String(load_default="", validate=[
        validate.Length(max=500, error=_l("Keep the link under 500 characters.")),
        validate.Regexp(r"^(https?://\S+)?$", error=_l("Give a web address starting with https:// or http://."))])
    venue = fields.String(load_default="", validate=validate.Length(
        max=300, error=_l("Keep the venue under 300 characters.")))
    capacity = fields.Integer(load_default=None, allow_none=True, strict=False, validate=validate.Range(
        min=1, max=100000, error=_l("Give a number of seats from 1 to 100,000, or leave it empty for no limit.")),
        error_messages={"invalid": _l("Give a whole number of seats, or leave it empty for no limit.")})
    audience = fields.Enum(Audience, by_value=True, required=True, error_messages=REQUIRED)
    organisation_ids = fields.List(fields.Integer(strict=False), load_default=list)
    agenda = fields.String(load_default="", validate=validate.Length(
        max=5000, error=_l("Keep the agenda under 5,000 characters.")))
    topics = fields.List(fields.String(validate=validate.Length(max=64)), load_default=list,
                         validate=validate.Length(max=10, error=_l("Choose up to ten topics.")))

    @validates_schema(skip_on_field_errors=False)
    def check_together(self, data, **_kwargs):
        errors: dict[str, list] = {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            errors["ends_at"] = [_l("The end must be after the start.")]
        if not (data.get("online_url") or "").strip() and not (data.get("venue") or "").strip():
            errors["venue"] = [_l("Give an online link or a venue.")]
        if data.get("audience") == Audience.ORGANISATIONS and not data.get("organisation_ids"):
            errors["organisation_ids"] = [_l("Choose the organisations invited.")]
        if data.get("starts_at"):
            try:
                _agenda(data.get("agenda") or "", data["starts_at"].date())
            except ValueError as exc:
                errors["agenda"] = [_l("Line %(line)s: write each item as \"HH:MM Title\".", line=str(exc))]
        if errors:
            raise ValidationError(errors)

    @post_load
    def to_utc(self, data, **_kwargs):
        zone = data["time_zone"]
        items = _agenda(data["agenda"], data["starts_at"].date())
        data["agenda"] = [(_local(at, zone), title[:200]) for at, title in items]
        data["starts_at"], data["ends_at"] = _local(data["starts_at"], zone), _local(data["ends_at"], zone)
        data["title"], data["venue"] = data["title"].strip(), data["venue"].strip()
        return data


def _agenda(text: str, first_day: date) -> list[tuple[datetime, str]]:
    """(local start, title) per non-blank line, in the order written; ValueError(line number) for a bad line."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = AGENDA_LINE.match(line)
        if not found:
            raise ValueError(number)
        day_text, hour, minute, title = found.groups()
        try:
            day = date.fromisoformat(day_text) if day_text else first_day
            items.append((datetime.combine(day, time(int(hour), int(minute))), title))
        except ValueError:
            raise ValueError(number) from None
    return items


def agenda_text(event, zone: str) -> str:
    """The stored agenda written back as the form's lines, in the event's zone."""
    first_day = event.starts_at.astimezone(ZoneInfo(zone)).date()
    lines = []
    for item in event.agenda:
        local = item.starts_at.astimezone(ZoneInfo(zone))
        prefix = "" if local.date() == first_day else f"{local:%Y-%m-%d} "
        lines.append(f"{prefix}{local:%H:%M} {item.title}")
    return "\n".join(lines)


class MaterialIn(Schema):
    title = fields.String(load_default="", validate=validate.Length(
        max=200, error=_l("Keep the title under 200 characters.")))
    url = fields.String(load_default="", validate=[
        validate.Length(max=500, error=_l("Keep the link under 500 characters.")),
        validate.Regexp(r"^(https?://\S+)?$", error=_l("Give a web address starting with https:// or http://."))])


class PublishIn(Schema):
    """An event's materials published as one hub item: which materials, as what, under which label."""

    material_ids = fields.List(fields.Integer(strict=False), required=True, error_messages=REQUIRED,
                               validate=validate.Length(min=1, error=_l("Choose at least one material.")))
    kind = fields.Enum(Kind, by_value=True, required=True, error_messages=REQUIRED,
                       validate=validate.OneOf([Kind.WEBINAR, Kind.TRAINING], error=_l("Choose a kind.")))
    tlp = fields.Enum(Tlp, by_value=True, required=True, error_messages=REQUIRED,
                      validate=validate.OneOf([Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER], error=_l("Choose a label.")))
    title = fields.String(required=True, error_messages=REQUIRED, validate=[
        validate.Length(max=200, error=_l("Keep the title under 200 characters.")),
        validate.Regexp(r"\S", error=_l("This field is required."))])
    summary = fields.String(required=True, error_messages=REQUIRED, validate=[
        validate.Length(max=2000, error=_l("Keep the summary under 2,000 characters.")),
        validate.Regexp(r"\S", error=_l("This field is required."))])
