"""The invitation and engagement state machines: their tables, and what their moves do beyond the status.

Like `requests.lifecycle.ALLOWED`, each table says `from -> to -> Step`; `statemachine.transition` moves
them. Both lock the request and then the row (SELECT ... FOR UPDATE, re-read after the lock), treat a repeat
of a move that already happened as a harmless no-op, refuse a move the table does not have (or an actor it
does not name) as a conflict (409), audit any change of the expert's need-to-know, and recompute the
expert's commitments from the rows when the move frees or takes a place. Lock order: request,
invitation/engagement, expert profile.
"""
from flask_babel import lazy_gettext as _l

from expertnet import statemachine
from expertnet.db import utcnow
from expertnet.engagements import need_to_know
from expertnet.engagements.capacity import holds_capacity, lock_row, sync_commitments
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
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
                               InvitationStatus.EXPIRED: step(SYSTEM), InvitationStatus.REVOKED: step(STAFF)},
    InvitationStatus.ACCEPTED: {}, InvitationStatus.DECLINED: {}, InvitationStatus.EXPIRED: {},
    InvitationStatus.REVOKED: {}, InvitationStatus.CONFLICT_DECLARED: {},
}

# Three moves lead to active: start (planned), resume (suspended), report returned (report_submitted).
ENGAGEMENT_ALLOWED: dict[EngagementStatus, dict[EngagementStatus, Step]] = {
    EngagementStatus.PLANNED: {EngagementStatus.ACTIVE: step(EXPERT, STAFF), EngagementStatus.SUSPENDED: step(STAFF),
                               EngagementStatus.WITHDRAWN: step(STAFF)},
    EngagementStatus.ACTIVE: {EngagementStatus.REPORT_SUBMITTED: step(EXPERT),
                              EngagementStatus.SUSPENDED: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF)},
    EngagementStatus.REPORT_SUBMITTED: {EngagementStatus.REPORT_ACCEPTED: step(STAFF),
                                        EngagementStatus.ACTIVE: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF)},
    EngagementStatus.REPORT_ACCEPTED: {EngagementStatus.CLOSED: step(STAFF)},
    EngagementStatus.SUSPENDED: {EngagementStatus.ACTIVE: step(STAFF), EngagementStatus.WITHDRAWN: step(STAFF)},
    EngagementStatus.CLOSED: {}, EngagementStatus.WITHDRAWN: {},
}

# The conflict's code names what happened instead, so the message can say it.
CONFLICT_CODES: dict[InvitationStatus | EngagementStatus, str] = {InvitationStatus.REVOKED: "revoked",
                                                                  InvitationStatus.EXPIRED: "past_deadline"}


def conflict_for(obj: Invitation | Engagement) -> TransitionConflict:
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


def _machine(name: str, table: dict) -> statemachine.Machine:
    """Invitations and engagements differ only in their table and name: same lock, actors, refusals, effects."""
    return statemachine.Machine(
        name=name, table=table, actor_kind=actor_kind, lock=lock_for_move,
        # The services check who may act before the move, so a step that does not name this actor means the
        # row is in a state where they have no such step (an expert resuming a suspended engagement): 409.
        refuse_missing=lambda obj, to_status: conflict_for(obj), refuse_actor=conflict_for,
        refuse_guard=InvitationError,
        audit_details=lambda move: {"request_id": move.obj.request_id},
        effects=(_record_need_to_know, _recount_commitments))


INVITATION_MACHINE = _machine("invitation", INVITATION_ALLOWED)
ENGAGEMENT_MACHINE = _machine("engagement", ENGAGEMENT_ALLOWED)
