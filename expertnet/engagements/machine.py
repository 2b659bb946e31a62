"""The invitation and engagement state machines: their tables, and what their moves do beyond the status.

Like `requests.lifecycle.ALLOWED`, each table says `from -> to -> Step`; `statemachine.transition` moves
them. Both lock the request and then the row (SELECT ... FOR UPDATE, re-read after the lock), treat a repeat
of a move that already happened as a harmless no-op, refuse a move the table does not have (or an actor it
does not name) as a conflict (409), audit any change of the expert's need-to-know, and recompute the
expert's commitments from the rows when the move frees or takes a place. Lock order: request,
invitation/engagement, expert profile.

The request follows (issue 13 bugs 2 and 4), in the same transaction: an accepted invitation opens its
engagement and the request follows its engagements (`engagements.following`); once as many experts
accepted as wanted, the request's other pending invitations close. The other way round, a request that
closes, is withdrawn or rejected closes its pending invitations and ends its open engagements
(`follow_request`, registered with the request machine at app start).
"""
import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l, ngettext

from expertnet import statemachine
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements import need_to_know
from expertnet.engagements.capacity import OPEN_ENGAGEMENT, holds_capacity, lock_row, sync_commitments
from expertnet.engagements.following import (REPORT_DONE, accepted_count, engagement_statuses,
                                             request_follows_engagements)
from expertnet.engagements.models import ClosedBecause, Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.notifications.services import link, notify
from expertnet.requests import lifecycle
from expertnet.requests.models import RequestStatus
from expertnet.service_errors import Conflict, ServiceError
from expertnet.statemachine import EXPERT, STAFF, SYSTEM, Move, Step, step

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
    "request_ended": _l("This invitation was closed with its request (closed, withdrawn, declined or with all "
                        "the experts it needs); it can no longer be answered."),
    "past_deadline": _l("The deadline to answer this invitation has passed."),
    "terms_outdated": _l("The confidentiality terms have changed; please read and accept the current version."),
    "terms_required": _l("Accept the confidentiality terms before accepting the invitation."),
    "reason_required": _l("Give a reason."),
    "decline_reason_required": _l("Choose why you decline the invitation."),
    "illegal_transition": _l("This engagement cannot make that step from its current state."),
    "report_required": _l("Write the completion report before submitting it."),
    "note_required": _l("Write the progress note first."),
    "days_invalid": _l("Days spent must be between 0 and 365."),
}


class EngagementError(ServiceError):
    """A refused invitation or engagement action; `.code` keys ERROR_MESSAGES, `.message` is translated."""

    messages = ERROR_MESSAGES


class InvitationError(EngagementError):
    pass


class TransitionConflict(InvitationError, Conflict):
    """The row is in a state from which the table has no such move: someone else moved it first (409)."""


def _answerable(move: Move) -> str | None:
    return "past_deadline" if utcnow() > move.obj.respond_by else None


def _answerable_under_terms(move: Move) -> str | None:
    return _answerable(move) or (None if terms_current(move.obj) else "terms_required")


def terms_current(invitation: Invitation) -> bool:
    return invitation.terms_accepted_at is not None and invitation.terms_version == CONFIDENTIALITY_TERMS_VERSION


_ANSWER = step(EXPERT, guard=_answerable)

INVITATION_ALLOWED: dict[InvitationStatus, dict[InvitationStatus, Step]] = {
    InvitationStatus.PENDING: {InvitationStatus.ACCEPTED: step(EXPERT, guard=_answerable_under_terms),
                               InvitationStatus.DECLINED: _ANSWER, InvitationStatus.CONFLICT_DECLARED: _ANSWER,
                               InvitationStatus.EXPIRED: step(SYSTEM),
                               # The system: the request closed or has all its experts (closed_because).
                               InvitationStatus.REVOKED: step(STAFF, SYSTEM)},
    InvitationStatus.ACCEPTED: {}, InvitationStatus.DECLINED: {}, InvitationStatus.EXPIRED: {},
    InvitationStatus.REVOKED: {}, InvitationStatus.CONFLICT_DECLARED: {},
}

