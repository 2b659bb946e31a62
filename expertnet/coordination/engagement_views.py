"""Coordinators follow engagements: planned dates, milestones, progress notes, deliverables, the report,
and withdrawing or replacing an expert (the engagement row stays as history)."""
import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from expertnet.accounts.policy import STAFF, found_or_404, roles_required
from expertnet.actions import submitted
from expertnet.attachments.models import Attachment
from expertnet.coordination import bp, desk
from expertnet.coordination.forms import EngagementActionForm, MilestoneForm, NoteForm, PlanForm
from expertnet.coordination.pages import actor, staff_step
from expertnet.engagements import access as engagement_access, services as engagement_services
from expertnet.engagements.models import Engagement, EngagementStatus, Milestone
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.access import visible_requests
from expertnet.requests.models import AssistanceRequest
from expertnet.requests.lifecycle import LifecycleError
from expertnet.web_input import paginate

# Engagement actions by name: (service, needs a reason).
ACTIONS = {
    "start": (lambda who, e, _reason: engagement_services.start_engagement(who, e), False),
    "accept_report": (lambda who, e, _reason: engagement_services.accept_report(who, e), False),
    "return_report": (engagement_services.return_report, True),
    "close": (lambda who, e, _reason: engagement_services.close_engagement(who, e), False),
    "suspend": (engagement_services.suspend_engagement, True),
    "resume": (lambda who, e, _reason: engagement_services.resume_engagement(who, e), False),
    "withdraw": (engagement_services.withdraw_expert, True),
    "replace": (desk.replace_expert, True),
}
OPEN = (EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
        EngagementStatus.REPORT_ACCEPTED, EngagementStatus.SUSPENDED)


def load_engagement(engagement_id: int) -> Engagement:
    # Staff see the engagements of the requests they may see (a regional coordinator: their regions'); the role
    # gate on each route is the check.
    return engagement_access.desk_engagement_or_404(actor(), engagement_id)


@bp.get("/engagements")
@roles_required(*STAFF)
def engagements():
    show = request.args.get("show", "open")
    query = sa.select(Engagement).options(selectinload(Engagement.request),
                                          selectinload(Engagement.expert).selectinload(ExpertProfile.user),
                                          selectinload(Engagement.milestones))
    query = query.where(Engagement.status.in_(OPEN)) if show != "all" else query
    query = query.where(Engagement.request_id.in_(visible_requests(actor()).with_only_columns(AssistanceRequest.id)))
    page = paginate(query.order_by(Engagement.created_at.desc(), Engagement.id.desc()),
                    per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template("coordination/engagements.html", page=page, show=show)


def engagement_context(engagement: Engagement, **forms) -> dict:
    context = {
        "engagement": engagement,
        "deliverables": db.session.scalars(sa.select(Attachment).where(Attachment.engagement_id == engagement.id)
                                           .order_by(Attachment.created_at)).all(),
        "history": desk.engagements_of(engagement.request),
        "plan_form": PlanForm(planned_start=engagement.planned_start, planned_end=engagement.planned_end),
        "milestone_form": MilestoneForm(), "note_form": NoteForm(), "action_form": EngagementActionForm(),
        "actions": available_actions(engagement), "error": None,
        # Downloads go through the experts' feature, which checks access and logs the read.
        "can_download": "engagements.download_deliverable" in current_app.view_functions,
    }
    context.update(forms)
    return context


def available_actions(engagement: Engagement) -> list[str]:
    by_status = {
        EngagementStatus.PLANNED: ["start", "suspend", "withdraw", "replace"],
        EngagementStatus.ACTIVE: ["suspend", "withdraw", "replace"],
        EngagementStatus.REPORT_SUBMITTED: ["accept_report", "return_report", "withdraw", "replace"],
        EngagementStatus.REPORT_ACCEPTED: ["close"],
        EngagementStatus.SUSPENDED: ["resume", "withdraw", "replace"],
    }
    return by_status.get(engagement.status, [])


@bp.get("/engagements/<int:engagement_id>")
@roles_required(*STAFF)
def engagement(engagement_id: int):
    return render_template("coordination/engagement.html", **engagement_context(load_engagement(engagement_id)))


def engagement_page(engagement: Engagement, message: str, status: int = 422, **forms):
    """The engagement's desk again, the refusal shown above its actions."""
    return render_template("coordination/engagement.html",
                           **engagement_context(engagement, error=message, **forms)), status


def refused_on_engagement(error, engagement_id: int, **_view_args):
    # The request's machine refusing the move an engagement step implies: the request's state is in the way.
    status = 409 if isinstance(error, LifecycleError) else error.http_status
    return engagement_page(load_engagement(engagement_id), error.message, status, **getattr(error, "forms", {}))


def engagement_step(rule: str):
    return staff_step(f"/engagements/<int:engagement_id>{rule}", load=load_engagement, id_arg="engagement_id",
                      refused=refused_on_engagement)


def _done(engagement: Engagement, message: str, target: str = ".engagement"):
    flash(message, "success")
    if target == ".suggestions":
        return redirect(url_for(target, request_id=engagement.request_id), 303)
    return redirect(url_for(target, engagement_id=engagement.id), 303)


@engagement_step("/act")
def engagement_action(engagement: Engagement):
    form = submitted(EngagementActionForm(), _("That action is not known."), http_status=400)
    if form.action.data not in ACTIONS:
        return engagement_page(engagement, _("That action is not known."), 400)
    service, needs_reason = ACTIONS[form.action.data]
    reason = (form.reason.data or "").strip()
    if needs_reason and not reason:
        return engagement_page(engagement, _("Give a reason."))
    service(actor(), engagement, reason)
    if form.action.data == "replace":
        return _done(engagement, _("The expert is withdrawn; choose a replacement."), ".suggestions")
    return _done(engagement, _("Engagement updated."))


@engagement_step("/plan")
def plan(engagement: Engagement):
    form = submitted(PlanForm(), _("Please correct the dates."), shown_as="plan_form")
    desk.plan_engagement(actor(), engagement, form.planned_start.data, form.planned_end.data)
    return _done(engagement, _("Planned dates saved."))


@engagement_step("/milestones")
def add_milestone(engagement: Engagement):
    form = submitted(MilestoneForm(), _("Please correct the milestone."), shown_as="milestone_form")
    desk.add_milestone(actor(), engagement, form.title.data, form.due_on.data)
    return _done(engagement, _("Milestone added."))


@engagement_step("/milestones/<int:milestone_id>/done")
def complete_milestone(engagement: Engagement, milestone_id: int):
    milestone = found_or_404(db.session.get(Milestone, milestone_id))
    if milestone.engagement_id != engagement.id:
        abort(404)
    desk.complete_milestone(actor(), milestone)
    return _done(engagement, _("Milestone done."))


@engagement_step("/notes")
def add_note(engagement: Engagement):
    form = submitted(NoteForm(), _("Write the progress note first."), shown_as="note_form")
    engagement_services.add_progress_note(actor(), engagement, form.body.data)
    return _done(engagement, _("Note added."))
