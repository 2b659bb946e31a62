"""Invitations and engagements: the two state machines, each transition guarded and audited here.

Invitation: pending -> accepted (terms signed) | declined (reason) | expired | revoked | conflict_declared.
Engagement: planned -> active -> report_submitted -> report_accepted -> closed (side state: suspended;
withdrawn by a coordinator). The request's own lifecycle advances through `requests.lifecycle.transition`.

An expert's `commitments` counts pending invitations plus open engagements; it is reserved when invited
and released when the invitation ends without an engagement or the engagement closes or is withdrawn.
The reservation is one conditional UPDATE on the locked row, so two coordinators cannot over-commit.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from expertnet.accounts.models import Role
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements.models import (DeclineReason, Engagement, EngagementNote, EngagementStatus, Invitation,
                                          InvitationStatus)
from expertnet.engagements.suggestions import is_vetted, mark_expert_changed
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION  # noqa: F401 - part of this API
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.notifications.services import send_mail
from expertnet.requests.lifecycle import transition
from expertnet.requests.models import RequestStatus

IS, ES, RS = InvitationStatus, EngagementStatus, RequestStatus
INVITABLE_STATUSES = frozenset({RS.MATCHING, RS.INVITING, RS.ASSIGNED, RS.IN_PROGRESS})
ENDED_WITHOUT_ENGAGEMENT = frozenset({IS.DECLINED, IS.EXPIRED, IS.REVOKED, IS.CONFLICT_DECLARED})
OPEN_ENGAGEMENT = frozenset({ES.PLANNED, ES.ACTIVE, ES.REPORT_SUBMITTED, ES.REPORT_ACCEPTED, ES.SUSPENDED})
REMINDER_BEFORE = timedelta(hours=48)

ERROR_MESSAGES = {
    "not_staff": _l("Only coordinators may do this."),
    "request_not_open": _l("This request is not at a stage where experts can be invited."),
    "expert_not_vetted": _l("This expert is not vetted or their account is not active."),
    "same_organisation": _l("This expert belongs to the requesting organisation."),
    "conflict_of_interest": _l("This expert declared a conflict of interest with the requesting organisation or country."),
    "already_invited": _l("This expert has already been invited to this request."),
    "at_capacity": _l("This expert has no capacity left for another engagement."),
    "respond_by_past": _l("The answer deadline must be in the future."),
    "not_yours": _l("This invitation is not addressed to you."),
    "not_pending": _l("This invitation is no longer open: it was answered, withdrawn or has expired."),
    "revoked": _l("The coordinators withdrew this invitation; it can no longer be answered."),
    "past_deadline": _l("The deadline to answer this invitation has passed."),
    "terms_outdated": _l("The confidentiality terms have changed; please read and accept the current version."),
    "terms_required": _l("Accept the confidentiality terms before accepting the invitation."),
    "reason_required": _l("Give a reason."),
    "illegal_transition": _l("This engagement cannot make that step from its current state."),
    "report_required": _l("Write the completion report before submitting it."),
    "note_required": _l("Write the progress note first."),
    "days_invalid": _l("Days spent must be between 0 and 365."),
}


class EngagementError(Exception):
    """A refused invitation or engagement action; `.code` keys ERROR_MESSAGES, `.message` is translated."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(ERROR_MESSAGES.get(self.code, self.code))


class InvitationError(EngagementError):
    pass


def _is_staff(user) -> bool:
    return user is not None and user.role in (Role.COORDINATOR, Role.ADMIN) and user.is_active


def _require_staff(user, error=InvitationError) -> None:
    if not _is_staff(user):
        raise error("not_staff")


