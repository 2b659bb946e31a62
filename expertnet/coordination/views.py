"""Coordinators' desk pages: the triage queue, a request's desk, suggestions and inviting.

Engagement pages are in engagement_views.py, the dashboard and exports in report_views.py (same blueprint,
registered in the package's __init__).
"""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext

from expertnet.accounts.models import User
from expertnet.accounts.policy import STAFF, found_or_404, roles_required
from expertnet.actions import action, attempt, submitted
from expertnet.chemicals import services as chemicals
from expertnet.coordination import bp, desk, exclusions, queue_cache, sla, triage
from expertnet.coordination.forms import (IncludeExpertForm, InviteForm, LeadForm, MoveRequestForm, PriorityForm,
                                          QueueFilterForm, RefineForm, refinement_from)
from expertnet.coordination.labels import TEMPLATE_GLOBALS
from expertnet.coordination.pages import PREPARING_RELOAD_SECONDS, actor, locale, staff_step, staff_users
from expertnet.coordination.queue import SAVED_VIEWS, QueueFilters, triage_queue, view_counts
from expertnet.coordination.schemas import IncludeExpertIn
from expertnet.db import utcnow
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import Invitation
from expertnet.engagements.services import INVITABLE_STATUSES
from expertnet.engagements.suggestions import overrides_of
from expertnet.experts.matcher_bridge import score_legend
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.requests.access import get_visible_request_or_404
from expertnet.requests.lifecycle import allowed_transitions, closing_warnings, transition
from expertnet.requests.models import RequestStatus
from expertnet.taxonomy.services import leaf_topics


QUEUE_FIELDS = ("view", "status", "urgency", "sla", "topic", "country", "lead", "q", "sort")
# Moves with side effects beyond the lifecycle (a message and an e-mail to the agency).
MOVES = {RequestStatus.INFO_REQUESTED: triage.request_information, RequestStatus.REJECTED: triage.decline_request}
# Moves the desk makes by itself (the first invitation sent; the engagements assign and deliver the request),
# so they get no button.
AUTOMATIC = frozenset({RequestStatus.INVITING, RequestStatus.ASSIGNED, RequestStatus.DELIVERED})


def load_request(request_id: int):
    return get_visible_request_or_404(actor(), request_id)


# ------------------------------------------------------------------ the triage queue
@bp.get("/queue")
@roles_required(*STAFF)
def queue():
    topics = queue_cache.cached("topics", (locale(),), lambda: [(t.slug, t.label(locale())) for t in leaf_topics()])
    staff = queue_cache.cached("staff", (), lambda: [queue_cache.StaffMember(u.id, u.full_name) for u in staff_users()])
    form = QueueFilterForm(request.args, topics, staff)
    form.validate()
    # A value the form refused is dropped rather than trusted (the page still answers, with the error shown).
    values = {name: ("" if form[name].errors else (form[name].data or "")) for name in QUEUE_FIELDS}
    values["view"] = values["view"] or "all"
    filters = QueueFilters(**values).with_view()
    now = utcnow()
    counts = queue_cache.cached("counts", (actor().id,), lambda: view_counts(actor(), now=now))
    page = triage_queue(filters, actor(), page=request.args.get("page", 1, type=int),
                        per_page=current_app.config["ITEMS_PER_PAGE"], now=now, counts=counts)
    return render_template("coordination/queue.html", form=form, page=page, filters=filters,
                           views=SAVED_VIEWS, counts=counts)


