"""The organisers' forms (rendered and CSRF-checked by WTForms; EventIn validates)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateTimeLocalField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from expertnet.attachments.services import ACCEPT, UPLOAD_HINT
from expertnet.events.labels import AUDIENCE_LABELS, KIND_LABELS
from expertnet.events.models import EVENT_LANGUAGES
from expertnet.form_schema import FieldMarks
from expertnet.hub.labels import kind_label
from expertnet.hub.models import Kind
from expertnet.i18n import language_choices, time_zone_choices
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.services import leaf_topics

# What an event's materials become in the hub, and the labels the organiser may choose (the hub's own).
HUB_KINDS = (Kind.WEBINAR, Kind.TRAINING)
HUB_LABELS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()],
                       validators=[FieldMarks(required=True)])
    title = StringField(_l("Title"), validators=[FieldMarks(required=True)],
                        description=_l("As you want participants to read it, in the event's main language."))
    description = TextAreaField(_l("Description"), render_kw={"rows": 5, "dir": "auto"})
    languages = SelectMultipleField(_l("Languages of the event"), validators=[FieldMarks(required=True)])
    topics = SelectMultipleField(_l("Topics"), validate_choice=False,
                                 description=_l("What the event is about; its materials in the hub carry them."))
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMAT, validators=[Optional(), FieldMarks(required=True)])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMAT, validators=[Optional(), FieldMarks(required=True)])
    time_zone = SelectField(_l("Time zone of these times"), choices=time_zone_choices(), default="UTC")
    online_url = StringField(_l("Online link"), description=_l("Shown only to registered participants."))
    venue = StringField(_l("Venue"), render_kw={"dir": "auto"})
    capacity = IntegerField(_l("Seats"), validators=[Optional()],
                            description=_l("Leave empty for no limit. When the seats are taken, people join a waiting list."))
    audience = SelectField(_l("Audience"), choices=[(a.value, label) for a, label in AUDIENCE_LABELS.items()])
    organisation_ids = SelectMultipleField(_l("Organisations invited"), coerce=int, validate_choice=False,
                                           description=_l("Only for an audience of named organisations."))
    agenda = TextAreaField(_l("Agenda"), render_kw={"rows": 6, "dir": "auto"},
                           description=_l("One item a line: \"HH:MM Title\", or \"YYYY-MM-DD HH:MM Title\" on later days."))
    submit = SubmitField(_l("Save event"))

    def __init__(self, *args, locale: str = "en", organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices(EVENT_LANGUAGES, locale)
        self.topics.choices = [(t.slug, f"{t.parent.label(locale)} — {t.label(locale)}") for t in leaf_topics()]
        self.organisation_ids.choices = [(o.id, o.name) for o in organisations]


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"))
    file = FileField(_l("File"), description=UPLOAD_HINT, render_kw={"accept": ACCEPT})
    url = StringField(_l("Or a link"), description=_l("A web address starting with https://."))
    submit = SubmitField(_l("Add material"))


class ChecklistField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PublishForm(FlaskForm):
    """An event's materials as one hub item (PublishIn validates)."""

    material_ids = ChecklistField(_l("Materials"), coerce=int, validate_choice=False)
    kind = SelectField(_l("Kind of hub item"), choices=lambda: [(k.value, kind_label(k)) for k in HUB_KINDS])
    tlp = SelectField(_l("Label"), choices=[(t.value, t.value) for t in HUB_LABELS], default=Tlp.GREEN.value,
                      description=_l("TLP:CLEAR: anyone; TLP:GREEN: the whole network; TLP:AMBER: the organisations "
                                     "invited to the event."))
    title = StringField(_l("Title"), render_kw={"dir": "auto"})
    summary = TextAreaField(_l("Summary"), render_kw={"rows": 3, "dir": "auto"},
                            description=_l("What a reader finds in these materials."))
    submit = SubmitField(_l("Publish in the hub"))


class AttendanceForm(FlaskForm):
    attended = ChecklistField(_l("Present"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Save attendance"))