# ------------------------------------------------------------------ capacity (the locked, conditional update)
def _reserve_commitment(profile: ExpertProfile) -> None:
    db.session.scalar(sa.select(ExpertProfile.id).where(ExpertProfile.id == profile.id).with_for_update())
    result = db.session.execute(
        sa.update(ExpertProfile).where(ExpertProfile.id == profile.id, ExpertProfile.commitments < ExpertProfile.capacity)
        .values(commitments=ExpertProfile.commitments + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise InvitationError("at_capacity")
    db.session.expire(profile, ["commitments"])


def _release_commitment(profile: ExpertProfile) -> None:
    db.session.execute(
        sa.update(ExpertProfile).where(ExpertProfile.id == profile.id, ExpertProfile.commitments > 0)
        .values(commitments=ExpertProfile.commitments - 1).execution_options(synchronize_session=False))
    db.session.expire(profile, ["commitments"])
    mark_expert_changed(profile)


# ------------------------------------------------------------------ inviting
def _conflict(profile: ExpertProfile, assistance_request) -> bool:
    countries = {c.upper() for c in (assistance_request.country, assistance_request.organisation.country) if c}
    declared = {c.upper() for c in profile.conflict_countries or []}
    return (assistance_request.organisation_id in {o.id for o in profile.conflict_organisations}
            or bool(declared & countries))


def check_invitable(assistance_request, profile: ExpertProfile) -> None:
    """Raise InvitationError when `profile` may not be invited to the request (the capacity race aside)."""
    if assistance_request.status not in INVITABLE_STATUSES:
        raise InvitationError("request_not_open")
    if not is_vetted(profile):
        raise InvitationError("expert_not_vetted")
    if profile.organisation_id is not None and profile.organisation_id == assistance_request.organisation_id:
        raise InvitationError("same_organisation")
    if _conflict(profile, assistance_request):
        raise InvitationError("conflict_of_interest")
    if db.session.scalar(sa.select(Invitation.id).where(Invitation.request_id == assistance_request.id,
                                                        Invitation.expert_id == profile.id)):
        raise InvitationError("already_invited")
    if profile.commitments >= profile.capacity:
        raise InvitationError("at_capacity")


def invite_expert(coordinator, assistance_request, expert_profile: ExpertProfile, message: str,
                  respond_by: datetime, match_score: float | None = None) -> Invitation:
    _require_staff(coordinator)
    check_invitable(assistance_request, expert_profile)
    if respond_by <= utcnow():
        raise InvitationError("respond_by_past")
    invitation = _create_invitation(coordinator, assistance_request, expert_profile, message, respond_by, match_score)
    if assistance_request.status == RS.MATCHING:
        transition(assistance_request, RS.INVITING, coordinator, str(_l("First expert invited.")))
    _mail_expert(invitation, "invitation_new")
    return invitation


def _create_invitation(coordinator, assistance_request, expert_profile: ExpertProfile, message: str,
                       respond_by: datetime, match_score: float | None) -> Invitation:
    """The invitation row with its capacity reservation and audit row; callers have checked the rules."""
    invitation = Invitation(request=assistance_request, expert=expert_profile, invited_by=coordinator,
                            message=(message or "").strip(), respond_by=respond_by, match_score=match_score)
    try:
        # One savepoint: a refused reservation or a concurrent duplicate leaves nothing behind.
        with db.session.begin_nested():
            _reserve_commitment(expert_profile)
            db.session.add(invitation)
            db.session.flush()
    except IntegrityError:
        raise InvitationError("already_invited") from None
    mark_expert_changed(expert_profile)
    record("invitation.created", coordinator, invitation, request_id=assistance_request.id,
           expert_id=expert_profile.id, respond_by=respond_by.isoformat())
    return invitation


def _mail_expert(invitation: Invitation, template: str, dedupe_key: str | None = None) -> None:
    user = invitation.expert.user
    send_mail(user.email, template, user.locale, dedupe_key=dedupe_key, invitation=invitation,
              request_reference=invitation.request.reference or "", name=user.full_name)


def _mail_coordinator(invitation: Invitation, template: str) -> None:
    coordinator = invitation.request.lead_coordinator or invitation.invited_by
    send_mail(coordinator.email, template, coordinator.locale, invitation=invitation,
              request_reference=invitation.request.reference or "", name=coordinator.full_name,
              expert_name=invitation.expert.user.full_name)


# ------------------------------------------------------------------ the expert's answer
def _check_respondable(expert_user, invitation: Invitation, now: datetime | None = None) -> None:
    if invitation.expert.user_id != expert_user.id:
        raise InvitationError("not_yours")
    if invitation.status == IS.REVOKED:
        raise InvitationError("revoked")
    if invitation.status == IS.EXPIRED:
        raise InvitationError("past_deadline")
    if invitation.status != IS.PENDING:
        raise InvitationError("not_pending")
    if (now or utcnow()) > invitation.respond_by:
        raise InvitationError("past_deadline")


def terms_current(invitation: Invitation) -> bool:
    return invitation.terms_accepted_at is not None and invitation.terms_version == CONFIDENTIALITY_TERMS_VERSION


def accept_terms(expert_user, invitation: Invitation, terms_version: str) -> None:
    _check_respondable(expert_user, invitation)
    if terms_version != CONFIDENTIALITY_TERMS_VERSION:
        raise InvitationError("terms_outdated")
    invitation.terms_version, invitation.terms_accepted_at = terms_version, utcnow()
    db.session.flush()
    record("invitation.terms_accepted", expert_user, invitation, terms_version=terms_version,
           request_id=invitation.request_id)


def accepted_count(assistance_request) -> int:
    return db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
        Invitation.request_id == assistance_request.id, Invitation.status == IS.ACCEPTED))


