"""The webhooks' schemas, for the API (and any page that takes the same input)."""
from marshmallow import RAISE, Schema, fields, validate

from expertnet.webhooks.models import DeliveryStatus
from expertnet.webhooks.services import EVENTS, URL_MAX


class WebhookIn(Schema):
    class Meta:
        unknown = RAISE

    url = fields.String(required=True, validate=validate.Length(min=1, max=URL_MAX),
                        metadata={"description": "http(s) address the deliveries are POSTed to."})
    events = fields.List(fields.String(validate=validate.OneOf(EVENTS)), required=True,
                         validate=validate.Length(min=1, max=len(EVENTS)))
    description = fields.String(load_default="", validate=validate.Length(max=200))


class WebhookPatchIn(WebhookIn):
    """Any of the fields; `active: true` enables a disabled endpoint again, `false` pauses it."""

    active = fields.Boolean()


class WebhookOut(Schema):
    id = fields.Integer()
    url = fields.String()
    description = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    failures = fields.Integer(metadata={"description": "Failed attempts in a row."})
    disabled_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class WebhookCreatedOut(WebhookOut):
    secret = fields.String(metadata={"description": "Signs every delivery (HMAC-SHA256); shown only now."})


class DeliveryOut(Schema):
    id = fields.Integer()
    event_id = fields.String()
    event = fields.String()
    status = fields.Enum(DeliveryStatus, by_value=True)
    attempts = fields.Integer()
    response_code = fields.Integer(allow_none=True)
    last_error = fields.String()
    next_attempt_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    payload = fields.Function(lambda delivery: delivery.payload, metadata={"description": "The JSON body sent."})