# Three moves lead to active: start (planned), resume (suspended), report returned (report_submitted).
# The system closes every open engagement when its request closes (the expert keeps read-only access).
_ENDS_WITH_REQUEST = step(SYSTEM)
ENGAGEMENT_ALLOWED: dict[EngagementStatus, dict[EngagementStatus, Step]] = {
    EngagementStatus.PLANNED: {EngagementStatus.ACTIVE: step(EXPERT, STAFF), EngagementStatus.SUSPENDED: step(STAFF),
                               EngagementStatus.WITHDRAWN: step(STAFF), EngagementStatus.CLOSED: _ENDS_WITH_REQUEST},
    EngagementStatus.ACTIVE: {EngagementStatus.REPORT_SUBMITTED: step(EXPERT),
                              EngagementStatus.SUSPENDED: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF),
                              EngagementStatus.CLOSED: _ENDS_WITH_REQUEST},
    EngagementStatus.REPORT_SUBMITTED: {EngagementStatus.REPORT_ACCEPTED: step(STAFF),
                                        EngagementStatus.ACTIVE: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF),
                                        EngagementStatus.CLOSED: _ENDS_WITH_REQUEST},
    EngagementStatus.REPORT_ACCEPTED: {EngagementStatus.CLOSED: step(STAFF, SYSTEM)},
    EngagementStatus.SUSPENDED: {EngagementStatus.ACTIVE: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF),
                                 EngagementStatus.CLOSED: _ENDS_WITH_REQUEST},
    EngagementStatus.CLOSED: {}, EngagementStatus.WITHDRAWN: {},
}

# The conflict's code names what happened instead, so the message can say it.
CONFLICT_CODES: dict[InvitationStatus | EngagementStatus, str] = {InvitationStatus.REVOKED: "revoked",
                                                                  InvitationStatus.EXPIRED: "past_deadline"}


def conflict_for(obj: Invitation | Engagement) -> TransitionConflict:
    if isinstance(obj, Invitation) and obj.closed_because is not None:
        return TransitionConflict("request_ended")
    default = "not_pending" if isinstance(obj, Invitation) else "illegal_transition"
    return TransitionConflict(CONFLICT_CODES.get(obj.status, default))


def actor_kind(obj: Invitation | Engagement, user) -> statemachine.Actor | None:
    return statemachine.acting_kind(user, EXPERT, lambda expert_user: obj.expert.user_id == expert_user.id)


def takes_a_place(status) -> bool:
    """For moves: an accepted invitation hands its place to the engagement opened with it, so accepting
    changes no count; any other status holds a place exactly when the count of the rows includes it."""
    return status == InvitationStatus.ACCEPTED or holds_capacity(status)


def lock_for_move(obj: Invitation | Engagement) -> None:
    """Lock the request, then `obj` (the consistent order that keeps parallel moves from deadlocking)."""
    lock_row(obj.request)
    lock_row(obj)


def _record_need_to_know(move: Move) -> None:
    need_to_know.record_change(move.actor, move.obj, need_to_know.level_of(move.from_status),
                               need_to_know.level_of(move.to_status),
                               f"{move.obj.__tablename__}_{move.to_status.value}")


def _recount_commitments(move: Move) -> None:
    if takes_a_place(move.from_status) != takes_a_place(move.to_status):
        sync_commitments(move.obj.expert)


def _open_engagement(move: Move) -> None:
    """An accepted invitation opens its engagement; the request follows, and once it has as many experts as
    wanted its other pending invitations close."""
    if move.to_status != InvitationStatus.ACCEPTED:
        return
    invitation = move.obj
    assistance_request = invitation.request
    invitation.responded_at = move.at
    engagement = Engagement(invitation=invitation, request=assistance_request, expert=invitation.expert,
                            planned_start=assistance_request.start_date, planned_end=assistance_request.end_date)
    db.session.add(engagement)
    db.session.flush()
    record("engagement.planned", move.actor, engagement, request_id=assistance_request.id)
    request_follows_engagements(assistance_request)
    if accepted_count(assistance_request) >= assistance_request.experts_wanted:
        close_pending_invitations(assistance_request, ClosedBecause.REQUEST_FILLED)


def _request_follows(move: Move) -> None:
    """The request follows the work; a withdrawal is the coordinator's decision (replace the expert or close), so
    it does not deliver the request on the remaining experts' reports."""
    if move.to_status != EngagementStatus.WITHDRAWN:
        request_follows_engagements(move.obj.request)


