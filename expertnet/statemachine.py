"""The one transition mechanism: requests, invitations and engagements change status only through `transition()`.

A `Machine` is declarative: its `table` says `from -> to -> Step` (who may make the move, and an optional
guard that returns an error code while the move may not happen yet). `transition()` does, in order:

1. lock: the machine's row lock (SELECT ... FOR UPDATE and re-read), or nothing where the model's version
   column refuses a stale write at flush (requests);
2. a repeat of a move that already happened is a harmless no-op, where the machine says so;
3. a move the table lacks is refused (409); then the actor, then the guard;
4. move: the machine's stamps (what the row records of the move), the status, one flush;
5. audit (`<name>.<to_status>`), then the machine's side effects (the request's timeline entry, the
   expert's need-to-know, their commitments).

Everything happens in the caller's transaction: flush, never commit. The machine names its own refusals
(`refuse_*`), so each feature keeps raising its own error family.
"""
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from expertnet.accounts.policy import is_staff
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db


class Actor(str, enum.Enum):
    MEMBER = "member"  # a member of the organisation that owns the request
    EXPERT = "expert"  # the expert an invitation or engagement is for
    STAFF = "staff"  # an active coordinator or admin
    SYSTEM = "system"  # actor=None: scheduled jobs and other services' automatic moves


MEMBER, EXPERT, STAFF, SYSTEM = Actor.MEMBER, Actor.EXPERT, Actor.STAFF, Actor.SYSTEM


@dataclass(frozen=True)
class Move:
    """One move under way: what guards check, what stamps, the audit and side effects record."""

    obj: Any
    actor: Any
    from_status: enum.Enum
    to_status: enum.Enum
    note: str
    at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)


# A guard returns an error code when the move may not happen yet, None when it may.
Guard = Callable[[Move], str | None]
Effect = Callable[[Move], None]


@dataclass(frozen=True)
class Step:
    actors: frozenset[Actor]
    guard: Guard | None = None


def step(*actors: Actor, guard: Guard | None = None) -> Step:
    return Step(frozenset(actors), guard)


@dataclass(frozen=True)
class Machine:
    name: str  # the audit action's prefix: "<name>.<to_status>"
    table: Mapping[Any, Mapping[Any, Step]]
    actor_kind: Callable[[Any, Any], Actor | None]  # (row, user) -> the user's part in this row's moves
    refuse_missing: Callable[[Any, Any], Exception]  # (row, to_status): the table has no such move (409)
    refuse_actor: Callable[[Any], Exception]  # (row): the move exists but not for this actor
    refuse_guard: Callable[[str], Exception]  # (code): the guard does not hold yet
    lock: Callable[[Any], None] | None = None  # None: the model's version column checks at flush
    repeat_is_noop: bool = True
    audit_details: Callable[[Move], dict] = lambda move: {}
    stamps: tuple[Effect, ...] = ()  # before the status changes, so the row is written once
    effects: tuple[Effect, ...] = ()  # after the audit row of the move itself


def acting_kind(user, party: Actor, is_party: Callable[[Any], bool]) -> Actor | None:
    """The usual part of `user` in a move: SYSTEM for None, nothing for a deactivated account, STAFF for a
    coordinator or admin (`policy.is_staff`), else `party` when `is_party(user)` (the row's own member or
    expert)."""
    if user is None:
        return SYSTEM
    if not getattr(user, "is_active", False):
        return None
    if is_staff(user):
        return STAFF
    return party if is_party(user) else None


def lock_row(obj) -> None:
    """The usual `Machine.lock`: SELECT ... FOR UPDATE on `obj`'s row, re-read, so the checks that follow see the
    committed state (a parallel move waits here, then finds the row moved)."""
    model = type(obj)
    db.session.scalars(sa.select(model).where(model.id == obj.id).with_for_update()
                       .execution_options(populate_existing=True)).one()


def step_for(machine: Machine, obj, to_status) -> Step:
    found = machine.table[obj.status].get(to_status)
    if found is None:
        raise machine.refuse_missing(obj, to_status)
    return found


def allowed_targets(machine: Machine, obj, user) -> list:
    """Statuses `user` may move `obj` to by their part alone (for buttons); guards are checked on the action."""
    kind = machine.actor_kind(obj, user)
    return [to for to, found in machine.table[obj.status].items() if kind in found.actors]


def transition(machine: Machine, obj, to_status, actor, *, note: str = "", at: datetime | None = None,
               **details) -> Move | None:
    """Move `obj` to `to_status` as `actor` (None: the system); `at` back-dates it (demo seeding only).
    None when the move already happened and the machine treats a repeat as a no-op (nothing is written)."""
    if machine.lock is not None:
        machine.lock(obj)
    if obj.status == to_status and machine.repeat_is_noop:
        return None
    found = step_for(machine, obj, to_status)
    move = Move(obj, actor, obj.status, to_status, (note or "").strip(), at or utcnow(), details)
    if machine.actor_kind(obj, actor) not in found.actors:
        raise machine.refuse_actor(obj)
    if found.guard and (problem := found.guard(move)):
        raise machine.refuse_guard(problem)
    for stamp in machine.stamps:
        stamp(move)
    obj.status = to_status
    db.session.flush()
    audit = record(f"{machine.name}.{to_status.value}", actor, obj, from_status=move.from_status.value,
                   **machine.audit_details(move), **details)
    audit.occurred_at = move.at
    for effect in machine.effects:
        effect(move)
    return move
