"""The expert's side: invitations inbox (summary until accepted under the confidentiality terms) and
engagements (thread, progress notes, deliverables, completion report). Load own -> check -> service; the
action seam commits once and answers refusals."""
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from expertnet.accounts.models import Role
from expertnet.accounts.policy import found_or_404, is_staff, roles_required
from expertnet.actions import action, attempt, refused_back_to
from expertnet.attachments import services as attachment_services
from expertnet.attachments.models import Attachment
from expertnet.attachments.responses import download_response
from expertnet.engagements import access, bp, services
from expertnet.engagements.forms import (AcceptForm, DeclineForm, DeliverableForm, MessageForm, NoteForm, ReportForm,
                                         StartForm, TermsForm)
from expertnet.engagements.models import DeclineReason, Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.reading import engagement_view, list_summary, request_view
from expertnet.engagements.schemas import InvitationOut
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION, terms_paragraphs
from expertnet.extensions import db
from expertnet.requests import access as request_access
from expertnet.requests import services as request_services
from expertnet.web_input import choice_or_400


OPEN_ENGAGEMENTS = (EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
                    EngagementStatus.SUSPENDED)


def _user():
    return current_user._get_current_object()


# ------------------------------------------------------------------ invitations
@bp.get("/invitations")
@roles_required(Role.EXPERT)
def inbox():
    invitations = db.session.scalars(access.own_invitations(_user()).order_by(
        (Invitation.status == InvitationStatus.PENDING).desc(), Invitation.created_at.desc())).all()
    summaries = {i.id: list_summary(i) for i in invitations if i.status != InvitationStatus.REVOKED}
    return render_template("engagements/inbox.html", invitations=invitations, summaries=summaries)


@bp.get("/invitations/<int:invitation_id>")
@roles_required(Role.EXPERT)
@action  # the sensitive-read audit row
def invitation_detail(invitation_id: int):
    invitation = access.get_own_invitation_or_404(_user(), invitation_id)
    data, full = request_view(_user(), invitation)
    return render_template("engagements/invitation.html", invitation=invitation, r=data, full=full,
                           terms=terms_paragraphs(), terms_version=CONFIDENTIALITY_TERMS_VERSION,
                           terms_current=services.terms_current(invitation),
                           terms_form=TermsForm(formdata=None, terms_version=CONFIDENTIALITY_TERMS_VERSION),
                           accept_form=AcceptForm(formdata=None), decline_form=DeclineForm(formdata=None))


@bp.get("/invitations/<int:invitation_id>.json")
@roles_required(Role.EXPERT)
@action
def invitation_json(invitation_id: int):
    invitation = access.get_own_invitation_or_404(_user(), invitation_id)
    data, full = request_view(_user(), invitation)
    return jsonify({**InvitationOut().dump(invitation), "terms_current": services.terms_current(invitation),
                    "full": full, "request": data})


def _to_invitation(invitation_id: int) -> str:
    return url_for("engagements.invitation_detail", invitation_id=invitation_id)


@bp.post("/invitations/<int:invitation_id>/terms")
@roles_required(Role.EXPERT)
@action(refused=refused_back_to(_to_invitation))
def accept_terms(invitation_id: int):
    invitation = access.get_own_invitation_or_404(_user(), invitation_id)
    form = TermsForm()
    if not form.validate():
        flash(_("Tick the box to accept the terms."), "danger")
        return redirect(_to_invitation(invitation.id))
    services.accept_terms(_user(), invitation, form.terms_version.data or "")
    flash(_("Thank you. You can now accept the invitation; the full request opens once you have."), "success")
    return redirect(_to_invitation(invitation.id))


@bp.post("/invitations/<int:invitation_id>/accept")
@roles_required(Role.EXPERT)
@action(refused=refused_back_to(_to_invitation))
def accept_invitation(invitation_id: int):
    invitation = access.get_own_invitation_or_404(_user(), invitation_id)
    AcceptForm().validate()
    engagement = services.accept_invitation(_user(), invitation)
    flash(_("You accepted the invitation. The full request and the conversation are open to you."), "success")
    return redirect(url_for("engagements.engagement_detail", engagement_id=engagement.id))


@bp.post("/invitations/<int:invitation_id>/decline")
@roles_required(Role.EXPERT)
@action(refused=refused_back_to(_to_invitation))
def decline_invitation(invitation_id: int):
    invitation = access.get_own_invitation_or_404(_user(), invitation_id)
    form = DeclineForm()
    form.validate()
    reason = choice_or_400(DeclineReason, form.reason.data) if form.reason.data else None
    services.decline_invitation(_user(), invitation, reason, form.note.data or "")
    flash(_("You declined the invitation. Thank you for telling us."), "success")
    return redirect(url_for("engagements.inbox"))


# ------------------------------------------------------------------ engagements
@bp.get("/engagements")
@roles_required(Role.EXPERT)
def my_engagements():
    engagements = db.session.scalars(access.own_engagements(_user()).order_by(Engagement.created_at.desc())).all()
    active = [e for e in engagements if e.status in OPEN_ENGAGEMENTS]
    past = [e for e in engagements if e.status not in OPEN_ENGAGEMENTS]
    return render_template("engagements/mine.html", active=active, past=past)