def _machine(name: str, table: dict, *effects) -> statemachine.Machine:
    """Invitations and engagements differ only in their table, name and what the request does after their moves:
    same lock, actors, refusals and effects otherwise."""
    return statemachine.Machine(
        name=name, table=table, actor_kind=actor_kind, lock=lock_for_move,
        # The services check who may act before the move, so a step that does not name this actor means the
        # row is in a state where they have no such step (an expert resuming a suspended engagement): 409.
        refuse_missing=lambda obj, to_status: conflict_for(obj), refuse_actor=conflict_for,
        refuse_guard=InvitationError,
        audit_details=lambda move: {"request_id": move.obj.request_id},
        effects=(_record_need_to_know, _recount_commitments, *effects))


INVITATION_MACHINE = _machine("invitation", INVITATION_ALLOWED, _open_engagement)
ENGAGEMENT_MACHINE = _machine("engagement", ENGAGEMENT_ALLOWED, _request_follows)


# ------------------------------------------------------------------ the request's end
CLOSED_BY_REQUEST = {RequestStatus.CLOSED: ClosedBecause.REQUEST_CLOSED,
                     RequestStatus.WITHDRAWN: ClosedBecause.REQUEST_WITHDRAWN,
                     RequestStatus.REJECTED: ClosedBecause.REQUEST_REJECTED}


def close_pending_invitations(assistance_request, because: ClosedBecause) -> list[Invitation]:
    """Close the request's pending invitations through the invitation machine (as the system): each expert is
    told by e-mail why, their place is released by the recount, the move audited. A repeat finds none."""
    pending = db.session.scalars(sa.select(Invitation).where(
        Invitation.request_id == assistance_request.id, Invitation.status == InvitationStatus.PENDING)
        .order_by(Invitation.id)).all()
    closed = []
    for invitation in pending:
        try:
            # A row answered meanwhile (seen under its lock) is left as the expert's answer made it.
            moved = statemachine.transition(INVITATION_MACHINE, invitation, InvitationStatus.REVOKED, None,
                                            closed_because=because.value)
        except TransitionConflict:
            continue
        if moved:
            invitation.responded_at, invitation.closed_because = moved.at, because
            user, reference = invitation.expert.user, assistance_request.reference or ""
            notify(user, "invitation_closed", link("engagements.invitation_detail", invitation_id=invitation.id),
                   {"reference": reference}, invitation=invitation, request_reference=reference,
                   name=user.full_name, because=because.value)
            closed.append(invitation)
    db.session.flush()
    return closed


def end_open_engagements(assistance_request) -> None:
    """The request closed: its open engagements close too (the experts keep read-only access for a while)."""
    engagements = db.session.scalars(sa.select(Engagement).where(
        Engagement.request_id == assistance_request.id, Engagement.status.in_(OPEN_ENGAGEMENT))
        .order_by(Engagement.id)).all()
    for engagement in engagements:
        if statemachine.transition(ENGAGEMENT_MACHINE, engagement, EngagementStatus.CLOSED, None, reason="request_closed"):
            engagement.closed_at = utcnow()
    db.session.flush()


def follow_request(move: Move) -> None:
    """After a move of the request: a request that ended takes its pending invitations (and, closed, its open
    engagements) with it; a request resumed into the engagements' road catches up with them."""
    assistance_request = move.obj
    if move.to_status in CLOSED_BY_REQUEST:
        close_pending_invitations(assistance_request, CLOSED_BY_REQUEST[move.to_status])
        if move.to_status == RequestStatus.CLOSED:
            end_open_engagements(assistance_request)
    elif move.to_status in lifecycle.FOLLOWS_ENGAGEMENTS and move.from_status not in lifecycle.FOLLOWS_ENGAGEMENTS:
        request_follows_engagements(assistance_request)


def closing_warnings(assistance_request) -> list[str]:
    """What the engagements say against closing now: fewer experts than wanted, work whose report is not accepted."""
    statuses = engagement_statuses(assistance_request)
    warnings = []
    if len(statuses) < assistance_request.experts_wanted:
        warnings.append(ngettext("%(num)s expert accepted of the %(wanted)s requested.",
                                 "%(num)s experts accepted of the %(wanted)s requested.", len(statuses),
                                 wanted=assistance_request.experts_wanted))
    unfinished = sum(1 for status in statuses if status not in REPORT_DONE)
    if unfinished:
        warnings.append(ngettext("%(num)s engagement has no accepted report yet; closing ends it.",
                                 "%(num)s engagements have no accepted report yet; closing ends them.", unfinished))
    return warnings


def init_app(app: Flask) -> None:
    lifecycle.register_follower(app, follow_request)
    lifecycle.register_closing_check(app, closing_warnings)
