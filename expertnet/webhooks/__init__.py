"""Webhooks (issue 16): partner systems told of events on the requests their owner may see.

An endpoint belongs to a user (an agency's member for its organisation's requests, or a coordinator): its URL,
the events it wants and the secret its deliveries are signed with. Events come from the audit rows the
services write (a status move of `statemachine.transition`, a message on a request): `events` turns them into
delivery rows in the same transaction, so an event is delivered exactly when what it describes was committed.
The job engine sends them (`deliver_due`), never a web request; each attempt's outcome is logged on its
delivery, with retries and exponential back-off, and an endpoint failing too often is disabled.
"""
from flask import Blueprint, Flask, current_app, g

from expertnet.extensions import db

bp = Blueprint("webhooks", __name__, template_folder="templates")


def enqueue_after_request(response):
    """Hand what this request's commit made to the job engine; a web request never sends a webhook itself."""
    if g.pop("queued_webhooks", False):
        db.session.rollback()  # anything uncommitted by now was abandoned by the view
        current_app.extensions["jobs"].enqueue_webhook_delivery()
    return response


def init_app(app: Flask) -> None:
    from expertnet.webhooks import events

    events.register()
    app.after_request(enqueue_after_request)
    app.register_blueprint(bp)


from expertnet.webhooks import views  # noqa: E402,F401 - routes join bp
