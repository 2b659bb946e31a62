"""Invitations and engagements: the actions on the two state machines of `engagements.machine`.

Invitation: pending -> accepted (terms signed) | declined (reason) | expired | revoked | conflict_declared.
Engagement: planned -> active -> report_submitted -> report_accepted -> closed (side state: suspended;
withdrawn by a coordinator). Every status change goes through `statemachine.transition` with the machines of
`engagements.machine` (row locks, idempotent repeats, 409 on conflict, audit); the request's own lifecycle
advances through `requests.lifecycle.transition` on the request row that the move has locked first.

An expert's `commitments` is the count of pending invitations plus open engagements, recomputed from the rows
under the profile's row lock (`engagements.capacity`), so parallel actions cannot over-commit or release twice.
"""
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.accounts.policy import is_staff
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements import machine, need_to_know
from expertnet.engagements.capacity import (OPEN_ENGAGEMENT, count_commitments, lock_row,  # noqa: F401 - API
                                            sync_commitments)
from expertnet.engagements.machine import (ENGAGEMENT_MACHINE, INVITATION_MACHINE, EngagementError, InvitationError,
                                           TransitionConflict, terms_current)  # noqa: F401 - terms_current: API
from expertnet.engagements.models import (DeclineReason, Engagement, EngagementNote, EngagementStatus, Invitation,
                                          InvitationStatus)
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.experts.matcher_bridge import is_vetted
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.notifications.services import Link, link, notify
from expertnet.requests import lifecycle
from expertnet.requests.models import RequestStatus
from expertnet.sensitivity import Access
from expertnet.statemachine import transition

INVITABLE_STATUSES = frozenset({RequestStatus.MATCHING, RequestStatus.INVITING, RequestStatus.ASSIGNED,
                                RequestStatus.IN_PROGRESS})
ENDED_WITHOUT_ENGAGEMENT = frozenset({InvitationStatus.DECLINED, InvitationStatus.EXPIRED, InvitationStatus.REVOKED,
                                      InvitationStatus.CONFLICT_DECLARED})
REMINDER_BEFORE = timedelta(hours=48)


def _require_staff(user, error=InvitationError) -> None:
    # policy.is_staff is False for a deactivated account (Flask-Login's is_authenticated is is_active) but
    # expects a user: None, the system, is never staff and is refused here as before, not a crash.
    if user is None or not is_staff(user):
        raise error("not_staff")


def _required_reason(reason: str | None, error=InvitationError) -> str:
    if not (reason or "").strip():
        raise error("reason_required")
    return (reason or "").strip()


def _staff_move(coordinator, engagement: Engagement, to: EngagementStatus, reason: str | None = None) -> bool:
    """A coordinator's move of an engagement; a move given a `reason` needs one that says something."""
    _require_staff(coordinator, EngagementError)
    audit: dict[str, Any] = {} if reason is None else {"reason": _required_reason(reason, EngagementError)}
    return transition(ENGAGEMENT_MACHINE, engagement, to, coordinator, **audit) is not None


# ------------------------------------------------------------------ inviting
def _conflict(profile: ExpertProfile, assistance_request) -> bool:
    countries = {c.upper() for c in (assistance_request.country, assistance_request.organisation.country) if c}
    declared = {c.upper() for c in profile.conflict_countries or []}
    return (assistance_request.organisation_id in {o.id for o in profile.conflict_organisations}
            or bool(declared & countries))


def check_invitable(assistance_request, profile: ExpertProfile) -> None:
    """Raise InvitationError when `profile` may not be invited to the request; race-free once the caller
    holds the request's and the profile's row locks (as `invite_expert` does)."""
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
    if count_commitments(profile) >= profile.capacity:
        raise InvitationError("at_capacity")


def invite_expert(coordinator, assistance_request, expert_profile: ExpertProfile, message: str,
                  respond_by: datetime, match_score: float | None = None) -> Invitation:
    _require_staff(coordinator)
    if respond_by <= utcnow():
        raise InvitationError("respond_by_past")
    lock_row(assistance_request)
    lock_row(expert_profile)
    check_invitable(assistance_request, expert_profile)
    invitation = record_invitation(coordinator, assistance_request, expert_profile, message, respond_by, match_score)
    if assistance_request.status == RequestStatus.MATCHING:
        lifecycle.transition(assistance_request, RequestStatus.INVITING, coordinator, str(_l("First expert invited.")))
    _mail_expert(invitation, "invitation_new")
    return invitation