# ------------------------------------------------------------------ one request's desk
def desk_context(assistance_request, **extra) -> dict:
    invitations = desk.invitations_of(assistance_request)
    wants_alternates = (assistance_request.status in INVITABLE_STATUSES
                        and desk.needs_alternates(assistance_request, invitations))
    lead_form = LeadForm(lead=assistance_request.lead_coordinator_id or 0)
    lead_form.lead.choices = [(0, _("Nobody"))] + [(u.id, u.full_name) for u in staff_users()]
    moves = [to for to in allowed_transitions(assistance_request, actor()) if to not in AUTOMATIC]
    context = {
        "assistance_request": assistance_request, "clocks": sla.clocks(assistance_request),
        "invitations": invitations, "engagements": desk.engagements_of(assistance_request),
        "alternates": desk.alternates(actor(), assistance_request, locale=locale()) if wants_alternates else [],
        "moves": moves, "move_form": MoveRequestForm(),
        # Closing early asks for an explicit confirmation (the request machine refuses it without one).
        "closing_warnings": closing_warnings(assistance_request) if RequestStatus.CLOSED in moves else [],
        "priority_form": PriorityForm(priority=assistance_request.priority), "lead_form": lead_form,
        "can_invite": assistance_request.status in INVITABLE_STATUSES, "move_error": None,
        "substances": chemicals.request_substances(assistance_request.id),
        "request_page_url": url_for("requests.detail", request_id=assistance_request.id)
        if "requests.detail" in current_app.view_functions else None,
    }
    context.update(extra)
    return context


@bp.get("/requests/<int:request_id>")
@roles_required(*STAFF)
@action  # the alternates it shows are recorded (matching_history)
def request_desk(request_id: int):
    return render_template("coordination/request.html", **desk_context(load_request(request_id)))


def back_to(request_id: int):
    """After an action: the desk, or the queue (with its filters) when the action came from a queue row."""
    if request.form.get("back") == "queue":
        query = request.form.get("back_query", "")[:500]
        return redirect(url_for(".queue") + (f"?{query}" if query else ""), 303)  # our path, their filters
    return redirect(url_for(".request_desk", request_id=request_id), 303)


def desk_page(assistance_request, message: str, status: int):
    """The request's desk again, the refusal in place of the move panel's note."""
    return render_template("coordination/request.html",
                           **desk_context(assistance_request, move_error=message)), status


def refused_on_desk(error, request_id: int, **_view_args):
    return desk_page(load_request(request_id), error.message, error.http_status)


def desk_step(rule: str):
    return staff_step(f"/requests/<int:request_id>{rule}", load=load_request, id_arg="request_id",
                      refused=refused_on_desk)


@desk_step("/move")
def move_request(assistance_request):
    form = submitted(MoveRequestForm(), _("That step is not known."), http_status=400)
    to_status, note = RequestStatus(form.to_status.data), form.note.data or ""
    if to_status == RequestStatus.CLOSED:
        transition(assistance_request, to_status, actor(), note, confirmed=bool(form.confirm_close.data))
    else:
        move = MOVES.get(to_status, lambda who, req, text: transition(req, to_status, who, text))
        move(actor(), assistance_request, note)
    flash(_("The request moved on: %(status)s.", status=TEMPLATE_GLOBALS["request_status_label"](to_status)),
          "success")
    return back_to(assistance_request.id)


@desk_step("/priority")
def set_priority(assistance_request):
    form = submitted(PriorityForm(), _("Choose a priority from 1 to 5."), http_status=400)
    triage.set_priority(actor(), assistance_request, form.priority.data)
    flash(_("Priority set."), "success")
    return redirect(url_for(".request_desk", request_id=assistance_request.id), 303)


@desk_step("/lead")
def assign_lead(assistance_request):
    form = LeadForm()
    form.lead.choices = [(0, "")] + [(u.id, u.full_name) for u in staff_users()]
    submitted(form, _("Choose an active coordinator."), http_status=400)
    lead = db.session.get(User, form.lead.data) if form.lead.data else None
    triage.assign_lead(actor(), assistance_request, lead)
    flash(_("Lead coordinator updated."), "success")
    return back_to(assistance_request.id)