def accept_invitation(expert_user, invitation: Invitation) -> Engagement:
    _check_respondable(expert_user, invitation)
    if not terms_current(invitation):
        raise InvitationError("terms_required")
    assistance_request = invitation.request
    invitation.status, invitation.responded_at = IS.ACCEPTED, utcnow()
    engagement = Engagement(invitation=invitation, request=assistance_request, expert=invitation.expert,
                            planned_start=assistance_request.start_date, planned_end=assistance_request.end_date)
    db.session.add(engagement)
    db.session.flush()
    record("invitation.accepted", expert_user, invitation, request_id=assistance_request.id)
    record("engagement.planned", expert_user, engagement, request_id=assistance_request.id)
    if assistance_request.status == RS.INVITING and accepted_count(assistance_request) >= assistance_request.experts_wanted:
        transition(assistance_request, RS.ASSIGNED, None, str(_l("Enough experts accepted.")))
    _mail_coordinator(invitation, "invitation_accepted")
    return engagement


def decline_invitation(expert_user, invitation: Invitation, reason: DeclineReason, note: str = "") -> None:
    _check_respondable(expert_user, invitation)
    reason = DeclineReason(reason)
    if reason == DeclineReason.OTHER and not (note or "").strip():
        raise InvitationError("reason_required")
    conflict = reason == DeclineReason.CONFLICT
    _end_invitation(invitation, IS.CONFLICT_DECLARED if conflict else IS.DECLINED)
    if conflict:
        _remember_conflict(invitation.expert, invitation.request.organisation)
    invitation.decline_reason, invitation.decline_note = reason, (note or "").strip()
    db.session.flush()
    record("invitation.conflict_declared" if conflict else "invitation.declined", expert_user, invitation,
           reason=reason.value, request_id=invitation.request_id)
    _maybe_back_to_matching(invitation.request)
    _mail_coordinator(invitation, "invitation_declined")


def _remember_conflict(profile: ExpertProfile, organisation) -> None:
    """A conflict declared on one request holds for the agency's next requests too (the matcher excludes it)."""
    if organisation not in profile.conflict_organisations:
        profile.conflict_organisations.append(organisation)
        mark_expert_changed(profile)


def revoke_invitation(coordinator, invitation: Invitation, reason: str) -> None:
    _require_staff(coordinator)
    if invitation.status != IS.PENDING:
        raise InvitationError("not_pending")
    if not (reason or "").strip():
        raise InvitationError("reason_required")
    _end_invitation(invitation, IS.REVOKED)
    invitation.decline_note = reason.strip()
    db.session.flush()
    record("invitation.revoked", coordinator, invitation, reason=reason.strip(), request_id=invitation.request_id)
    _maybe_back_to_matching(invitation.request)
    _mail_expert(invitation, "invitation_revoked")


def _end_invitation(invitation: Invitation, status: InvitationStatus) -> None:
    invitation.status, invitation.responded_at = status, utcnow()
    _release_commitment(invitation.expert)


def _maybe_back_to_matching(assistance_request) -> None:
    """inviting -> matching once no invitation of the request is pending or accepted any more."""
    if assistance_request.status != RS.INVITING:
        return
    statuses = set(db.session.scalars(sa.select(Invitation.status).where(Invitation.request_id == assistance_request.id)))
    if statuses and statuses <= ENDED_WITHOUT_ENGAGEMENT:
        transition(assistance_request, RS.MATCHING, None,
                   str(_l("Every invitation was declined, expired or withdrawn.")))


def expire_invitations(now: datetime | None = None) -> list[Invitation]:
    """Expire pending invitations past their deadline (idempotent: a second run finds none)."""
    now = now or utcnow()
    overdue = db.session.scalars(sa.select(Invitation).where(Invitation.status == IS.PENDING,
                                                              Invitation.respond_by < now)).all()
    for invitation in overdue:
        _end_invitation(invitation, IS.EXPIRED)
        db.session.flush()
        record("invitation.expired", None, invitation, request_id=invitation.request_id)
        _maybe_back_to_matching(invitation.request)
    return list(overdue)


def invitations_needing_reminder(now: datetime | None = None) -> list[Invitation]:
    """Pending invitations due within REMINDER_BEFORE whose expert was not reminded yet."""
    now = now or utcnow()
    return list(db.session.scalars(sa.select(Invitation).where(
        Invitation.status == IS.PENDING, Invitation.reminder_sent_at.is_(None),
        Invitation.respond_by > now, Invitation.respond_by <= now + REMINDER_BEFORE)))


