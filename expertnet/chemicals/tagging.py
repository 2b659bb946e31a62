"""The one tag page, for whatever a feature tags with substances (a coordinator tagging a request or an expert,
an expert tagging their own profile): every live substance as a filterable list of boxes, the current tags and,
while there are none, the substances named in the owner's text ticked."""
from flask import flash, redirect, render_template
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from expertnet.actions import attempt
from expertnet.chemicals import services
from expertnet.chemicals.forms import TagForm
from expertnet.chemicals.schemas import TagSchema
from expertnet.form_schema import load_form


def tag_page(owner, current: list, suggested: set[int], tag, then: str, heading: str, back: str):
    """GET: the form; POST: `tag(actor, owner, ids)` (one service call), then back to `then`."""
    locale = str(get_locale())
    live = services.live_substances()
    form = TagForm()
    # The CAS number isolated left-to-right (U+2066...U+2069), so an Arabic label does not reverse its digits.
    form.substances.choices = [(s.id, f"{s.preferred(locale)} · \u2066{s.cas}\u2069") for s in live]
    if not form.is_submitted():
        form.substances.data = [s.id for s in current] or sorted(suggested)
    if form.is_submitted() and (data := load_form(form, TagSchema())) is not None:
        if attempt(lambda: tag(current_user._get_current_object(), owner, data["substances"]), form.substances).ok:
            flash(_("The substance tags are saved."), "success")
            return redirect(then)
    suggested_rows = [s for s in live if s.id in suggested and s not in current]
    return render_template("chemicals/tags.html", form=form, heading=heading, back=back, current=current,
                           suggested=suggested_rows), 422 if form.is_submitted() else 200