def record_invitation(coordinator, assistance_request, expert_profile: ExpertProfile, message: str,
                       respond_by: datetime, match_score: float | None) -> Invitation:
    """The invitation row, the expert's recounted commitments and the audit rows, without the rules or the mail:
    invite_expert checks the rules first; demo seeding back-fills history with it."""
    invitation = Invitation(request=assistance_request, expert=expert_profile, invited_by=coordinator,
                            message=(message or "").strip(), respond_by=respond_by, match_score=match_score)
    with db.session.begin_nested():
        db.session.add(invitation)
        db.session.flush()
        # SQLite has no row locks: the recount after the insert is what refuses a parallel invitation there.
        if count_commitments(expert_profile) > expert_profile.capacity:
            raise InvitationError("at_capacity")
    sync_commitments(expert_profile)
    record("invitation.created", coordinator, invitation, request_id=assistance_request.id,
           expert_id=expert_profile.id, respond_by=respond_by.isoformat())
    need_to_know.record_change(coordinator, invitation, Access.NONE, Access.SUMMARY,
                               "invitation_created")
    return invitation


def _mail_expert(invitation: Invitation, template: str, dedupe_key: str | None = None, to: Link | None = None) -> None:
    """The expert hears by e-mail and in the app; the notification opens their invitation page unless `to`."""
    user, reference = invitation.expert.user, invitation.request.reference or ""
    notify(user, template, to or link("engagements.invitation_detail", invitation_id=invitation.id),
           {"reference": reference}, dedupe_key=dedupe_key, invitation=invitation, request_reference=reference,
           name=user.full_name)


def _mail_coordinator(invitation: Invitation, template: str, to: Link | None = None) -> None:
    """The request's lead (or the inviting coordinator) hears; the notification opens the request's desk page."""
    coordinator, reference = invitation.request.lead_coordinator or invitation.invited_by, invitation.request.reference or ""
    expert_name = invitation.expert.user.full_name
    notify(coordinator, template, to or link("coordination.request_desk", request_id=invitation.request_id),
           {"reference": reference, "expert": expert_name}, invitation=invitation, request_reference=reference,
           name=coordinator.full_name, expert_name=expert_name)


# ------------------------------------------------------------------ the expert's answer
def _check_own(expert_user, invitation: Invitation) -> None:
    if invitation.expert.user_id != expert_user.id:
        raise InvitationError("not_yours")


