"""The discussions' In schemas: the pages' forms load them (`form_schema.load_form`), a later API the same."""
from marshmallow import RAISE, Schema, fields, validate

from expertnet.hub.models import LANGUAGES

BODY = validate.Length(min=2, max=10000)


class ThreadIn(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    body = fields.String(required=True, validate=BODY)


class PostIn(Schema):
    class Meta:
        unknown = RAISE

    body = fields.String(required=True, validate=BODY)


class ReportIn(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=3, max=300))


class ModerationIn(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(load_default="", validate=validate.Length(max=300))
    seen = fields.Integer(strict=True, load_default=None, allow_none=True)
