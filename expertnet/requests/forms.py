"""Request forms. RequestForm renders fields and checks CSRF; the rules live in `schemas.RequestIn`, which the API
shares (see form_schema.load_form), and its errors are shown on the fields with translated explanations."""
from babel.lists import format_list
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from expertnet.attachments.services import ACCEPT, UPLOAD_HINT, clean_filename
from expertnet.chemicals.services import live_substances, request_substances
from expertnet.chemicals.tagging import substance_choices
from expertnet.form_schema import FieldMarks, mark_max_lengths, submitted_value
from expertnet.i18n import country_choices, language_choices
from expertnet.requests import labels
from expertnet.requests.models import SUBSTANCE_TEXT_FIELDS
from expertnet.requests.schemas import LANGUAGES, RequestIn
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.services import leaf_topics

# What to tell the officer when the schema refuses a field.
FIELD_HELP = {
    "title": _l("Give a title of 3 to 200 characters."),
    "summary": _l("Write a shareable summary of 20 to 2,000 characters."),
    "gap_statement": _l("Describe the gap in 40 to 10,000 characters."),
    "annex": _l("The annex may hold up to 10,000 characters."),
    "desired_outcome": _l("The desired outcome may hold up to 5,000 characters."),
    "topics": _l("Choose one to five topics from the list."),
    "sectors": _l("List up to ten sectors, separated by commas."),
    "languages": _l("Choose up to six working languages from the list."),
    "country": _l("Choose a country from the list."),
    "urgency_reason": _l("Say why the request is urgent."),
    "start_date": _l("Give a valid date."),
    "end_date": _l("The end date must be on or after the start date."),
    "experts_wanted": _l("Ask for 1 to 10 experts."),
    "authorised_declaration": _l("Confirm that you are authorised to make this request."),
}
GENERIC_HELP = _l("Check this field.")


def _enum_choices(mapping):
    return [(key.value, label) for key, label in mapping.items()]


def _tlp_choices():
    return _enum_choices(labels.TLP_DESCRIPTIONS)


