"""The state machine: every legal transition by the right actor works and stamps what it should;
every illegal transition and every wrong role is refused with nothing written."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.lifecycle import ALLOWED, IllegalTransition, TransitionNotAllowed
from expertnet.requests.models import RequestEvent, RequestStatus as S
from tests.requests.factories import NOTES, make_draft, make_request


def _row_counts():
    return (db.session.scalar(sa.select(sa.func.count(RequestEvent.id))),
            db.session.scalar(sa.select(sa.func.count(AuditEvent.id))))


def test_submit_assigns_reference_and_timeline(users):
    member = users["member"]
    assistance_request = make_draft(member)
    event = lifecycle.transition(assistance_request, S.SUBMITTED, member)
    db.session.commit()
    year = assistance_request.submitted_at.year
    assert assistance_request.reference == f"TA-{year}-0001"
    assert event.from_status == "draft" and event.to_status == "submitted" and event.actor_id == member.id
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "request.submitted"))
    assert audit.object_id == assistance_request.id and audit.actor_id == member.id
    second = make_request(member, S.SUBMITTED)
    assert second.reference == f"TA-{year}-0002"


def test_references_restart_each_year(users):
    member = users["member"]
    first = make_draft(member)
    lifecycle.transition(first, S.SUBMITTED, member, at=utcnow().replace(year=2025))
    second = make_draft(member)
    lifecycle.transition(second, S.SUBMITTED, member)
    assert first.reference == "TA-2025-0001"
    assert second.reference == f"TA-{utcnow().year}-0001"


def test_milestones_and_sla_pause(users):
    member, coordinator = users["member"], users["coordinator"]
    r = make_request(member, S.TRIAGE, coordinator)
    assert r.triaged_at is not None
    start = utcnow()
    lifecycle.transition(r, S.INFO_REQUESTED, coordinator, "Which sites?", at=start)
    assert r.paused_since == start
    lifecycle.transition(r, S.TRIAGE, member, "Two sites.", at=start + timedelta(hours=2))
    assert r.paused_since is None and r.paused_seconds == 7200
    for step in (S.MATCHING, S.INVITING, S.ASSIGNED, S.IN_PROGRESS):
        lifecycle.transition(r, step, coordinator)
    assert r.first_invited_at and r.assigned_at
    lifecycle.transition(r, S.ON_HOLD, coordinator, "Venue", at=start + timedelta(hours=3))
    lifecycle.transition(r, S.IN_PROGRESS, None, at=start + timedelta(hours=4))
    assert r.paused_seconds == 7200 + 3600
    for step in (S.DELIVERED, S.EVALUATION, S.CLOSED):  # no expert on it: the close is confirmed
        lifecycle.transition(r, step, coordinator, **lifecycle.backfill_details(step))
    assert r.closed_at is not None and r.status == S.CLOSED
    db.session.commit()
    statuses = db.session.scalars(sa.select(RequestEvent.to_status).where(RequestEvent.request_id == r.id)
                                  .order_by(RequestEvent.id)).all()
    assert statuses[-3:] == ["delivered", "evaluation", "closed"]


@pytest.mark.parametrize("from_status", list(S), ids=lambda s: s.value)
def test_every_illegal_transition_is_refused(app, users, from_status):
    """From each status, every target the machine lacks is refused, even for staff and the system."""
    r = make_request(users["member"], from_status, users["coordinator"])
    before = _row_counts()
    for to_status in (s for s in S if s not in ALLOWED[from_status]):
        for actor in (users["coordinator"], users["member"], None):
            with pytest.raises(IllegalTransition) as refused:
                lifecycle.transition(r, to_status, actor, "note")
            assert refused.value.code == "illegal_transition"
    db.session.rollback()
    assert r.status == from_status and _row_counts() == before


@pytest.mark.parametrize("from_status", [s for s in S if ALLOWED[s]], ids=lambda s: s.value)
def test_wrong_roles_are_refused(app, users, from_status):
    """For each legal transition from this status, everyone outside its rule is refused; nothing is written."""
    r = make_request(users["member"], from_status, users["coordinator"])
    before = _row_counts()
    for to_status, rule in ALLOWED[from_status].items():
        wrong = [u for u in users.values() if lifecycle.actor_kind(r, u) not in rule.actors]
        assert users["other_member"] in wrong and users["expert"] in wrong
        for user in wrong:
            with pytest.raises(TransitionNotAllowed):
                lifecycle.transition(r, to_status, user, "a reason")
        if lifecycle.SYSTEM not in rule.actors:
            with pytest.raises(TransitionNotAllowed):
                lifecycle.transition(r, to_status, None, "a reason")
    db.session.rollback()
    assert r.status == from_status and _row_counts() == before


def test_inactive_member_cannot_act(users):
    member = users["member"]
    r = make_draft(member)
    member.is_active = False
    with pytest.raises(TransitionNotAllowed):
        lifecycle.transition(r, S.SUBMITTED, member)


@pytest.mark.parametrize("to_status", [S.REJECTED, S.INFO_REQUESTED])
def test_reason_required(users, to_status):
    r = make_request(users["member"], S.TRIAGE, users["coordinator"])
    with pytest.raises(TransitionNotAllowed) as refused:
        lifecycle.transition(r, to_status, users["coordinator"], "   ")
    assert refused.value.code == "reason_required"
    assert r.status == S.TRIAGE


@pytest.mark.parametrize("overrides,code", [
    ({"summary": ""}, "incomplete"), ({"gap_statement": " "}, "incomplete"), ({"topics": []}, "topics_required"),
    ({"authorised_declaration": False}, "declaration_required")])
def test_submit_guard(users, overrides, code):
    r = make_draft(users["member"], **overrides)
    with pytest.raises(TransitionNotAllowed) as refused:
        lifecycle.transition(r, S.SUBMITTED, users["member"])
    assert refused.value.code == code
    db.session.rollback()
    assert r.status == S.DRAFT and r.reference is None and r.submitted_at is None


def test_urgent_needs_reason_to_submit(users):
    r = make_draft(users["member"])
    r.urgency, r.urgency_reason = "urgent", ""
    with pytest.raises(TransitionNotAllowed) as refused:
        lifecycle.transition(r, S.SUBMITTED, users["member"])
    assert refused.value.code == "urgency_reason_required"


def test_withdraw_only_before_work_starts(users):
    assert lifecycle.WITHDRAWABLE == {S.DRAFT, S.SUBMITTED, S.TRIAGE, S.INFO_REQUESTED, S.MATCHING, S.INVITING}
    r = make_request(users["member"], S.ASSIGNED, users["coordinator"])
    with pytest.raises(IllegalTransition):
        lifecycle.transition(r, S.WITHDRAWN, users["member"], "changed our mind")


def test_allowed_transitions_by_role(users):
    r = make_request(users["member"], S.TRIAGE, users["coordinator"])
    assert lifecycle.allowed_transitions(r, users["member"]) == [S.WITHDRAWN]
    assert set(lifecycle.allowed_transitions(r, users["coordinator"])) == {
        S.INFO_REQUESTED, S.MATCHING, S.REJECTED}
    assert lifecycle.allowed_transitions(r, users["other_member"]) == []
    assert lifecycle.allowed_transitions(r, users["expert"]) == []


def test_system_moves_inviting_to_assigned(users):
    r = make_request(users["member"], S.INVITING, users["coordinator"])
    event = lifecycle.transition(r, S.ASSIGNED, None, "Two experts accepted.")
    db.session.commit()
    assert event.actor_id is None and r.assigned_at is not None
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "request.assigned"))
    assert audit.actor_id is None


def test_factory_notes_cover_every_reason_guard():
    for from_status, targets in ALLOWED.items():
        for to_status, rule in targets.items():
            if rule.guard is lifecycle._reason_given and from_status != S.DRAFT:
                assert to_status in NOTES or to_status in (S.IN_PROGRESS,)