def send_invitation_reminders(now: datetime | None = None) -> int:
    now = now or utcnow()
    due = invitations_needing_reminder(now)
    for invitation in due:
        invitation.reminder_sent_at = now
        _mail_expert(invitation, "invitation_reminder", dedupe_key=f"invitation-reminder-{invitation.id}")
    db.session.flush()
    return len(due)


# ------------------------------------------------------------------ engagements
def _own_or_staff(user, engagement: Engagement) -> None:
    if not (_is_staff(user) or engagement.expert.user_id == user.id):
        raise EngagementError("not_yours")


def _move(engagement: Engagement, allowed_from, to_status: EngagementStatus, actor, **details) -> None:
    if engagement.status not in allowed_from:
        raise EngagementError("illegal_transition")
    from_status = engagement.status
    engagement.status = to_status
    db.session.flush()
    record(f"engagement.{to_status.value}", actor, engagement, from_status=from_status.value,
           request_id=engagement.request_id, **details)


def start_engagement(actor, engagement: Engagement) -> None:
    _own_or_staff(actor, engagement)
    _move(engagement, {ES.PLANNED}, ES.ACTIVE, actor)
    if engagement.request.status == RS.ASSIGNED:
        transition(engagement.request, RS.IN_PROGRESS, None, str(_l("An expert started work.")))


def add_progress_note(actor, engagement: Engagement, body: str) -> EngagementNote:
    _own_or_staff(actor, engagement)
    if engagement.status not in (ES.PLANNED, ES.ACTIVE, ES.REPORT_SUBMITTED, ES.SUSPENDED):
        raise EngagementError("illegal_transition")
    if not (body or "").strip():
        raise EngagementError("note_required")
    note = EngagementNote(engagement=engagement, author=actor, body=body.strip())
    db.session.add(note)
    db.session.flush()
    record("engagement.note_added", actor, engagement, note_id=note.id)
    return note


def submit_report(expert_user, engagement: Engagement, report: str, days_spent: float | None = None) -> None:
    if engagement.expert.user_id != expert_user.id:
        raise EngagementError("not_yours")
    if not (report or "").strip():
        raise EngagementError("report_required")
    if days_spent is not None and not 0 <= days_spent <= 365:
        raise EngagementError("days_invalid")
    _move(engagement, {ES.ACTIVE}, ES.REPORT_SUBMITTED, expert_user)
    engagement.completion_report, engagement.days_spent = report.strip(), days_spent
    engagement.report_submitted_at = utcnow()
    db.session.flush()
    _mail_coordinator(engagement.invitation, "engagement_report_submitted")


def accept_report(coordinator, engagement: Engagement) -> None:
    _require_staff(coordinator, EngagementError)
    _move(engagement, {ES.REPORT_SUBMITTED}, ES.REPORT_ACCEPTED, coordinator)


def return_report(coordinator, engagement: Engagement, reason: str) -> None:
    """Send the report back to the expert for changes (report_submitted -> active)."""
    _require_staff(coordinator, EngagementError)
    if not (reason or "").strip():
        raise EngagementError("reason_required")
    _move(engagement, {ES.REPORT_SUBMITTED}, ES.ACTIVE, coordinator, reason=reason.strip())


def close_engagement(coordinator, engagement: Engagement) -> None:
    _require_staff(coordinator, EngagementError)
    _move(engagement, {ES.REPORT_ACCEPTED}, ES.CLOSED, coordinator)
    engagement.closed_at = utcnow()
    _release_commitment(engagement.expert)


def suspend_engagement(coordinator, engagement: Engagement, reason: str) -> None:
    _require_staff(coordinator, EngagementError)
    if not (reason or "").strip():
        raise EngagementError("reason_required")
    _move(engagement, {ES.PLANNED, ES.ACTIVE}, ES.SUSPENDED, coordinator, reason=reason.strip())


def resume_engagement(coordinator, engagement: Engagement) -> None:
    _require_staff(coordinator, EngagementError)
    _move(engagement, {ES.SUSPENDED}, ES.ACTIVE, coordinator)


def withdraw_expert(coordinator, engagement: Engagement, reason: str) -> None:
    """Take the expert off the request; the engagement stays as history and the commitment is released."""
    _require_staff(coordinator, EngagementError)
    if not (reason or "").strip():
        raise EngagementError("reason_required")
    _move(engagement, OPEN_ENGAGEMENT - {ES.REPORT_ACCEPTED}, ES.WITHDRAWN, coordinator, reason=reason.strip())
    engagement.withdrawal_reason, engagement.closed_at = reason.strip(), utcnow()
    _release_commitment(engagement.expert)
    _mail_expert(engagement.invitation, "engagement_withdrawn")