def _country_choices(locale: str):
    return [("", _l("Choose a country"))] + country_choices(locale)


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), description=_l("One line that says what you need."))
    summary = TextAreaField(_l("Shareable summary"),
                            description=_l("What invited experts see before they accept the confidentiality terms."))
    summary_tlp = SelectField(_l("Sensitivity of the summary"), choices=_tlp_choices, default=Tlp.GREEN.value)
    gap_statement = TextAreaField(_l("The gap"), description=_l(
        "What your agency cannot do today, and why it matters. Only named recipients read this."))
    detail_tlp = SelectField(_l("Sensitivity of the gap description"), choices=_tlp_choices, default=Tlp.AMBER.value)
    desired_outcome = TextAreaField(_l("Desired outcome"),
                                    description=_l("What should be different when the help is over."))
    annex = TextAreaField(_l("Annex (optional)"),
                          description=_l("Site- or vulnerability-specific details, if the experts will need them."))
    annex_tlp = SelectField(_l("Sensitivity of the annex"), choices=_tlp_choices, default=Tlp.RED.value)
    gap_type = SelectField(_l("Type of gap"), choices=lambda: _enum_choices(labels.GAP_TYPE_LABELS))
    topics = SelectMultipleField(_l("Topics"), description=_l("Choose one to five."))
    sectors = StringField(_l("Sectors"), description=_l("For example: ports, border crossings (comma-separated)."))
    substances = SelectMultipleField(_l("Substances of concern (optional)"), coerce=int, validate_choice=False,
                                     description=_l("Chemicals of the register the request concerns. Filter by "
                                                    "name in any language or by CAS number."))
    # The substances named in the text when the form was drawn (suggested to the officer, who may untick them).
    substances_offered = HiddenField()
    modality = SelectField(_l("Kind of help"), choices=lambda: _enum_choices(labels.MODALITY_LABELS))
    languages = SelectMultipleField(_l("Working languages"))
    country = SelectField(_l("Country where help is needed"))
    urgency = SelectField(_l("Urgency"), choices=lambda: _enum_choices(labels.URGENCY_LABELS))
    urgency_reason = TextAreaField(_l("Why is it urgent?"), description=_l("Required for urgent requests."))
    start_date = DateField(_l("Earliest start"))
    end_date = DateField(_l("Latest completion"))
    experts_wanted = IntegerField(_l("Number of experts"), default=1, validators=[FieldMarks(required=True, min=1, max=10)])
    consent_statistics = BooleanField(_l("The summary may be counted in the network's anonymised statistics"))
    authorised_declaration = BooleanField(_l("I am authorised by my agency to make this request"))
    # Files added while filing (the new-request form only): stored with the new request, or nothing is.
    files = MultipleFileField(_l("Files (optional)"), description=UPLOAD_HINT, render_kw={"accept": ACCEPT})
    files_tlp = SelectField(_l("Sensitivity of the files"), choices=_tlp_choices, default=Tlp.AMBER.value)
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit request"))

    def set_choices(self) -> None:
        self.title.flags.required = True  # marked for the officer; RequestIn enforces it
        locale = str(get_locale())
        self.topics.choices = [(t.slug, f"{t.parent.label(locale)} — {t.label(locale)}") for t in leaf_topics()]
        self.languages.choices = language_choices(LANGUAGES, locale)
        self.country.choices = _country_choices(locale)
        self.substance_search = substance_choices(self.substances, live_substances(), locale)
        mark_max_lengths(self, RequestIn())

    def uploads(self) -> list:
        """The files chosen in `files` (a browser sends an empty part when none is)."""
        return [upload for upload in self.files.data or () if upload and upload.filename]

    def ask_to_add_files_again(self) -> None:
        """A form drawn again cannot keep the chosen files: say which ones to choose again."""
        names = [clean_filename(upload.filename) for upload in self.uploads()]
        if names:
            self.files.errors = [*self.files.errors, _(
                "Nothing is saved yet, and the browser does not keep chosen files: choose again %(names)s.",
                names=format_list(names, locale=str(get_locale())))]

    def schema_data(self) -> dict:
        """The form's values in RequestIn's shape (the schema then decides)."""
        data = {name: submitted_value(getattr(self, name)) for name in (
            "title", "summary", "summary_tlp", "gap_statement", "detail_tlp", "desired_outcome", "annex", "annex_tlp",
            "gap_type", "topics", "modality", "languages", "urgency", "urgency_reason", "experts_wanted",
            "consent_statistics", "authorised_declaration")}
        # A browser sends a line break as two characters; count and keep it as one, as the counter does.
        data = {k: (v.replace("\r\n", "\n") if isinstance(v, str) else v if v is not None else "")
                for k, v in data.items()}
        data["sectors"] = [s.strip() for s in (self.sectors.data or "").split(",") if s.strip()]
        data["country"] = self.country.data or None
        for name in ("start_date", "end_date"):
            value = submitted_value(getattr(self, name))
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data

    def texts(self) -> str:
        """What the officer wrote, where the register's substances are looked for."""
        return "\n".join(str(getattr(self, name).data or "") for name in SUBSTANCE_TEXT_FIELDS)

    def offered_ids(self) -> set[int]:
        return {int(part) for part in (self.substances_offered.data or "").split(",") if part.strip().isdigit()}

    @staticmethod
    def help_for(name: str) -> str:
        """What to tell the officer when the schema refuses field `name`."""
        return str(FIELD_HELP.get(name, GENERIC_HELP))

    def fill_from(self, assistance_request) -> None:
        r = assistance_request
        for name in ("title", "summary", "gap_statement", "desired_outcome", "annex", "urgency_reason",
                     "experts_wanted", "start_date", "end_date", "consent_statistics", "authorised_declaration"):
            getattr(self, name).data = getattr(r, name)
        for name in ("summary_tlp", "detail_tlp", "annex_tlp", "gap_type", "modality", "urgency"):
            getattr(self, name).data = getattr(r, name).value
        self.topics.data = [t.slug for t in r.topics]
        self.substances.data = [s.id for s in request_substances(r.id)]
        self.languages.data = list(r.languages or [])
        self.sectors.data = ", ".join(r.sectors or [])
        self.country.data = r.country or ""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[InputRequired(), Length(max=5000)],
                           description=_l("The coordinators receive it and the request returns to triage."))


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[InputRequired(), Length(max=5000)])
    internal = BooleanField(_l("Internal note (coordinators only; the agency never sees it)"))


class TransitionForm(FlaskForm):
    to_status = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note or reason"), validators=[Length(max=2000)],
                         description=_l("Required to reject, request information or put on hold; the agency sees it."))


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[InputRequired()], description=UPLOAD_HINT, render_kw={"accept": ACCEPT})
    tlp = SelectField(_l("Sensitivity"), choices=_tlp_choices, default=Tlp.AMBER.value)


class FeedbackForm(FlaskForm):
    usefulness = SelectField(_l("Usefulness"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)])
    timeliness = SelectField(_l("Timeliness"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)])
    expertise = SelectField(_l("Expertise"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    send = SubmitField(_l("Send feedback"))


class ListFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"))
    # Filters never fail the page: an unknown value simply matches nothing (see listing.filtered).
    status = SelectField(_l("Status"), validate_choice=False)
    topic = SelectField(_l("Topic"), validate_choice=False)
    waiting = BooleanField(_l("Waiting for our answer or feedback"))
    since = DateField(_l("Filed since"), validators=[Optional()])
    until = DateField(_l("Filed until"), validators=[Optional()])