def _engagement_context(engagement: Engagement, **forms) -> dict:
    user = _user()
    assistance_request = engagement.request
    data, full = engagement_view(user, engagement)
    deliverables = attachment_services.attachments_of(assistance_request, engagement_id=engagement.id) if full else []
    # The agency's files this reader may open (need-to-know and TLP: `requests.access.may_read_attachment`).
    request_files = [a for a in attachment_services.attachments_of(assistance_request)
                     if a.engagement_id is None and request_access.may_read_attachment(user, assistance_request, a)
                     ] if full else []
    conversation = request_services.visible_messages(user, assistance_request) if full else []
    defaults = {"note_form": NoteForm(formdata=None), "message_form": MessageForm(formdata=None),
                "deliverable_form": DeliverableForm(formdata=None), "report_form": ReportForm(formdata=None),
                "start_form": StartForm(formdata=None)}
    return {"engagement": engagement, "r": data, "full": full, "deliverables": deliverables,
            "request_files": request_files,
            "conversation": conversation, "is_expert": engagement.expert.user_id == user.id,
            "may_converse": full and request_access.may_converse(user, assistance_request), **defaults, **forms}


def _render_engagement(engagement: Engagement, status: int = 200, **forms):
    context = _engagement_context(engagement, **forms)
    return render_template("engagements/engagement.html", **context), status


def _posted(engagement_id: int, name: str, form_class) -> tuple[Engagement, Any, Any]:
    """The user's engagement (404 otherwise) and the form posted on its page, with that page drawn again (400,
    the form's errors inline) when the form is invalid, for the view to answer with instead of acting."""
    engagement = access.get_engagement_or_404(_user(), engagement_id)
    form = form_class()
    return engagement, form, None if form.validate() else _render_engagement(engagement, 400, **{name: form})


def _to_engagement(engagement_id: int, anchor: str | None = None) -> str:
    return url_for("engagements.engagement_detail", engagement_id=engagement_id, _anchor=anchor)


@bp.get("/engagements/<int:engagement_id>")
@login_required
@action  # the sensitive-read audit row
def engagement_detail(engagement_id: int):
    return _render_engagement(access.get_engagement_or_404(_user(), engagement_id))


@bp.post("/engagements/<int:engagement_id>/start")
@login_required
@action(refused=refused_back_to(_to_engagement))
def start(engagement_id: int):
    engagement = access.get_engagement_or_404(_user(), engagement_id)
    services.start_engagement(_user(), engagement)
    flash(_("The engagement is under way."), "success")
    return redirect(_to_engagement(engagement.id))


@bp.post("/engagements/<int:engagement_id>/notes")
@login_required
@action(refused=refused_back_to(_to_engagement))
def add_note(engagement_id: int):
    engagement, form, invalid = _posted(engagement_id, "note_form", NoteForm)
    if invalid:
        return invalid
    services.add_progress_note(_user(), engagement, form.body.data)
    return redirect(_to_engagement(engagement.id, "progress"))


@bp.post("/engagements/<int:engagement_id>/messages")
@login_required
@action
def post_message(engagement_id: int):
    engagement, form, invalid = _posted(engagement_id, "message_form", MessageForm)
    if invalid:
        return invalid
    if not attempt(lambda: request_services.post_message(_user(), engagement.request, form.body.data),
                   form.body).ok:
        return _render_engagement(engagement, 400, message_form=form)
    return redirect(_to_engagement(engagement.id, "conversation"))


@bp.post("/engagements/<int:engagement_id>/deliverables")
@login_required
@action
def upload_deliverable(engagement_id: int):
    engagement = access.get_engagement_or_404(_user(), engagement_id)
    if engagement.status not in OPEN_ENGAGEMENTS:
        abort(409)
    form = DeliverableForm()
    if not form.validate() or not form.file.data:
        form.file.errors = [_("Choose a file to upload.")]
        return _render_engagement(engagement, 400, deliverable_form=form)
    stored = attempt(lambda: attachment_services.store_attachment(
        _user(), engagement.request, form.file.data, form.tlp.data, engagement_id=engagement.id), form.file)
    if not stored.ok:
        return _render_engagement(engagement, stored.refusal.http_status, deliverable_form=form)
    flash(_("The deliverable is uploaded."), "success")
    return redirect(_to_engagement(engagement.id, "deliverables"))


@bp.get("/engagements/<int:engagement_id>/deliverables/<int:attachment_id>")
@login_required
@action  # the download's audit row
def download_deliverable(engagement_id: int, attachment_id: int):
    engagement = access.get_engagement_or_404(_user(), engagement_id)
    attachment = db.session.get(Attachment, attachment_id)
    found_or_404(attachment, attachment is not None and attachment.engagement_id == engagement.id)
    found_or_404(attachment, request_access.may_read_part(_user(), engagement.request, attachment.tlp, "attachment"))
    path = attachment_services.open_for_download(_user(), attachment)
    return download_response(path, attachment)


@bp.post("/engagements/<int:engagement_id>/report")
@login_required
@action(refused=refused_back_to(_to_engagement))
def submit_report(engagement_id: int):
    engagement = access.get_engagement_or_404(_user(), engagement_id)
    if is_staff(_user()) and engagement.expert.user_id != _user().id:
        abort(403)
    form = ReportForm()
    if not form.validate():
        return _render_engagement(engagement, 400, report_form=form)
    days = float(form.days_spent.data) if form.days_spent.data is not None else None
    services.submit_report(_user(), engagement, form.report.data, days)
    flash(_("Your completion report is submitted. The coordinators will review it."), "success")
    return redirect(_to_engagement(engagement.id))
