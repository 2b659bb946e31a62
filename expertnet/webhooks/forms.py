"""The webhooks page's forms: WTForms renders them and checks CSRF; `schemas.WebhookIn` validates."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from expertnet.form_schema import FieldMarks

EVENT_LABELS = {
    "request.submitted": _l("A request is submitted"),
    "request.status_changed": _l("A request's status changes"),
    "message.created": _l("A message is posted on a request"),
    "invitation.answered": _l("An expert answers an invitation (coordinators only)"),
    "engagement.closed": _l("An engagement is closed"),
}


class WebhookForm(FlaskForm):
    url = StringField(_l("Address (URL)"), validators=[FieldMarks(required=True)],
                      description=_l("Your system's https address that receives the events."))
    events = SelectMultipleField(_l("Events"), choices=list(EVENT_LABELS.items()), validators=[FieldMarks(required=True)],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    description = StringField(_l("Description"), description=_l("What the webhook is for, such as your case system."))
    submit = SubmitField(_l("Add webhook"))


class ButtonForm(FlaskForm):
    """A POST with only its CSRF token (enable, pause, delete, redeliver)."""

    submit = SubmitField()
