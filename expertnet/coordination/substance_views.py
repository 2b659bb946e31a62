"""Tagging a request or an expert with substances of the chemicals register (coordinators and admins). A
request's page offers the substances its text names, ticked, until it is tagged."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from expertnet.accounts.policy import STAFF, roles_required
from expertnet.actions import action, attempt
from expertnet.chemicals import services as chemicals
from expertnet.chemicals.forms import TagForm
from expertnet.chemicals.schemas import TagSchema
from expertnet.coordination import bp
from expertnet.coordination.pages import actor, locale
from expertnet.coordination.substances import suggested_ids
from expertnet.experts.access import profile_or_404
from expertnet.form_schema import load_form
from expertnet.requests.access import get_visible_request_or_404


def _tag_page(owner, current: list, suggested: set[int], tag, then: str, heading: str, back: str):
    """The tag form: every live substance (the current tags and, when there are none, the suggested ones ticked)."""
    form = TagForm()
    # The CAS number isolated left-to-right (U+2066...U+2069), so an Arabic label does not reverse its digits.
    form.substances.choices = [(s.id, f"{s.preferred(locale())} · \u2066{s.cas}\u2069")
                               for s in chemicals.live_substances()]
    if not form.is_submitted():
        form.substances.data = [s.id for s in current] or sorted(suggested)
    if form.is_submitted() and (data := load_form(form, TagSchema())) is not None:
        if attempt(lambda: tag(actor(), owner, data["substances"]), form.substances).ok:
            flash(_("The substance tags are saved."), "success")
            return redirect(then)
    suggested_rows = [s for s in chemicals.live_substances() if s.id in suggested and s not in current]
    return render_template("coordination/substances.html", form=form, heading=heading, back=back,
                           current=current, suggested=suggested_rows), 422 if form.is_submitted() else 200


@bp.route("/requests/<int:request_id>/substances", methods=["GET", "POST"])
@roles_required(*STAFF)
@action
def request_substances(request_id: int):
    assistance_request = get_visible_request_or_404(actor(), request_id)
    back = url_for("coordination.request_desk", request_id=request_id)
    return _tag_page(assistance_request, chemicals.request_substances(request_id), suggested_ids(assistance_request),
                     chemicals.tag_request, back,
                     _("Substances of request %(reference)s", reference=assistance_request.reference), back)


@bp.route("/experts/<int:expert_id>/substances", methods=["GET", "POST"])
@roles_required(*STAFF)
@action
def expert_substances(expert_id: int):
    profile = profile_or_404(expert_id)
    back = url_for("coordination.expert_profile", expert_id=expert_id)
    return _tag_page(profile, chemicals.expert_substances(expert_id), set(), chemicals.tag_expert, back,
                     _("Substances of %(name)s", name=profile.user.full_name), back)
