"""Forms of the expert's invitation and engagement pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from expertnet.engagements.labels import DECLINE_REASON_LABELS
from expertnet.engagements.schemas import DAYS_MAX, REPORT_MAX
from expertnet.sensitivity import Tlp


class TermsForm(FlaskForm):
    terms_version = HiddenField()
    agree = BooleanField(_l("I have read and accept these confidentiality terms"), validators=[DataRequired(
        message=_l("Tick the box to accept the terms."))])
    submit = SubmitField(_l("Accept the terms"))


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept the invitation"))


class DeclineForm(FlaskForm):
    # No reason is preselected: a conflict of interest excludes the expert from the agency's next requests,
    # so it is recorded only when the expert chooses it.
    reason = SelectField(_l("Reason"), choices=lambda: [("", _l("Choose a reason"))] + [
        (k.value, v) for k, v in DECLINE_REASON_LABELS.items()])
    note = TextAreaField(_l("Note to the coordinators"), validators=[Optional(), Length(max=2000)],
                         description=_l("Required for another reason; for a conflict, say with whom."))
    submit = SubmitField(_l("Decline"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=5000)], id="note-body")
    submit = SubmitField(_l("Add the note"))


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message to the agency and coordinators"), validators=[DataRequired(), Length(max=5000)],
                         id="message-body")
    submit = SubmitField(_l("Send"))


class DeliverableForm(FlaskForm):
    file = FileField(_l("Deliverable"), description=_l("PDF, Word, Excel, PowerPoint, PNG or JPEG, up to 20 MB."))
    tlp = SelectField(_l("Sensitivity"), choices=[(t.value, t.value) for t in Tlp], default=Tlp.AMBER.value)
    submit = SubmitField(_l("Upload"))


class ReportForm(FlaskForm):
    report = TextAreaField(_l("Completion report"), validators=[DataRequired(), Length(max=REPORT_MAX)], id="report-text",
                           description=_l("What was done, what was delivered, and what the agency should do next."))
    days_spent = DecimalField(_l("Days spent (optional)"), places=1, validators=[Optional(), NumberRange(0, DAYS_MAX)])
    submit = SubmitField(_l("Submit the report"))


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start work"))
