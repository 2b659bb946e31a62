"""Discussion forms: WTForms renders and checks CSRF; the schemas decide (`form_schema.load_form`)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

from expertnet.form_schema import mark_max_lengths
from expertnet.hub.discussions.schemas import PostIn, ThreadIn
from expertnet.hub.labels import LANGUAGE_LABELS
from expertnet.hub.models import LANGUAGES

MENTION_HINT = _l("Mention someone with @ and their name, dots for spaces (@Lina.Khoury): they are told if they "
                  "may see this discussion.")


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"dir": "auto"})
    language = SelectField(_l("Language"), choices=lambda: [(c, str(LANGUAGE_LABELS[c])) for c in LANGUAGES])
    body = TextAreaField(_l("Your message"), description=MENTION_HINT, render_kw={"dir": "auto", "rows": 6})
    submit = SubmitField(_l("Start the discussion"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_max_lengths(self, ThreadIn())


class PostForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), description=MENTION_HINT, render_kw={"dir": "auto", "rows": 5})
    submit = SubmitField(_l("Send the reply"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_max_lengths(self, PostIn())


class EditForm(PostForm):
    submit = SubmitField(_l("Save the change"))


class ReportForm(FlaskForm):
    reason = StringField(_l("Why should the moderators look at this post?"), render_kw={"dir": "auto"})
    submit = SubmitField(_l("Report"))


class ModerationForm(FlaskForm):
    reason = StringField(_l("Reason"), render_kw={"dir": "auto"},
                         description=_l("The post's author and the moderators see it."))
    seen = HiddenField()


class ButtonForm(FlaskForm):
    """A button alone (CSRF)."""
