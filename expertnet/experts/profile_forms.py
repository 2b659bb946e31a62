"""The expertise profile form: repeatable rows without JavaScript (a few blank rows to fill in), turned into
the ProfileIn payload so the form, the CSV import and the API share one validation. The fields only render
(FieldMarks: the `required`/`maxlength`/`min`/`max` the browser and reader see); ProfileIn and VettingIn check."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, IntegerField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)

from expertnet.experts.labels import (AVAILABILITY_LABELS, LEVEL_LABELS, PROFICIENCY_LABELS,
                                      PUBLICATION_KIND_LABELS, WORK_LANGUAGES)
from expertnet.form_schema import FieldMarks, submitted_value
from expertnet.i18n import country_choices, language_choices, region_choices

BLANK_ROWS = {"topics": 2, "languages": 1, "experiences": 1, "publications": 1, "blackouts": 1}


def _choices(labels: dict):
    return [(key.value, label) for key, label in labels.items()]


class TopicRow(Form):
    slug = SelectField(_l("Topic"), choices=[], validate_choice=False)
    level = SelectField(_l("Level"), choices=_choices(LEVEL_LABELS), default="practitioner")


class LanguageRow(Form):
    code = SelectField(_l("Language"), choices=[], validate_choice=False)
    proficiency = SelectField(_l("Proficiency"), choices=_choices(PROFICIENCY_LABELS), default="working")


class ExperienceRow(Form):
    role = StringField(_l("Role"), validators=[FieldMarks(maxlength=200)])
    organisation = StringField(_l("Organisation"), validators=[FieldMarks(maxlength=200)])
    start_year = IntegerField(_l("From (year)"), validators=[FieldMarks(min=1950, max=2100)])
    end_year = IntegerField(_l("To (year)"), validators=[FieldMarks(min=1950, max=2100)],
                            description=_l("Empty if current."))
    description = TextAreaField(_l("What you did"), validators=[FieldMarks(maxlength=3000)])


class PublicationRow(Form):
    kind = SelectField(_l("Kind"), choices=_choices(PUBLICATION_KIND_LABELS), default="publication")
    title = StringField(_l("Title"), validators=[FieldMarks(maxlength=300)])
    year = IntegerField(_l("Year"), validators=[FieldMarks(min=1950, max=2100)])
    summary = TextAreaField(_l("Abstract or summary"), validators=[FieldMarks(maxlength=3000)])


class BlackoutRow(Form):
    starts_on = DateField(_l("From"))
    ends_on = DateField(_l("Until"))
    note = StringField(_l("Note"), validators=[FieldMarks(maxlength=200)])


def _codes(values) -> list[str]:
    """The chosen codes (a client may still send "JO, EG" as one value: split, and let ProfileIn judge)."""
    parts = (part.strip() for value in (values or []) for part in str(value).replace(";", ",").split(","))
    return [part for part in parts if part]


class ProfileForm(FlaskForm):
    headline = StringField(_l("Professional headline"), validators=[FieldMarks(maxlength=200)],
                           description=_l("One line; weighted most when requests are matched."))
    affiliation = StringField(_l("Current affiliation"), validators=[FieldMarks(maxlength=200)])
    expertise_statement = TextAreaField(_l("Your expertise"), validators=[FieldMarks(maxlength=5000)],
                                        description=_l("What you know and have done, in the words agencies use."))
    biography = TextAreaField(_l("Biography"), validators=[FieldMarks(maxlength=10000)])
    topics = FieldList(FormField(TopicRow), label=_l("Topics"))
    languages = FieldList(FormField(LanguageRow), label=_l("Languages"))
    experiences = FieldList(FormField(ExperienceRow), label=_l("Experience"))
    publications = FieldList(FormField(PublicationRow), label=_l("Publications and trainings given"))
    # Countries and regions are chosen from lists (names in the reader's language, codes as values); what is
    # posted still goes to ProfileIn, which refuses anything that is not a code.
    countries = SelectMultipleField(_l("Countries of experience"), choices=[], validate_choice=False)
    regions = SelectMultipleField(_l("Regions"), choices=[], validate_choice=False)
    willing_to_travel = BooleanField(_l("I am willing to travel for missions"))
    capacity = IntegerField(_l("Maximum concurrent engagements"), default=2, validators=[FieldMarks(min=0, max=20)])
    availability = SelectField(_l("Availability"), choices=_choices(AVAILABILITY_LABELS), default="available")
    unavailable_until = DateField(_l("Unavailable until"),
                                  description=_l("When unavailable: the date you can take work again (empty: until further notice)."))
    blackouts = FieldList(FormField(BlackoutRow), label=_l("Periods when you cannot work"))
    conflict_organisation_ids = SelectMultipleField(_l("Organisations you must not serve"), coerce=int, choices=[],
                                                    description=_l("Declared conflicts of interest: you will not be proposed to them."))
    conflict_countries = SelectMultipleField(_l("Countries you must not serve"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save my profile"))

    def set_choices(self, topics: list, organisations: list, locale: str) -> None:
        topic_choices = [("", "—")] + [(t.slug, t.label(locale)) for t in topics]
        spoken = [("", "—")] + language_choices(WORK_LANGUAGES, locale)
        for row in self.topics:
            row.form.slug.choices = topic_choices
        for row in self.languages:
            row.form.code.choices = spoken
        self.conflict_organisation_ids.choices = [(o.id, o.name) for o in organisations]
        self.countries.choices = self.conflict_countries.choices = country_choices(locale)
        self.regions.choices = region_choices(kept=self.regions.data or ())

    def fill_from(self, profile) -> None:
        """GET: the stored profile plus a few blank rows."""
        for name in ("headline", "affiliation", "expertise_statement", "biography", "willing_to_travel", "capacity",
                     "unavailable_until"):
            getattr(self, name).data = getattr(profile, name)
        self.availability.data = profile.availability.value
        self.countries.data, self.regions.data = list(profile.countries or []), list(profile.regions or [])
        self.conflict_countries.data = list(profile.conflict_countries or [])
        self.conflict_organisation_ids.data = [o.id for o in profile.conflict_organisations]
        rows = {
            "topics": [{"slug": t.topic.slug, "level": t.level.value} for t in profile.topics],
            "languages": list(profile.languages or []),
            "experiences": [{k: getattr(e, k) for k in ("role", "organisation", "start_year", "end_year", "description")}
                            for e in profile.experiences],
            "publications": [{"kind": p.kind.value, "title": p.title, "year": p.year, "summary": p.summary}
                             for p in profile.publications],
            "blackouts": [{"starts_on": b.starts_on, "ends_on": b.ends_on, "note": b.note} for b in profile.blackouts],
        }
        for name, entries in rows.items():
            field = getattr(self, name)
            while field.entries:
                field.pop_entry()
            for entry in entries + [{}] * BLANK_ROWS[name]:
                field.append_entry(entry)

    def ensure_blank_rows(self) -> None:
        """After a failed POST: keep one blank row per list to add more."""
        for name in BLANK_ROWS:
            field = getattr(self, name)
            if not field.entries or any(v not in (None, "") for v in field.entries[-1].data.values()
                                        if not isinstance(v, bool)):
                field.append_entry({})

    def to_payload(self) -> tuple[dict, dict]:
        """(ProfileIn payload, payload row index -> form row index per list); blank rows are dropped."""
        payload = {name: getattr(self, name).data or "" for name in
                   ("headline", "affiliation", "expertise_statement", "biography")}
        payload.update(willing_to_travel=bool(self.willing_to_travel.data), capacity=submitted_value(self.capacity),
                       availability=self.availability.data, countries=_codes(self.countries.data),
                       regions=[r.lower() for r in _codes(self.regions.data)],
                       conflict_countries=_codes(self.conflict_countries.data),
                       conflict_organisation_ids=list(submitted_value(self.conflict_organisation_ids) or []),
                       unavailable_until=_iso(submitted_value(self.unavailable_until)))
        positions = {}
        for name, key in (("topics", "slug"), ("languages", "code"), ("experiences", "role"),
                          ("publications", "title"), ("blackouts", "starts_on")):
            rows, positions[name] = [], {}
            for index, entry in enumerate(getattr(self, name).entries):
                values = {field.short_name: _iso(submitted_value(field)) for field in entry.form}
                data = {k: v for k, v in values.items() if v is not None}  # left out: the schema's default
                if data.get(key) in (None, ""):
                    continue
                positions[name][len(rows)] = index
                rows.append(data)
            payload[name] = rows
        return payload, positions


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class VettingFieldsForm(FlaskForm):
    """Coordinators only: change a decided vetting status (suspend, reinstate)."""

    vetting_status = SelectField(_l("Vetting status"), choices=[])
    vetting_reason = TextAreaField(_l("Reason"), validators=[FieldMarks(maxlength=2000)])
    submit = SubmitField(_l("Save the vetting status"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8)"), description=_l(
        "Columns: email, full_name, affiliation, headline, expertise_statement, biography, topics (slug:level; ...), "
        "languages (code:proficiency; ...), countries, regions, capacity, locale."))
    send_links = BooleanField(_l("E-mail each expert a link to set their password"), default=True)
    submit = SubmitField(_l("Import"))
