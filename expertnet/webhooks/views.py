"""The webhooks page (`/settings/webhooks`): the user's endpoints, a form to add one (its secret shown once),
and each endpoint's delivery log with redelivery, enable/pause and delete. The API offers the same
(`/api/v1/webhooks`), through the same services."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from expertnet.actions import action, attempt
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.webhooks import bp, services
from expertnet.webhooks.forms import EVENT_LABELS, ButtonForm, WebhookForm
from expertnet.webhooks.models import WebhookDelivery, WebhookEndpoint
from expertnet.webhooks.schemas import WebhookIn

LOG_LENGTH = 50


def _user():
    user = current_user._get_current_object()
    if not services.may_register(user):
        abort(403)
    return user


def _own(endpoint_id: int) -> WebhookEndpoint:
    endpoint = services.own_endpoint(_user(), endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.route("/settings/webhooks", methods=["GET", "POST"])
@login_required
@action
def index():
    user = _user()
    form, created = WebhookForm(), None
    if request.method == "POST" and (data := load_form(form, WebhookIn())) is not None:
        made = attempt(lambda: services.register_endpoint(user, data["url"], data["events"], data["description"]),
                       form.url)
        if made.ok:
            created, form = made.value, WebhookForm(formdata=None)
    endpoints = list(db.session.scalars(services.own_endpoints(user)))
    status = 422 if request.method == "POST" and created is None else 200
    return render_template("webhooks/index.html", form=form, created=created, endpoints=endpoints,
                           event_labels=EVENT_LABELS), status


@bp.get("/settings/webhooks/<int:endpoint_id>")
@login_required
def detail(endpoint_id: int):
    endpoint = _own(endpoint_id)
    deliveries = list(db.session.scalars(services.deliveries_of(endpoint).limit(LOG_LENGTH)))
    return render_template("webhooks/detail.html", endpoint=endpoint, deliveries=deliveries, button=ButtonForm(),
                           event_labels=EVENT_LABELS)


@bp.post("/settings/webhooks/<int:endpoint_id>/active")
@login_required
@action
def set_active(endpoint_id: int):
    endpoint = _own(endpoint_id)
    turn_on = not endpoint.active
    services.update_endpoint(current_user, endpoint, {"active": turn_on})
    flash(_("The webhook is enabled.") if turn_on else _("The webhook is paused."), "success")
    return redirect(url_for(".detail", endpoint_id=endpoint.id), 303)


@bp.post("/settings/webhooks/<int:endpoint_id>/delete")
@login_required
@action
def delete(endpoint_id: int):
    services.delete_endpoint(current_user, _own(endpoint_id))
    flash(_("The webhook is deleted."), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver")
@login_required
@action
def redeliver(endpoint_id: int, delivery_id: int):
    endpoint = _own(endpoint_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        abort(404)
    services.redeliver(current_user, delivery)
    flash(_("The event is sent again."), "success")
    return redirect(url_for(".detail", endpoint_id=endpoint.id), 303)
