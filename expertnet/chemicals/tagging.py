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


def substance_label(substance, locale: str) -> str:
    # The CAS number isolated left-to-right (U+2066...U+2069), so an Arabic label does not reverse its digits.
    return f"{substance.preferred(locale)} · \u2066{substance.cas}\u2069"


def substance_choices(field, live: list, locale: str) -> dict[int, str]:
    """Every live substance as a choice of the picker `field` (its preferred name in `locale` and its CAS number),
    and what else the picker's filter matches for each: its names in every language (picker's `search`)."""
    field.choices = [(s.id, substance_label(s, locale)) for s in live]
    return {s.id: " ".join(n.name for n in s.names) for s in live}


def tag_page(owner, current: list, suggested: set[int], tag, then: str, heading: str, back: str):
    """GET: the form; POST: `tag(actor, owner, ids)` (one service call), then back to `then`."""
    locale = str(get_locale())
    live = services.live_substances()
    form = TagForm()
    search = substance_choices(form.substances, live, locale)
    if not form.is_submitted():
        form.substances.data = [s.id for s in current] or sorted(suggested)
    if form.is_submitted() and (data := load_form(form, TagSchema())) is not None:
        if attempt(lambda: tag(current_user._get_current_object(), owner, data["substances"]), form.substances).ok:
            flash(_("The substance tags are saved."), "success")
            return redirect(then)
    suggested_rows = [s for s in live if s.id in suggested and s not in current]
    return render_template("chemicals/tags.html", form=form, heading=heading, back=back, current=current,
                           suggested=suggested_rows, search=search), 422 if form.is_submitted() else 200
