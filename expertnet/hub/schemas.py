"""The hub item's In schema: one text (in one language) and the item's shared fields; the editor's form and
any later API load it."""
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from expertnet.hub.models import ITEM_LABELS, LANGUAGES, Kind
from expertnet.i18n import REGION_NAMES
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.queries import known_topic_slugs
from expertnet.web_input import RowId


class HubItemIn(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.Enum(Kind, by_value=True, required=True)
    tlp = fields.Enum(Tlp, by_value=True, required=True)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    summary = fields.String(required=True, validate=validate.Length(min=20, max=3000))
    body = fields.String(load_default="", validate=validate.Length(max=50000))
    topics = fields.List(fields.String(validate=validate.Length(max=64)), load_default=list,
                         validate=validate.Length(max=8))
    regions = fields.List(fields.String(validate=validate.OneOf(list(REGION_NAMES))), load_default=list)
    sectors = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list,
                          validate=validate.Length(max=10))
    audience = fields.List(RowId(), load_default=list)
    audience_groups = fields.List(RowId(), load_default=list)
    external_url = fields.Url(load_default="", schemes={"https", "http"}, validate=validate.Length(max=500))
    note = fields.String(load_default="", validate=validate.Length(max=300))

    @validates("tlp")
    def _hub_label(self, value, **_kwargs):
        if value not in ITEM_LABELS:
            raise ValidationError(_l("Choose TLP:CLEAR, TLP:GREEN or TLP:AMBER."))

    @validates("topics")
    def _known_topics(self, value, **_kwargs):
        unknown = set(value) - known_topic_slugs(value)
        if unknown:
            raise ValidationError(_l("Choose topics from the list."))

    @validates_schema(skip_on_field_errors=False)
    def _amber_names_organisations(self, data, **_kwargs):
        if data.get("tlp") == Tlp.AMBER and not (data.get("audience") or data.get("audience_groups")):
            raise ValidationError(_l("Name at least one organisation or group for a TLP:AMBER item."), "audience")


class LessonReviewIn(Schema):
    """The agency's answer: the lesson's text in its language and the label it chose."""
    class Meta:
        unknown = RAISE

    tlp = fields.Enum(Tlp, by_value=True, required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    summary = fields.String(required=True, validate=validate.Length(min=20, max=3000))
    body = fields.String(load_default="", validate=validate.Length(max=50000))
    note = fields.String(load_default="", validate=validate.Length(max=300))

    @validates("tlp")
    def _hub_label(self, value, **_kwargs):
        if value not in ITEM_LABELS:
            raise ValidationError(_l("Choose TLP:CLEAR, TLP:GREEN or TLP:AMBER."))