def accept_terms(expert_user, invitation: Invitation, terms_version: str) -> None:
    """Sign the terms on a pending invitation (not a move: checked under the invitation's row lock)."""
    _check_own(expert_user, invitation)
    lock_row(invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise machine.conflict_for(invitation)
    if utcnow() > invitation.respond_by:
        raise InvitationError("past_deadline")
    if terms_version != CONFIDENTIALITY_TERMS_VERSION:
        raise InvitationError("terms_outdated")
    invitation.terms_version, invitation.terms_accepted_at = terms_version, utcnow()
    db.session.flush()
    record("invitation.terms_accepted", expert_user, invitation, terms_version=terms_version,
           request_id=invitation.request_id)


def accept_invitation(expert_user, invitation: Invitation) -> Engagement:
    """Accept under the signed terms; a repeat returns the engagement the first acceptance opened. The move
    opens the engagement and the request follows (`machine._open_engagement`)."""
    _check_own(expert_user, invitation)
    moved = transition(INVITATION_MACHINE, invitation, InvitationStatus.ACCEPTED, expert_user)
    if moved:
        _mail_coordinator(invitation, "invitation_accepted")
    return invitation.engagement  # type: ignore[return-value]  # an accepted invitation has its engagement


def decline_invitation(expert_user, invitation: Invitation, reason: DeclineReason | None, note: str = "") -> None:
    _check_own(expert_user, invitation)
    if reason is None:
        raise InvitationError("decline_reason_required")
    reason = DeclineReason(reason)
    if reason == DeclineReason.OTHER and not (note or "").strip():
        raise InvitationError("reason_required")
    conflict = reason == DeclineReason.CONFLICT
    answer = InvitationStatus.CONFLICT_DECLARED if conflict else InvitationStatus.DECLINED
    if not transition(INVITATION_MACHINE, invitation, answer, expert_user, reason=reason.value):
        return
    invitation.responded_at = utcnow()
    invitation.decline_reason, invitation.decline_note = reason, (note or "").strip()
    if conflict:
        _remember_conflict(invitation.expert, invitation.request.organisation)
    db.session.flush()
    _maybe_back_to_matching(invitation.request)
    _mail_coordinator(invitation, "invitation_declined")


def _remember_conflict(profile: ExpertProfile, organisation) -> None:
    """A conflict declared on one request holds for the agency's next requests too (the matcher excludes it)."""
    if organisation not in profile.conflict_organisations:
        profile.conflict_organisations.append(organisation)


def revoke_invitation(coordinator, invitation: Invitation, reason: str) -> None:
    _require_staff(coordinator)
    reason = _required_reason(reason)
    if not transition(INVITATION_MACHINE, invitation, InvitationStatus.REVOKED, coordinator, reason=reason):
        return
    invitation.responded_at, invitation.decline_note = utcnow(), reason
    db.session.flush()
    _maybe_back_to_matching(invitation.request)
    _mail_expert(invitation, "invitation_revoked")


def _maybe_back_to_matching(assistance_request) -> None:
    """inviting -> matching once no invitation of the request is pending or accepted any more (the request
    row is locked by the move that ended the invitation)."""
    if assistance_request.status != RequestStatus.INVITING:
        return
    statuses = set(db.session.scalars(sa.select(Invitation.status).where(Invitation.request_id == assistance_request.id)))
    if statuses and statuses <= ENDED_WITHOUT_ENGAGEMENT:
        lifecycle.transition(assistance_request, RequestStatus.MATCHING, None,
                             str(_l("Every invitation was declined, expired or withdrawn.")))


def expire_invitations(now: datetime | None = None) -> list[Invitation]:
    """Expire pending invitations past their deadline (idempotent: a second run finds none; one answered or
    revoked meanwhile is left as it is)."""
    now = now or utcnow()
    overdue = db.session.scalars(sa.select(Invitation).where(Invitation.status == InvitationStatus.PENDING,
                                                              Invitation.respond_by < now)).all()
    expired = []
    for invitation in overdue:
        try:
            moved = transition(INVITATION_MACHINE, invitation, InvitationStatus.EXPIRED, None)
        except TransitionConflict:
            continue
        if moved:
            invitation.responded_at = now
            _maybe_back_to_matching(invitation.request)
            expired.append(invitation)
    db.session.flush()
    return expired


def invitations_needing_reminder(now: datetime | None = None) -> list[Invitation]:
    """Pending invitations due within REMINDER_BEFORE whose expert was not reminded yet."""
    now = now or utcnow()
    return list(db.session.scalars(sa.select(Invitation).where(
        Invitation.status == InvitationStatus.PENDING, Invitation.reminder_sent_at.is_(None),
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
    if not (is_staff(user) or engagement.expert.user_id == user.id):
        raise EngagementError("not_yours")


def start_engagement(actor, engagement: Engagement) -> None:
    """Planned -> active; the request follows (in progress) through the machine's side effect."""
    _own_or_staff(actor, engagement)
    transition(ENGAGEMENT_MACHINE, engagement, EngagementStatus.ACTIVE, actor)


def add_progress_note(actor, engagement: Engagement, body: str) -> EngagementNote:
    _own_or_staff(actor, engagement)
    if engagement.status not in (EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
                                 EngagementStatus.SUSPENDED):
        raise TransitionConflict("illegal_transition")
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
    if not transition(ENGAGEMENT_MACHINE, engagement, EngagementStatus.REPORT_SUBMITTED, expert_user):
        return
    engagement.completion_report, engagement.days_spent = report.strip(), days_spent
    engagement.report_submitted_at = utcnow()
    db.session.flush()
    _mail_coordinator(engagement.invitation, "engagement_report_submitted",
                      link("coordination.engagement", engagement_id=engagement.id))


def accept_report(coordinator, engagement: Engagement) -> None:
    """The agency sees the report from now on; the request follows: delivered once every engagement on it has
    its report accepted."""
    if _staff_move(coordinator, engagement, EngagementStatus.REPORT_ACCEPTED):
        engagement.report_accepted_at = utcnow()
        db.session.flush()
        _mail_expert(engagement.invitation, "engagement_report_accepted",
                     to=link("engagements.engagement_detail", engagement_id=engagement.id))


def return_report(coordinator, engagement: Engagement, reason: str) -> None:
    """Send the report back to the expert for changes (report_submitted -> active)."""
    _staff_move(coordinator, engagement, EngagementStatus.ACTIVE, reason)


def close_engagement(coordinator, engagement: Engagement) -> None:
    """Close after the accepted report; the expert keeps read-only access for the configured period."""
    if _staff_move(coordinator, engagement, EngagementStatus.CLOSED):
        engagement.closed_at = utcnow()
        db.session.flush()


def suspend_engagement(coordinator, engagement: Engagement, reason: str) -> None:
    _staff_move(coordinator, engagement, EngagementStatus.SUSPENDED, reason)


def resume_engagement(coordinator, engagement: Engagement) -> None:
    _staff_move(coordinator, engagement, EngagementStatus.ACTIVE)


def withdraw_expert(coordinator, engagement: Engagement, reason: str) -> bool:
    """Take the expert off the request: the engagement stays as history, their place and their need-to-know
    end. False when it was already withdrawn (a repeat changes nothing)."""
    if not _staff_move(coordinator, engagement, EngagementStatus.WITHDRAWN, reason):
        return False
    engagement.withdrawal_reason, engagement.closed_at = reason.strip(), utcnow()
    db.session.flush()
    _mail_expert(engagement.invitation, "engagement_withdrawn")
    return True
