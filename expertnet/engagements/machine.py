"""The invitation and engagement state machines: the ONLY place their status changes.

Like `requests.lifecycle.ALLOWED`, each table says `from -> to -> Step` (with an optional guard that
returns an error code when the move may not happen yet). `move()` is the one guarded transition: it locks
the request and then the row (SELECT ... FOR UPDATE, re-read after the lock), treats a repeat of a move
that already happened as a harmless no-op, refuses a move the table does not have as a conflict (409),
moves, audits, audits any change of the expert's need-to-know, and recomputes the expert's commitments from
the rows when the move frees or takes a place. Lock order: request, invitation/engagement, expert profile.
"""
import enum
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import Role
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements import need_to_know
from expertnet.engagements.capacity import holds_capacity, lock_row, sync_commitments
from expertnet.engagements.models import Engagement, EngagementStatus as ES, Invitation, InvitationStatus as IS
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.service_errors import Conflict, ServiceError

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


class EngagementError(ServiceError):
    """A refused invitation or engagement action; `.code` keys ERROR_MESSAGES, `.message` is translated."""

    messages = ERROR_MESSAGES


class InvitationError(EngagementError):
    pass


class TransitionConflict(InvitationError, Conflict):
    """The row is in a state from which the table has no such move: someone else moved it first (409)."""


class Actor(str, enum.Enum):
    EXPERT = "expert"  # the expert the invitation or engagement is for
    STAFF = "staff"  # a coordinator or an admin
    SYSTEM = "system"  # actor=None: scheduled jobs


# A guard returns an error code when the move may not happen yet, None when it may.
Guard = Callable[[object], str | None]


@dataclass(frozen=True)
class Step:
    actors: frozenset
    guard: Guard | None = None


def _step(*actors: Actor, guard: Guard | None = None) -> Step:
    return Step(frozenset(actors), guard)


def _answerable(invitation: Invitation) -> str | None:
    return "past_deadline" if utcnow() > invitation.respond_by else None


def _answerable_under_terms(invitation: Invitation) -> str | None:
    return _answerable(invitation) or (None if terms_current(invitation) else "terms_required")


def terms_current(invitation: Invitation) -> bool:
    return invitation.terms_accepted_at is not None and invitation.terms_version == CONFIDENTIALITY_TERMS_VERSION


EXPERT, STAFF, SYSTEM = Actor.EXPERT, Actor.STAFF, Actor.SYSTEM
_ANSWER = _step(EXPERT, guard=_answerable)

INVITATION_ALLOWED: dict[IS, dict[IS, Step]] = {
    IS.PENDING: {IS.ACCEPTED: _step(EXPERT, guard=_answerable_under_terms), IS.DECLINED: _ANSWER,
                 IS.CONFLICT_DECLARED: _ANSWER, IS.EXPIRED: _step(SYSTEM), IS.REVOKED: _step(STAFF)},
    IS.ACCEPTED: {}, IS.DECLINED: {}, IS.EXPIRED: {}, IS.REVOKED: {}, IS.CONFLICT_DECLARED: {},
}

# Three moves lead to active: start (planned), resume (suspended), report returned (report_submitted).
ENGAGEMENT_ALLOWED: dict[ES, dict[ES, Step]] = {
    ES.PLANNED: {ES.ACTIVE: _step(EXPERT, STAFF), ES.SUSPENDED: _step(STAFF), ES.WITHDRAWN: _step(STAFF)},
    ES.ACTIVE: {ES.REPORT_SUBMITTED: _step(EXPERT), ES.SUSPENDED: _step(STAFF), ES.WITHDRAWN: _step(STAFF)},
    ES.REPORT_SUBMITTED: {ES.REPORT_ACCEPTED: _step(STAFF), ES.ACTIVE: _step(STAFF), ES.WITHDRAWN: _step(STAFF)},
    ES.REPORT_ACCEPTED: {ES.CLOSED: _step(STAFF)},
    ES.SUSPENDED: {ES.ACTIVE: _step(STAFF), ES.WITHDRAWN: _step(STAFF)},
    ES.CLOSED: {}, ES.WITHDRAWN: {},
}

ALLOWED = {Invitation: INVITATION_ALLOWED, Engagement: ENGAGEMENT_ALLOWED}
# The conflict's code names what happened instead, so the message can say it.
CONFLICT_CODES = {IS.REVOKED: "revoked", IS.EXPIRED: "past_deadline"}


def conflict_for(obj) -> TransitionConflict:
    default = "not_pending" if isinstance(obj, Invitation) else "illegal_transition"
    return TransitionConflict(CONFLICT_CODES.get(obj.status, default))


def actor_kind(obj: Invitation | Engagement, user) -> Actor | None:
    if user is None:
        return SYSTEM
    if not user.is_active:
        return None
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return STAFF
    return EXPERT if obj.expert.user_id == user.id else None


def takes_a_place(status) -> bool:
    """For moves: an accepted invitation hands its place to the engagement opened with it, so accepting
    changes no count; any other status holds a place exactly when the count of the rows includes it."""
    return status == IS.ACCEPTED or holds_capacity(status)


def lock_for_move(obj) -> None:
    """Lock the request, then `obj` (the consistent order that keeps parallel moves from deadlocking)."""
    lock_row(obj.request)
    lock_row(obj)


def move(obj: Invitation | Engagement, to_status, actor, **details) -> bool:
    """Move `obj` to `to_status` as `actor` (None: the system). False when it was already there (a repeat:
    nothing changes, nothing is audited twice); TransitionConflict when another move happened first."""
    lock_for_move(obj)
    if obj.status == to_status:
        return False
    step = ALLOWED[type(obj)][obj.status].get(to_status)
    if step is None or actor_kind(obj, actor) not in step.actors:
        raise conflict_for(obj)
    if step.guard and (problem := step.guard(obj)):
        raise InvitationError(problem)
    from_status = obj.status
    obj.status = to_status
    record(f"{obj.__tablename__}.{to_status.value}", actor, obj, from_status=from_status.value,
           request_id=obj.request_id, **details)
    need_to_know.record_change(actor, obj, need_to_know.level_of(from_status), need_to_know.level_of(to_status),
                               f"{obj.__tablename__}_{to_status.value}")
    if takes_a_place(from_status) != takes_a_place(to_status):
        db.session.flush()
        sync_commitments(obj.expert)
    return True
