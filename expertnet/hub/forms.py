"""Hub forms: WTForms renders and checks CSRF; `schemas.HubItemIn` decides (form_schema.load_form)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField

from expertnet.accounts.models import Organisation
from expertnet.attachments.services import ACCEPT, UPLOAD_HINT
from expertnet.extensions import db
from expertnet.form_schema import mark_max_lengths
from expertnet.groups.models import Group
from expertnet.hub.labels import KIND_LABELS, LABEL_DESCRIPTIONS, LANGUAGE_LABELS
from expertnet.hub.models import LANGUAGES
from expertnet.hub.schemas import HubItemIn
from expertnet.i18n import region_choices
from expertnet.taxonomy.services import leaf_topics


def _topic_choices(locale: str) -> list[tuple[str, str]]:
    return [(t.slug, t.label(locale)) for t in leaf_topics()]


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(LANGUAGE_LABELS[code])) for code in LANGUAGES]


class HubItemForm(FlaskForm):
    language = SelectField(_l("Language of this text"), choices=_language_choices)
    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary"), description=_l("What a reader sees in lists and search results."))
    body = TextAreaField(_l("Text"), description=_l("The guidance itself; optional when a file or link holds it."))
    note = StringField(_l("What changed"), description=_l("Kept with this version in the item's history."))
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    tlp = SelectField(_l("Sensitivity"), choices=[(k.value, v) for k, v in LABEL_DESCRIPTIONS.items()])
    audience = SelectMultipleField(_l("Organisations that may read it (TLP:AMBER)"), coerce=int)
    audience_groups = SelectMultipleField(_l("Groups whose members may read it (TLP:AMBER)"), coerce=int)
    topics = SelectMultipleField(_l("Topics"))
    regions = SelectMultipleField(_l("Regions"))
    sectors = StringField(_l("Audience sectors"), description=_l("Separated by commas, e.g. customs, industry."))
    external_url = StringField(_l("External link"), description=_l("A recording or page elsewhere (https://…)."))
    save = SubmitField(_l("Save"))

    def set_choices(self, locale: str) -> None:
        self.topics.choices = _topic_choices(locale)
        self.regions.choices = region_choices()
        self.audience.choices = [(o.id, o.name) for o in db.session.scalars(
            sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.name))]
        self.audience_groups.choices = [(g.id, g.name) for g in db.session.scalars(sa.select(Group).order_by(Group.name))]
        mark_max_lengths(self, HubItemIn())

    def schema_data(self) -> dict:
        data = {name: self[name].data for name in ("language", "title", "summary", "body", "note", "kind", "tlp",
                                                    "external_url")}
        # A field left empty is left out, so the schema's default applies (an empty link is no link).
        data = {name: value.strip() for name, value in data.items() if value and value.strip()}
        data.update(topics=list(self.topics.data or []), regions=list(self.regions.data or []),
                    audience=list(self.audience.data or []), audience_groups=list(self.audience_groups.data or []),
                    sectors=[s.strip() for s in (self.sectors.data or "").split(",") if s.strip()])
        return data

    def fill_from(self, item, language: str) -> None:
        text = next((t for t in item.texts if t.language == language), None)
        self.language.data = language
        if text is not None:
            self.title.data, self.summary.data, self.body.data = text.title, text.summary, text.body
        self.kind.data, self.tlp.data = item.kind.value, item.tlp.value
        self.audience.data = [o.id for o in item.audience]
        self.audience_groups.data = [g.id for g in item.audience_groups]
        self.topics.data = [t.slug for t in item.topics]
        self.regions.data = list(item.regions or [])
        self.sectors.data = ", ".join(item.sectors or [])
        self.external_url.data = item.external_url


class FileForm(FlaskForm):
    file = FileField(_l("File"), description=UPLOAD_HINT, render_kw={"accept": ACCEPT})
    upload = SubmitField(_l("Add the file"))


class MoveForm(FlaskForm):
    to = HiddenField()
    note = StringField(_l("Note"))


class ConfirmForm(FlaskForm):
    """A button alone (CSRF)."""


class LessonReviewForm(FlaskForm):
    """The owning agency's answer on a lesson: its text (in the lesson's language), label, approve or send back."""
    title = StringField(_l("Title"), render_kw={"dir": "auto"})
    summary = TextAreaField(_l("Summary"), render_kw={"dir": "auto"})
    body = TextAreaField(_l("Text"), description=_l("Problem, approach, outcome and what to reuse."),
                         render_kw={"dir": "auto", "rows": 12})
    tlp = SelectField(_l("Label"), choices=[(k.value, v) for k, v in LABEL_DESCRIPTIONS.items()],
                      description=_l("With TLP:AMBER, your organisation is named as the audience."))
    note = StringField(_l("Comment"), description=_l("Required when you send the lesson back."),
                       render_kw={"dir": "auto"})
    approve = SubmitField(_l("Approve the lesson"))
    send_back = SubmitField(_l("Send back to the coordinators"))

    def schema_data(self) -> dict:
        return {name: (self[name].data or "").strip() for name in ("title", "summary", "body", "tlp", "note")}


class DraftLessonForm(FlaskForm):
    """A button alone (CSRF) on the coordinator's engagement page."""
    draft = SubmitField(_l("Draft a lesson"))
