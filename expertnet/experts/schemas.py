"""Expert profile schemas: one In schema for the profile form, the CSV import and the API; Out schemas for the
expert's own data export (everything about them) and a reduced public card."""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from expertnet.accounts.models import Organisation
from expertnet.experts.models import Availability, Proficiency, PublicationKind, TopicLevel, VettingStatus
from expertnet.extensions import db
from expertnet.taxonomy.queries import known_topic_slugs
from expertnet.web_input import RowId

# Worded as the profile page's fields said it before this schema became their only check.
TOO_LONG = _l("Field cannot be longer than {max} characters.")
LENGTH_BETWEEN = _l("Field must be between {min} and {max} characters long.")
NUMBER_BETWEEN = _l("Number must be between {min} and {max}.")
NOT_A_CHOICE = {"unknown": _l("Not a valid choice.")}
NOT_A_NUMBER = {"invalid": _l("Not a valid integer value."), "null": _l("Not a valid integer value.")}
NOT_A_DATE = {"invalid": _l("Not a valid date value.")}

LANGUAGE_CODE = validate.Regexp(r"^[a-z]{2,3}$", error=_l("Use an ISO 639-1 language code such as en or ar."))
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
REGION_SLUG = validate.Regexp(r"^[a-z][a-z0-9-]{1,39}$", error=_l("Use a short region slug such as middle-east."))
YEAR = validate.Range(min=1950, max=2100, error=NUMBER_BETWEEN)


def _text(max_length: int, min_length: int | None = None) -> validate.Length:
    return validate.Length(min=min_length, max=max_length, error=TOO_LONG if min_length is None else LENGTH_BETWEEN)


def _year(**options) -> fields.Integer:
    return fields.Integer(strict=True, validate=YEAR, error_messages=NOT_A_NUMBER, **options)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class CountryCode(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not COUNTRY_CODE.match(value):
            raise ValidationError(_l("Use a two-letter ISO country code such as JO."))
        return value


class TopicIn(Strict):
    slug = fields.String(required=True, validate=validate.Length(max=64))
    level = fields.Enum(TopicLevel, by_value=True, load_default=TopicLevel.PRACTITIONER, error_messages=NOT_A_CHOICE)


class LanguageIn(Strict):
    code = fields.String(required=True, validate=LANGUAGE_CODE)
    proficiency = fields.Enum(Proficiency, by_value=True, load_default=Proficiency.WORKING, error_messages=NOT_A_CHOICE)


class ExperienceIn(Strict):
    role = fields.String(required=True, validate=_text(200, min_length=2))
    organisation = fields.String(load_default="", validate=_text(200))
    start_year = _year(required=True)
    end_year = _year(load_default=None, allow_none=True)
    description = fields.String(load_default="", validate=_text(3000))

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if data.get("end_year") is not None and data["end_year"] < data["start_year"]:
            raise ValidationError(_l("The end year is before the start year."), "end_year")


class PublicationIn(Strict):
    kind = fields.Enum(PublicationKind, by_value=True, load_default=PublicationKind.PUBLICATION,
                       error_messages=NOT_A_CHOICE)
    title = fields.String(required=True, validate=_text(300, min_length=2))
    year = _year(load_default=None, allow_none=True)
    summary = fields.String(load_default="", validate=_text(3000))


class BlackoutIn(Strict):
    starts_on = fields.Date(required=True, error_messages=NOT_A_DATE)
    ends_on = fields.Date(required=True, error_messages=NOT_A_DATE)
    note = fields.String(load_default="", validate=_text(200))

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError(_l("The period ends before it starts."), "ends_on")


class ProfileIn(Strict):
    """What an expert may change about themselves (vetting is not here: coordinators only)."""

    headline = fields.String(load_default="", validate=_text(200))
    affiliation = fields.String(load_default="", validate=_text(200))
    biography = fields.String(load_default="", validate=_text(10000))
    expertise_statement = fields.String(load_default="", validate=_text(5000))
    topics = fields.List(fields.Nested(TopicIn), load_default=list, validate=validate.Length(max=20))
    experiences = fields.List(fields.Nested(ExperienceIn), load_default=list, validate=validate.Length(max=30))
    publications = fields.List(fields.Nested(PublicationIn), load_default=list, validate=validate.Length(max=50))
    languages = fields.List(fields.Nested(LanguageIn), load_default=list, validate=validate.Length(max=12))
    countries = fields.List(CountryCode(), load_default=list, validate=validate.Length(max=60))
    regions = fields.List(fields.String(validate=REGION_SLUG), load_default=list, validate=validate.Length(max=20))
    willing_to_travel = fields.Boolean(load_default=False)
    capacity = fields.Integer(strict=True, load_default=2, validate=validate.Range(min=0, max=20, error=NUMBER_BETWEEN),
                              error_messages=NOT_A_NUMBER)
    availability = fields.Enum(Availability, by_value=True, load_default=Availability.AVAILABLE,
                               error_messages=NOT_A_CHOICE)
    unavailable_until = fields.Date(load_default=None, allow_none=True, error_messages=NOT_A_DATE)
    blackouts = fields.List(fields.Nested(BlackoutIn), load_default=list, validate=validate.Length(max=20))
    conflict_organisation_ids = fields.List(RowId(), load_default=list, validate=validate.Length(max=50))
    conflict_countries = fields.List(CountryCode(), load_default=list, validate=validate.Length(max=50))

    @validates("topics")
    def _topics_known(self, value, **_kwargs):
        slugs = [item["slug"] for item in value]
        unknown = set(slugs) - known_topic_slugs(slugs)
        if unknown:
            raise ValidationError(_l("Unknown topics: %(topics)s", topics=", ".join(sorted(unknown))))
        if len(set(slugs)) != len(slugs):
            raise ValidationError(_l("A topic is listed twice."))

    @validates("languages")
    def _languages_once(self, value, **_kwargs):
        codes = [item["code"] for item in value]
        if len(set(codes)) != len(codes):
            raise ValidationError(_l("A language is listed twice."))

    @validates("conflict_organisation_ids")
    def _organisations_active(self, value, **_kwargs):
        active = set(db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(value),
                                                                         Organisation.is_active)))
        if set(value) - active:
            raise ValidationError(NOT_A_CHOICE["unknown"])


