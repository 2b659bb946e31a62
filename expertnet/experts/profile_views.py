"""The expert's own profile: edit, completeness and "how the matcher sees me", data export, deactivation;
and the coordinators' vetting-status change. Routes join the experts blueprint."""
import json

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user

from expertnet.accounts.models import Organisation, Role
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action, attempt
from expertnet.chemicals import services as chemicals
from expertnet.chemicals.tagging import tag_page
from expertnet.csv_safety import csv_text
from expertnet.experts import bp, csv_import, services
from expertnet.experts.access import profile_or_404
from expertnet.experts.completeness import completeness
from expertnet.experts.export import export_own_data
from expertnet.experts.labels import availability_label, level_label, proficiency_label, vetting_label
from expertnet.experts.matcher_bridge import describe_expert
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.experts.profile_forms import ConfirmForm, ImportForm, ProfileForm, VettingFieldsForm
from expertnet.experts.schemas import ProfileIn, VettingIn
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.taxonomy.services import leaf_topics

for _function in (availability_label, level_label, proficiency_label):
    bp.add_app_template_global(_function)


def own_profile() -> ExpertProfile:
    return found_or_404(current_user.expert_profile)


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.name)))


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(Role.EXPERT)
@action
def edit_profile():
    profile = own_profile()
    form = ProfileForm()
    if not form.is_submitted():
        form.fill_from(profile)
    form.set_choices(leaf_topics(), _organisations(), str(get_locale()))
    if form.is_submitted() and (data := load_form(form, ProfileIn(), *form.to_payload())) is not None:
        if attempt(lambda: services.update_profile(current_user._get_current_object(), profile, data),
                   form.capacity).ok:
            flash(_("Your profile is saved; new requests are matched against it from now on."), "success")
            return redirect(url_for("experts.profile_preview"))
    if form.is_submitted():
        form.ensure_blank_rows()
        form.set_choices(leaf_topics(), _organisations(), str(get_locale()))
    percent, hints = completeness(profile)
    return render_template("experts/profile_edit.html", form=form, profile=profile, percent=percent, hints=hints)


@bp.route("/profile/substances", methods=["GET", "POST"])
@roles_required(Role.EXPERT)
@action
def own_substances():
    """An expert tags their own profile with the register's substances they work on (those their profile's texts
    name are offered ticked)."""
    profile = own_profile()
    text = " ".join(filter(None, (profile.headline, profile.expertise_statement, profile.biography)))
    back = url_for("experts.profile_preview")
    return tag_page(profile, chemicals.expert_substances(profile.id), chemicals.Recogniser().ids_in(text),
                    chemicals.tag_expert, back, _("Substances I work on"), back)


@bp.get("/profile/preview")
@roles_required(Role.EXPERT)
def profile_preview():
    profile = own_profile()
    percent, hints = completeness(profile)
    reasons = describe_expert(profile, str(get_locale()))
    return render_template("experts/profile_preview.html", profile=profile, percent=percent, hints=hints,
                           reasons=reasons, form=ConfirmForm())


@bp.get("/profile/export.json")
@roles_required(Role.EXPERT)
def export_profile():
    data = export_own_data(own_profile())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="expertnet-my-data.json"'})


@bp.post("/profile/deactivate")
@roles_required(Role.EXPERT)
@action
def request_deactivation():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if services.request_deactivation(current_user._get_current_object(), own_profile()):
        flash(_("Your request to leave the network is recorded; a coordinator will confirm it."), "success")
    else:
        flash(_("You have already asked to leave the network."), "info")
    return redirect(url_for("experts.profile_preview"))


@bp.route("/experts/<int:profile_id>/vetting-status", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action
def vetting_status(profile_id: int):
    profile = profile_or_404(profile_id)
    form = VettingFieldsForm()
    form.vetting_status.choices = [(s.value, vetting_label(s)) for s in VettingStatus]
    if not form.is_submitted():
        form.vetting_status.data = profile.vetting_status.value
    if form.is_submitted() and (data := load_form(form, VettingIn())) is not None:
        if attempt(lambda: services.set_vetting(current_user._get_current_object(), profile,
                                                data["vetting_status"], data["vetting_reason"]),
                   form.vetting_reason).ok:
            flash(_("The vetting status is saved."), "success")
            return redirect(url_for("experts.vetting_status", profile_id=profile.id))
    percent, hints = completeness(profile)
    return render_template("experts/vetting_status.html", profile=profile, form=form, percent=percent)


@bp.route("/experts/import", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action
def import_experts():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        if not form.file.data:
            form.file.errors = [_("Choose a CSV file.")]
        else:
            report = csv_import.import_experts(current_user._get_current_object(), form.file.data.read(),
                                               send_links=bool(form.send_links.data))
            if report.ok:
                flash(ngettext("%(num)d expert imported.", "%(num)d experts imported.", report.imported), "success")
                return redirect(url_for("experts.import_experts"))
    status = 400 if report is not None else 200
    return render_template("experts/import.html", form=form, report=report), status


@bp.get("/experts/export.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def export_experts():
    profiles = db.session.scalars(sa.select(ExpertProfile).order_by(ExpertProfile.id)).all()
    header = ("id", "email", "full_name", "affiliation", "headline", "topics", "languages", "countries", "vetting_status",
              "capacity", "commitments")
    rows = ((p.id, p.user.email, p.user.full_name, p.affiliation, p.headline,
             "; ".join(f"{t.topic.slug}:{t.level.value}" for t in p.topics),
             "; ".join(f"{lang.get('code')}:{lang.get('proficiency')}" for lang in p.languages or []),
             "; ".join(p.countries or []), p.vetting_status.value, p.capacity, p.commitments) for p in profiles)
    return Response(csv_text(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="experts.csv"'})


@bp.get("/experts/<int:profile_id>")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def profile_view(profile_id: int):
    """Coordinators' read-only view of an expert: the whole profile and how the matcher sees it."""
    profile = profile_or_404(profile_id)
    percent, hints = completeness(profile)
    return render_template("experts/profile_view.html", profile=profile, percent=percent, hints=hints,
                           reasons=describe_expert(profile, str(get_locale())))
