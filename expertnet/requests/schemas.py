"""Request schemas: one In schema shared by the form and the API; a full Out schema for the agency and
coordinators; a reduced Out schema (need-to-know) for invited experts who have not accepted the terms.

Text is kept exactly as typed (a `<script>` tag stays text); templates and JSON escape it on output.
"""
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from expertnet.attachments.services import attachments_of
from expertnet.i18n import COUNTRY_CODES
from expertnet.requests.models import GapType, Modality, RequestStatus, Urgency
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.queries import known_topic_slugs

# Working languages an agency may ask for (ISO 639-1); the network meets in English and Arabic.
LANGUAGES = ("ar", "en", "fr", "es", "ru", "zh", "pt", "de", "it", "nl", "tr", "fa", "ur", "hi", "id", "ms",
             "sw", "ha", "am", "uk", "pl", "ro", "ja", "ko", "th", "vi")
MAX_TOPICS = 5

_text = dict(load_default="")


class RequestIn(Schema):
    """What an agency may write. A draft needs only a title; `SubmittedRequestIn` adds what submission needs."""

    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    summary = fields.String(validate=validate.Length(max=2000), **_text)
    gap_statement = fields.String(validate=validate.Length(max=10000), **_text)
    annex = fields.String(validate=validate.Length(max=10000), **_text)
    desired_outcome = fields.String(validate=validate.Length(max=5000), **_text)
    gap_type = fields.Enum(GapType, by_value=True, load_default=GapType.KNOWLEDGE)
    modality = fields.Enum(Modality, by_value=True, load_default=Modality.REMOTE_ADVICE)
    topics = fields.List(fields.String(validate=validate.Length(max=64)), load_default=list,
                         validate=validate.Length(max=MAX_TOPICS))
    sectors = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list,
                          validate=validate.Length(max=10))
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), load_default=list,
                            validate=validate.Length(max=6))
    country = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        COUNTRY_CODES, error=_l("Use a two-letter ISO country code such as JO.")))
    urgency = fields.Enum(Urgency, by_value=True, load_default=Urgency.ROUTINE)
    urgency_reason = fields.String(validate=validate.Length(max=2000), **_text)
    start_date = fields.Date(load_default=None, allow_none=True)
    end_date = fields.Date(load_default=None, allow_none=True)
    experts_wanted = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=10))
    summary_tlp = fields.Enum(Tlp, by_value=True, load_default=Tlp.GREEN)
    detail_tlp = fields.Enum(Tlp, by_value=True, load_default=Tlp.AMBER)
    annex_tlp = fields.Enum(Tlp, by_value=True, load_default=Tlp.RED)
    consent_statistics = fields.Boolean(load_default=False)
    authorised_declaration = fields.Boolean(load_default=False)

    @validates("topics")
    def _topics_known(self, value, **_kwargs):
        unknown = set(value) - known_topic_slugs(value)
        if unknown:
            raise ValidationError(f"Unknown topics: {', '.join(sorted(unknown))}")
        if len(set(value)) != len(value):
            raise ValidationError("A topic is listed twice.")

    @validates_schema
    def _consistent(self, data, **_kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("The end date is before the start date.", "end_date")
        if data.get("urgency") == Urgency.URGENT and not (data.get("urgency_reason") or "").strip():
            raise ValidationError("Say why the request is urgent.", "urgency_reason")


class SubmittedRequestIn(RequestIn):
    """Submission needs the essentials a coordinator triages on, and the officer's declaration."""

    summary = fields.String(required=True, validate=validate.Length(min=20, max=2000))
    gap_statement = fields.String(required=True, validate=validate.Length(min=40, max=10000))
    topics = fields.List(fields.String(validate=validate.Length(max=64)), required=True,
                         validate=validate.Length(min=1, max=MAX_TOPICS))
    authorised_declaration = fields.Boolean(required=True, validate=validate.Equal(True))


class AttachmentOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    tlp = fields.Enum(Tlp, by_value=True)
    created_at = fields.DateTime()


def _topic_slugs(assistance_request) -> list[str]:
    return [topic.slug for topic in assistance_request.topics]


class RequestSummaryOut(Schema):
    """The cleaned summary: what an invited expert may see before accepting the confidentiality terms.

    Nothing of the gap statement, desired outcome, annex, urgency reason or attachments; a TLP:RED
    summary is withheld too (named recipients only).
    """

    id = fields.Integer()
    reference = fields.String(allow_none=True)  # given on submission; a draft has none
    status = fields.Enum(RequestStatus, by_value=True)
    title = fields.String()
    summary = fields.Method("_summary")
    summary_tlp = fields.Enum(Tlp, by_value=True)
    topics = fields.Function(_topic_slugs)
    modality = fields.Enum(Modality, by_value=True)
    languages = fields.List(fields.String())
    country = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    urgency = fields.Enum(Urgency, by_value=True)
    experts_wanted = fields.Integer()

    def _summary(self, assistance_request):
        return "" if assistance_request.summary_tlp == Tlp.RED else assistance_request.summary


class RequestOut(RequestSummaryOut):
    """Everything, for the owning agency, coordinators and experts who accepted the terms."""

    summary = fields.String()
    organisation = fields.Function(lambda r: r.organisation.name)
    gap_statement = fields.String()
    annex = fields.String()
    annex_tlp = fields.Enum(Tlp, by_value=True)
    detail_tlp = fields.Enum(Tlp, by_value=True)
    desired_outcome = fields.String()
    gap_type = fields.Enum(GapType, by_value=True)
    sectors = fields.List(fields.String())
    urgency_reason = fields.String()
    consent_statistics = fields.Boolean()
    authorised_declaration = fields.Boolean()
    submitted_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    attachments = fields.Method("_attachments")

    def _attachments(self, assistance_request):
        return AttachmentOut(many=True).dump(attachments_of(assistance_request))
