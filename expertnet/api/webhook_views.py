"""`/api/v1/webhooks`: the caller's webhook endpoints, their delivery log and redelivery (issue 16, item 2).

Same shape as the other operations: load (the caller's own endpoint, else 404) -> act (one call of
`expertnet.webhooks.services`) through the action seam. Who may register and what reaches an endpoint is the
webhooks feature's rule (agency members for their organisation's requests, coordinators for submitted ones).
"""
from flask import abort, url_for
from flask.views import MethodView

from expertnet.api import bp
from expertnet.api.conventions import SelectPage, caller, documented_errors, operation, operation_method
from expertnet.extensions import db
from expertnet.webhooks import services
from expertnet.webhooks.models import WebhookDelivery, WebhookEndpoint
from expertnet.webhooks.schemas import DeliveryOut, WebhookCreatedOut, WebhookIn, WebhookOut, WebhookPatchIn

WEBHOOK = "/webhooks/<int:webhook_id>"


def _own(webhook_id: int) -> WebhookEndpoint:
    endpoint = services.own_endpoint(caller(), webhook_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.route("/webhooks")
class Webhooks(MethodView):
    """One rule per path for every method (see `conventions.operation_method`)."""

    @bp.response(200, WebhookOut(many=True))
    @bp.paginate(SelectPage)
    @documented_errors(bp)
    def get(self):
        """The caller's webhook endpoints."""
        return services.own_endpoints(caller())

    @operation_method(bp, WebhookCreatedOut, status=201, body=WebhookIn)
    def post(self, data):
        """Register an endpoint for the events named. The answer carries the signing `secret`, once: deliveries
        are POSTed with `Expertnet-Signature: t=<unix time>,v1=<HMAC-SHA256 of "<t>." + body, hex>`."""
        endpoint = services.register_endpoint(caller(), data["url"], data["events"], data["description"])
        return endpoint, 201, {"Location": url_for("api.Webhook", webhook_id=endpoint.id)}


@bp.route(WEBHOOK)
class Webhook(MethodView):
    """One rule for the endpoint's read, update and removal, so an id no column can hold is a 404 for each."""

    @bp.response(200, WebhookOut)
    @documented_errors(bp)
    def get(self, webhook_id: int):
        """One of the caller's endpoints."""
        return _own(webhook_id)

    @operation_method(bp, WebhookOut, body=WebhookPatchIn(partial=True))
    def patch(self, data, webhook_id: int):
        """Change the URL, events or description; `active: true` enables a disabled endpoint again."""
        return services.update_endpoint(caller(), _own(webhook_id), data)

    @operation_method(bp, status=204)
    def delete(self, webhook_id: int):
        """Remove an endpoint and its delivery log."""
        services.delete_endpoint(caller(), _own(webhook_id))


@bp.route(f"{WEBHOOK}/deliveries", methods=["GET"])
@bp.response(200, DeliveryOut(many=True))
@bp.paginate(SelectPage)
@documented_errors(bp)
def list_deliveries(webhook_id: int):
    """The endpoint's delivery log, newest first: status (pending, delivered, failed), attempts, last answer."""
    return services.deliveries_of(_own(webhook_id))


@operation(bp, f"{WEBHOOK}/deliveries/<int:delivery_id>/redeliver", "POST", DeliveryOut, status=202)
def redeliver(webhook_id: int, delivery_id: int):
    """Send a delivery's event again (same event id and body) as a new delivery."""
    endpoint = _own(webhook_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        abort(404)
    return services.redeliver(caller(), delivery)