class VettingIn(Strict):
    """Coordinators only."""

    vetting_status = fields.Enum(VettingStatus, by_value=True, required=True, error_messages=NOT_A_CHOICE)
    vetting_reason = fields.String(load_default="", validate=_text(2000))


class TopicOut(Schema):
    slug = fields.Function(lambda et: et.topic.slug)
    level = fields.Enum(TopicLevel, by_value=True)


class ExperienceOut(Schema):
    role, organisation, description = fields.String(), fields.String(), fields.String()
    start_year, end_year = fields.Integer(), fields.Integer()


class PublicationOut(Schema):
    kind = fields.Enum(PublicationKind, by_value=True)
    title, summary, year = fields.String(), fields.String(), fields.Integer()


class BlackoutOut(Schema):
    starts_on, ends_on, note = fields.Date(), fields.Date(), fields.String()


class ProfileOut(Schema):
    """The expert's own view of their profile (also the JSON export's core)."""

    id = fields.Integer()
    full_name = fields.Function(lambda p: p.user.full_name)
    email = fields.Function(lambda p: p.user.email)
    headline, affiliation, biography, expertise_statement = (fields.String(), fields.String(), fields.String(),
                                                             fields.String())
    topics = fields.List(fields.Nested(TopicOut))
    experiences = fields.List(fields.Nested(ExperienceOut))
    publications = fields.List(fields.Nested(PublicationOut))
    languages = fields.Raw()
    countries, regions, conflict_countries = fields.Raw(), fields.Raw(), fields.Raw()
    conflict_organisations = fields.Function(lambda p: [o.name for o in p.conflict_organisations])
    willing_to_travel = fields.Boolean()
    capacity, commitments = fields.Integer(), fields.Integer()
    availability = fields.Enum(Availability, by_value=True)
    unavailable_until = fields.Date()
    blackouts = fields.List(fields.Nested(BlackoutOut))
    vetting_status = fields.Enum(VettingStatus, by_value=True)
    vetted_at = fields.DateTime()
    deactivation_requested_at = fields.DateTime()
    created_at, updated_at = fields.DateTime(), fields.DateTime()


class ProfileInputOut(Schema):
    """The profile in `ProfileIn`'s own shape, so that a partial change (the API's PATCH) is the stored profile
    with the sent fields over it, loaded and judged by `ProfileIn` as a whole, as the page's form is."""

    headline, affiliation, biography, expertise_statement = (fields.String(), fields.String(), fields.String(),
                                                             fields.String())
    topics = fields.List(fields.Nested(TopicOut))
    experiences = fields.List(fields.Nested(ExperienceOut))
    publications = fields.List(fields.Nested(PublicationOut))
    languages, countries, regions, conflict_countries = fields.Raw(), fields.Raw(), fields.Raw(), fields.Raw()
    willing_to_travel = fields.Boolean()
    capacity = fields.Integer()
    availability = fields.Enum(Availability, by_value=True)
    unavailable_until = fields.Date()
    blackouts = fields.List(fields.Nested(BlackoutOut))
    conflict_organisation_ids = fields.Function(lambda p: [o.id for o in p.conflict_organisations])


def changed_profile(profile, changes: dict) -> dict:
    """`ProfileIn`'s load of the profile with `changes` (raw JSON fields) over it: a ValidationError if the
    result is not a valid profile."""
    return ProfileIn().load({**ProfileInputOut().dump(profile), **changes})