# ------------------------------------------------------------------ suggestions and inviting
def suggestions_page(assistance_request, refine_form: RefineForm, refinement: desk.Refinement,
                     invite_form: InviteForm | None = None, include_form: IncludeExpertForm | None = None,
                     status: int = 200):
    """The suggestions, the excluded experts by reason (each overridable one with its include form), and the
    invite form; a refused form comes back with its messages and `status`. While the matcher's first index is
    being built the page says so and asks the browser to reload it (Refresh)."""
    ranked = desk.show_suggestions(actor(), assistance_request, refinement, locale=locale())
    if invite_form is None:
        invite_form = InviteForm(keywords=refinement.keywords, language=refinement.language,
                                 region=refinement.region, include_unavailable="y" if refinement.include_unavailable else "")
    invite_form.expert_ids.choices = [(profile.id, profile.user.full_name) for profile, _s, _r in ranked.experts]
    return render_template("coordination/suggestions.html", assistance_request=assistance_request,
                           ranked=ranked, refine_form=refine_form, invite_form=invite_form, refinement=refinement,
                           excluded_groups=exclusions.excluded_groups(ranked),
                           overrides=overrides_of(assistance_request) if ranked.included else {},
                           include_form=include_form or IncludeExpertForm(formdata=None),
                           can_invite=assistance_request.status in INVITABLE_STATUSES, legend=score_legend()), \
        status, {"Refresh": str(PREPARING_RELOAD_SECONDS)} if ranked.preparing else {}


@bp.route("/requests/<int:request_id>/suggestions", methods=["GET", "POST"])
@roles_required(*STAFF)
@action
def suggestions(request_id: int):
    assistance_request = load_request(request_id)
    source = request.form if request.method == "POST" else request.args
    refine_form, refinement = refinement_from(source)
    if request.method == "GET":  # a value not on the lists is said on its field (400), never "0 matches"
        return suggestions_page(assistance_request, refine_form, refinement, status=400 if refine_form.errors else 200)
    invite_form = InviteForm()
    invite_form.expert_ids.choices = [(profile.id, profile.user.full_name)
                                      for profile, _s, _r in refinement.rank(assistance_request).experts]
    if not refine_form.errors and invite_form.validate_on_submit():
        result = _invite(assistance_request, invite_form, refinement)
        if result is not None:
            return result
    return suggestions_page(assistance_request, refine_form, refinement, invite_form, status=422)


@bp.post("/requests/<int:request_id>/suggestions/include")
@roles_required(*STAFF)
@action
def include_excluded(request_id: int):
    """Include an expert the rules left out (a required reason, audited); they then appear among the suggestions."""
    assistance_request = load_request(request_id)
    refine_form, refinement = refinement_from(request.form)
    form = IncludeExpertForm()
    data = load_form(form, IncludeExpertIn())
    if data is None:
        return suggestions_page(assistance_request, refine_form, refinement, include_form=form, status=422)
    included = attempt(lambda: exclusions.include_expert(actor(), assistance_request, data["expert_id"],
                                                         data["reason"], refinement), form.reason)
    if not included.ok:
        return suggestions_page(assistance_request, refine_form, refinement, include_form=form,
                                status=included.refusal.http_status)
    flash(_("%(name)s is included in the suggestions for this request.", name=included.value.expert.user.full_name),
          "success")
    query = {name: value for name, value in (("keywords", refinement.keywords), ("language", refinement.language),
             ("region", refinement.region), ("include_unavailable", "y" if refinement.include_unavailable else ""))
             if value}
    return redirect(url_for(".suggestions", request_id=request_id, **query), 303)


def _invite(assistance_request, form: InviteForm, refinement: desk.Refinement):
    invited = attempt(lambda: desk.invite_experts(actor(), assistance_request, form.expert_ids.data,
                                                  form.message.data, form.respond_by.data, refinement),
                      form.expert_ids)
    if not invited.ok:
        return None
    flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", len(invited.value)), "success")
    return redirect(url_for(".request_desk", request_id=assistance_request.id), 303)


def refused_revoking(error, invitation_id: int):
    invitation = found_or_404(db.session.get(Invitation, invitation_id))
    return desk_page(load_request(invitation.request_id), error.message, error.http_status)


@bp.post("/invitations/<int:invitation_id>/revoke")
@roles_required(*STAFF)
@action(refused=refused_revoking)
def revoke_invitation(invitation_id: int):
    invitation = found_or_404(db.session.get(Invitation, invitation_id))
    assistance_request = load_request(invitation.request_id)
    engagement_services.revoke_invitation(actor(), invitation, request.form.get("reason", "")[:2000])
    flash(_("The invitation is withdrawn and the expert told."), "success")
    return redirect(url_for(".request_desk", request_id=assistance_request.id), 303)

