"""The transition mechanism itself, on a small table over real rows: a repeat is a no-op, a missing move is
a conflict, the actor and the guard are checked before anything is written, stamps, audit and side effects
run once, the row lock re-reads the committed state, and a version-checked row refuses a stale write."""
import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from expertnet import statemachine
from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.engagements.capacity import lock_row
from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.service_errors import Conflict, ServiceError
from expertnet.statemachine import EXPERT, STAFF, SYSTEM, Move, step
from tests.conftest import make_user
from tests.engagements.factories import invite, make_assistance_request, make_expert


def _note_given(move: Move) -> str | None:
    return None if move.note else "note_required"


SMALL_TABLE = {
    InvitationStatus.PENDING: {InvitationStatus.DECLINED: step(EXPERT, guard=_note_given),
                               InvitationStatus.REVOKED: step(STAFF, SYSTEM)},
    InvitationStatus.DECLINED: {}, InvitationStatus.REVOKED: {},
}


class Recorder:
    """The hooks a machine is given, counting their calls and what the row looked like then."""

    def __init__(self):
        self.stamped, self.effects = [], []

    def stamp(self, move: Move) -> None:
        self.stamped.append(move.obj.status)

    def effect(self, move: Move) -> None:
        self.effects.append((move.from_status, move.to_status, move.obj.status))


def small_machine(recorder: Recorder, **overrides) -> statemachine.Machine:
    config = dict(
        name="invitation", table=SMALL_TABLE,
        actor_kind=lambda invitation, user: statemachine.acting_kind(
            user, EXPERT, lambda expert_user: invitation.expert.user_id == expert_user.id),
        lock=lock_row,
        refuse_missing=lambda invitation, to_status: Conflict("no_such_move"),
        refuse_actor=lambda invitation: ServiceError("not_yours", http_status=403),
        refuse_guard=ServiceError,
        audit_details=lambda move: {"request_id": move.obj.request_id},
        stamps=(recorder.stamp,), effects=(recorder.effect,))
    return statemachine.Machine(**config | overrides)


def audit_rows(invitation: Invitation) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "invitation", AuditEvent.object_id == invitation.id,
        AuditEvent.action.in_(["invitation.declined", "invitation.revoked"])).order_by(AuditEvent.id)))


@pytest.fixture
def invitation(app) -> Invitation:
    coordinator = make_user(Role.COORDINATOR)
    return invite(coordinator, make_assistance_request(coordinator=coordinator), make_expert())


def test_a_move_stamps_moves_audits_and_runs_its_effect_once(invitation):
    recorder, expert_user = Recorder(), invitation.expert.user
    move = statemachine.transition(small_machine(recorder), invitation, InvitationStatus.DECLINED, expert_user,
                                   note="  Busy that month  ", reason="busy")
    db.session.commit()
    assert invitation.status == InvitationStatus.DECLINED and move.note == "Busy that month"
    assert recorder.stamped == [InvitationStatus.PENDING]  # stamps run before the status changes
    assert recorder.effects == [(InvitationStatus.PENDING, InvitationStatus.DECLINED, InvitationStatus.DECLINED)]
    [audit] = audit_rows(invitation)
    assert audit.actor_id == expert_user.id and audit.occurred_at == move.at
    assert audit.details == {"from_status": "pending", "request_id": invitation.request_id, "reason": "busy"}


def test_a_repeat_is_a_harmless_noop(invitation):
    recorder = Recorder()
    machine = small_machine(recorder)
    for _ in range(2):
        moved = statemachine.transition(machine, invitation, InvitationStatus.DECLINED, invitation.expert.user,
                                        note="Busy")
    db.session.commit()
    assert moved is None
    assert len(audit_rows(invitation)) == 1 and len(recorder.stamped) == 1 and len(recorder.effects) == 1


