"""Expert application (public) and the coordinators' vetting queue."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from expertnet.accounts.models import Role
from expertnet.accounts.policy import roles_required
from expertnet.accounts.quotas import quota_on_posts
from expertnet.actions import action, form_page
from expertnet.experts import bp, services
from expertnet.experts.access import profile_or_404
from expertnet.experts.forms import ExpertApplicationForm, VettingDecisionForm
from expertnet.taxonomy.services import leaf_topics, topics_by_slug
from expertnet.web_input import paginate


def topic_choices(locale: str):
    return [(topic.slug, topic.label(locale)) for topic in leaf_topics()]


@bp.route("/apply", methods=["GET", "POST"])
@quota_on_posts("expert_application")
@action
def apply():
    from flask_babel import get_locale

    form = ExpertApplicationForm()
    form.topics.choices = topic_choices(str(get_locale()))
    return form_page(form, lambda: services.apply_as_expert(
        form.email.data, form.full_name.data, form.password.data, form.locale.data, form.affiliation.data,
        form.headline.data, form.expertise_statement.data, list(topics_by_slug(form.topics.data).values()),
        form.application_note.data or ""), form.email,
        saved=_("Thank you. Your application is with the vetting team; you can sign in to follow it."),
        then=url_for("accounts.sign_in"), page="experts/apply.html")


@bp.get("/vetting")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def vetting_queue():
    page = paginate(services.vetting_queue(), per_page=20)
    return render_template("experts/vetting_queue.html", page=page)


@bp.route("/vetting/<int:profile_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action
def vetting_decision(profile_id: int):
    profile = profile_or_404(profile_id)
    form = VettingDecisionForm()
    return form_page(form, lambda: services.decide_application(
        current_user._get_current_object(), profile, bool(form.approve.data), form.reason.data or ""), form.reason,
        saved=_("The decision is recorded and the applicant informed."), then=url_for("experts.vetting_queue"),
        page="experts/vetting_decision.html", profile=profile)