def test_a_machine_may_refuse_a_repeat_as_a_missing_move(invitation):
    machine = small_machine(Recorder(), repeat_is_noop=False)
    statemachine.transition(machine, invitation, InvitationStatus.REVOKED, None)
    with pytest.raises(Conflict) as refused:
        statemachine.transition(machine, invitation, InvitationStatus.REVOKED, None)
    assert refused.value.code == "no_such_move" and len(audit_rows(invitation)) == 1


@pytest.mark.parametrize("to_status", [InvitationStatus.ACCEPTED, InvitationStatus.EXPIRED])
def test_a_move_the_table_lacks_is_a_conflict_and_writes_nothing(invitation, to_status):
    recorder = Recorder()
    with pytest.raises(Conflict) as refused:
        statemachine.transition(small_machine(recorder), invitation, to_status, None)
    assert refused.value.http_status == 409
    db.session.rollback()
    assert invitation.status == InvitationStatus.PENDING and audit_rows(invitation) == []
    assert recorder.stamped == recorder.effects == []


def test_an_actor_the_step_does_not_name_is_refused(invitation):
    recorder = Recorder()
    machine = small_machine(recorder)
    coordinator, stranger = make_user(Role.COORDINATOR), make_user(Role.EXPERT)
    for actor in (coordinator, stranger, None):  # staff, someone else's expert, the system
        with pytest.raises(ServiceError) as refused:
            statemachine.transition(machine, invitation, InvitationStatus.DECLINED, actor, note="Busy")
        assert refused.value.code == "not_yours" and refused.value.http_status == 403
    invitation.expert.user.is_active = False  # a deactivated account takes no part, whatever its role
    with pytest.raises(ServiceError):
        statemachine.transition(machine, invitation, InvitationStatus.DECLINED, invitation.expert.user, note="Busy")
    db.session.rollback()
    assert invitation.status == InvitationStatus.PENDING and audit_rows(invitation) == []
    assert recorder.stamped == []


def test_a_guard_that_does_not_hold_refuses_with_its_code(invitation):
    recorder = Recorder()
    with pytest.raises(ServiceError) as refused:
        statemachine.transition(small_machine(recorder), invitation, InvitationStatus.DECLINED,
                                invitation.expert.user, note="   ")
    assert refused.value.code == "note_required" and refused.value.http_status == 422
    db.session.rollback()
    assert invitation.status == InvitationStatus.PENDING and audit_rows(invitation) == []
    assert recorder.stamped == recorder.effects == []


def test_the_row_lock_rereads_the_committed_state(invitation):
    """Another transaction declined it meanwhile: the lock re-reads that, so this decline is a repeat."""
    recorder = Recorder()
    db.session.execute(sa.update(Invitation).where(Invitation.id == invitation.id)
                       .values(status=InvitationStatus.DECLINED).execution_options(synchronize_session=False))
    assert invitation.status == InvitationStatus.PENDING  # what this session still believes
    assert statemachine.transition(small_machine(recorder), invitation, InvitationStatus.DECLINED,
                                   invitation.expert.user, note="Busy") is None
    assert recorder.effects == [] and audit_rows(invitation) == []


def test_without_a_lock_the_version_column_refuses_a_stale_write(app):
    """Requests are version-checked, not locked: a rival's write since the row was read makes the move fail."""
    assistance_request = make_assistance_request(status=RequestStatus.TRIAGE)
    machine = statemachine.Machine(
        name="request", table={RequestStatus.TRIAGE: {RequestStatus.MATCHING: step(SYSTEM)}},
        actor_kind=lifecycle.actor_kind,
        refuse_missing=lambda row, to_status: Conflict("no_such_move"), refuse_actor=lambda row: Conflict("x"),
        refuse_guard=ServiceError)
    db.session.execute(sa.update(AssistanceRequest).where(AssistanceRequest.id == assistance_request.id)
                       .values(version=AssistanceRequest.version + 1).execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):
        statemachine.transition(machine, assistance_request, RequestStatus.MATCHING, None)
